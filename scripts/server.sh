#!/usr/bin/env bash
# Starts the region's server on this computer: PostgreSQL (installed if missing) with a
# cluster in the clone's `.server/` folder, the database migrated and seeded with East
# Kazakhstan's demo offices and accounts, and `baqsha-server` on 127.0.0.1:8740.
# Needs no root for PostgreSQL itself; as root, the cluster runs as the `postgres` user
# (initdb refuses root). Stop with Ctrl+C; the cluster is stopped with it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$BAQSHA_ROOT"

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  say "installing PostgreSQL"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends postgresql
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# BAQSHA_SERVER_DATA: another folder for the cluster (the tests' throwaway one);
# BAQSHA_SERVER_PROFILE=debug: the debug build the test suite has already made.
DATA="${BAQSHA_SERVER_DATA:-$BAQSHA_ROOT/.server}"
PROFILE="${BAQSHA_SERVER_PROFILE:-release}"
PORT="${BAQSHA_PG_PORT:-5439}"
LISTEN="${BAQSHA_LISTEN:-127.0.0.1:8740}"
AS=()
if [ "$(id -u)" -eq 0 ]; then AS=(runuser -u postgres --); fi
mkdir -p "$DATA"
[ ${#AS[@]} -gt 0 ] && chown postgres "$DATA"
if [ ! -f "$DATA/pg/PG_VERSION" ]; then
  say "creating the database cluster in $DATA/pg"
  "${AS[@]}" "$PG_BIN/initdb" -D "$DATA/pg" -A trust -U baqsha -E UTF8 --locale=C >/dev/null
fi
if ! "${AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA/pg" status >/dev/null 2>&1; then
  say "starting PostgreSQL on 127.0.0.1:$PORT"
  "${AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA/pg" -w -l "$DATA/pg.log" \
    -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1" start >/dev/null
fi
trap '"${AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA/pg" -m fast stop >/dev/null 2>&1 || true' EXIT
"$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U baqsha -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'baqsha'" | grep -q 1 \
  || "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U baqsha -d postgres -qc "CREATE DATABASE baqsha"

KEY="$DATA/token.key"
if [ ! -s "$KEY" ]; then
  (umask 077; head -c 64 /dev/urandom > "$KEY")
fi

say "building baqsha-server"
if [ "$PROFILE" = "release" ]; then cargo build -p baqsha-server --release --locked; else cargo build -p baqsha-server --locked; fi
say "demo accounts: admin / baqsha-admin; operator-1… / baqsha-operator (one per district); balabaqsha-1… / baqsha-staff (one per kindergarten)"
BAQSHA_DATABASE_URL="postgres://baqsha@127.0.0.1:$PORT/baqsha" \
BAQSHA_TOKEN_KEY_FILE="$KEY" BAQSHA_LISTEN="$LISTEN" BAQSHA_SEED_DEMO=1 \
  "$CARGO_TARGET_DIR/$PROFILE/baqsha-server"
