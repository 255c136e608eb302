#!/usr/bin/env bash
# Runs every test: unit and property tests of the core, the store on real SQLite files, the
# demo generator, the UI's reducers, the region's server on a real PostgreSQL, and
# end-to-end tests of the real app under Xvfb.
set -euo pipefail
export BAQSHA_E2E=1
# Each run is built once: incremental state only grows the shared build cache (by gigabytes a
# run, and a full disk stalls PostgreSQL and the app's writes mid-suite).
export CARGO_INCREMENTAL=0
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$BAQSHA_ROOT"
"$BAQSHA_ROOT/scripts/build-ui.sh"

export BAQSHA_ARTIFACTS="${BAQSHA_ARTIFACTS:-$BAQSHA_ROOT/artifacts}"
mkdir -p "$BAQSHA_ARTIFACTS"

# Every crate but the wasm-only UI, which is linted and tested natively on its own (building
# it with the others would unify its features into the app's tree).
CRATES=(-p baqsha-core -p baqsha-api -p baqsha-i18n -p baqsha-store -p baqsha-demo -p baqsha-documents
        -p baqsha-notify -p baqsha-persons -p baqsha-app -p baqsha -p baqsha-bench)
say "formatting and lints (cargo fmt, clippy -D warnings)"
cargo fmt --all -- --check
cargo clippy --locked --all-targets "${CRATES[@]}" -p baqsha-e2e -- -D warnings
cargo clippy --locked --all-targets -p ui -- -D warnings
# The region's server and its test kit (which also puts a real desk against a real server) on
# their own: their sqlx speaks PostgreSQL, and built with the desk's
# crates it would unify those features into the desk's tree.
cargo clippy --locked --all-targets -p baqsha-server -p baqsha-sync -p baqsha-testkit -- -D warnings

say "unit, property and store tests"
cargo test --locked --no-fail-fast "${CRATES[@]}"
say "UI state tests (native)"
cargo test --locked --no-fail-fast -p ui
say "region server tests (a throwaway PostgreSQL cluster per test binary)"
cargo test --locked --no-fail-fast -p baqsha-server -p baqsha-sync -p baqsha-testkit

say "end-to-end tests (real app, WebKitWebDriver, Xvfb)"
cargo build --locked -p baqsha
cargo test --locked -p baqsha-e2e --no-run
export BAQSHA_APP="$CARGO_TARGET_DIR/debug/baqsha"

# The region's server the two-desk test joins: a throwaway cluster, the demo region's
# offices, on a port of its own; stopped with the suite.
say "the region's server for the end-to-end tests"
SERVER_DATA=$(mktemp -d)
SERVER_PORT=8741
# Rounds every two seconds: the test waits for the region to offer a place it published.
setsid env BAQSHA_ROUND_EVERY=2 BAQSHA_SERVER_DATA="$SERVER_DATA" BAQSHA_SERVER_PROFILE=debug BAQSHA_PG_PORT=5441 BAQSHA_LISTEN="127.0.0.1:$SERVER_PORT" \
  "$BAQSHA_ROOT/scripts/server.sh" > "$BAQSHA_ARTIFACTS/region-server.log" 2>&1 &
SERVER_PID=$!
stop_server() {
  kill -- -"$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  PG=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$PG/pg_ctl" -D "$SERVER_DATA/pg" -m fast stop >/dev/null 2>&1 || true
  else "$PG/pg_ctl" -D "$SERVER_DATA/pg" -m fast stop >/dev/null 2>&1 || true; fi
}
trap stop_server EXIT
for i in $(seq 600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$SERVER_PORT" && printf 'GET /v1/health HTTP/1.0\r\n\r\n' >&3 && grep -q '^ok' <&3) 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$BAQSHA_ARTIFACTS/region-server.log" >&2; echo "the region's server did not start" >&2; exit 1; }
  sleep 0.5
done
export BAQSHA_SERVER_URL="http://127.0.0.1:$SERVER_PORT"

# One run of the whole suite under Xvfb; every test binary runs even when one fails
# (--no-fail-fast) and failure screenshots stay in $BAQSHA_ARTIFACTS/$1. Extra arguments are
# environment assignments for the app, the driver and the tests alike.
e2e() {
  local label=$1; shift
  local out="$BAQSHA_ARTIFACTS/$label"
  mkdir -p "$out"; rm -f "$out/steps.log"
  say "end-to-end suite: $label"
  # --tests: the crate has no doc tests, and rustdoc hangs under libfaketime. A hung run
  # is stopped after 20 minutes instead of eating CI's budget.
  env BAQSHA_ARTIFACTS="$out" "$@" timeout --kill-after=30s 20m xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    export XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
    tauri-driver --port 4444 > "$BAQSHA_ARTIFACTS/tauri-driver.log" 2>&1 & TD=$!
    trap "kill $TD 2>/dev/null" EXIT
    for i in $(seq 50); do (echo > /dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
    cargo test --locked --no-fail-fast -p baqsha-e2e --tests -- --test-threads=1'
}

# Kazakhstan is UTC+5: from 19:00 to 24:00 UTC the desk's date is a day ahead of the UTC date.
# The suite runs once as the machine's clock is and once on the other side of that line, with
# every process's clock moved by libfaketime (the app, its web view, the driver and the tests),
# so a date taken in UTC anywhere fails here whatever the hour of the run.
now=$(date -u +%s)
hour=$((10#$(date -u +%H)))
if [ "$hour" -ge 19 ]; then other="$(date -u +%F) 10:00:00"; side="the same date in UTC and Kazakhstan"
else other="$(date -u +%F) 21:30:00"; side="late evening UTC, already tomorrow in Kazakhstan"; fi
offset=$(( $(date -u -d "$other" +%s) - now ))
failed=()
e2e "now" || failed+=("the suite at the machine's time")
[ "$offset" -ge 0 ] && offset="+$offset"
[ -n "$FAKETIME_LIB" ] || { echo "libfaketime is missing (Debian package faketime)" >&2; exit 1; }
say "the moved clock reads $(FAKETIME="$offset" LD_PRELOAD="$FAKETIME_LIB" date -u '+%F %H:%M UTC') ($side)"
e2e "other-side-of-midnight" FAKETIME="$offset" \
  FAKETIME_DONT_FAKE_MONOTONIC=1 NO_FAKE_STAT=1 LD_PRELOAD="$FAKETIME_LIB" \
  || failed+=("the suite at $other UTC ($side)")
if [ ${#failed[@]} -gt 0 ]; then
  printf '\033[1;31m==>\033[0m failed: %s\n' "${failed[@]}" >&2
  # A run stopped from outside prints no test output; the steps' trail says where it was.
  for trail in "$BAQSHA_ARTIFACTS"/*/steps.log; do
    [ -f "$trail" ] && { echo "the last steps in $trail:" >&2; tail -n 12 "$trail" >&2; }
  done
  echo "screenshots of the failures: $BAQSHA_ARTIFACTS/*/failed-*.png" >&2
  exit 1
fi
say "all tests passed; screenshots and sample documents in $BAQSHA_ARTIFACTS"
