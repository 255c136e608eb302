#!/usr/bin/env bash
# Generates the national dataset (once, cached in ~/.cache/baqsha/national.sqlite) and runs
# the benchmarks: registry search, app cold start under Xvfb (beside the bare web engine's own start,
# its floor), a keystroke in the registry search to the repainted list through the real app on
# the national dataset, the UI bundle.
set -euo pipefail
export BAQSHA_E2E=1
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$BAQSHA_ROOT"
"$BAQSHA_ROOT/scripts/build-ui.sh"

say "registry search on the national dataset"
cargo run --locked --release -p baqsha-bench -- "$@"

say "documents: referral certificate and a 1,000-row list, against LibreOffice headless"
mkdir -p "$BAQSHA_ROOT/artifacts"
ours="$(cargo run --locked --release -q -p baqsha-documents --example timing -- "$BAQSHA_ROOT/artifacts")"
echo "$ours"
peer="$("$BAQSHA_ROOT/scripts/bench-libreoffice.sh" | tail -3)"
echo "$peer"
awk -F= '/^referral_ms_median=/{o=$2} /^libreoffice_referral_ms_median=/{l=$2}
  END {printf "referral: ours %.2f ms, LibreOffice %.0f ms: %.0fx faster (goal 50x)\n", o, l, l/o}' \
  <(echo "$ours"; echo "$peer")

say "UI bundle after optimisation"
ls -l ui/dist/ui_bg.wasm ui/dist/ui.js
printf 'wasm: %s bytes, gzip: %s bytes\n' "$(stat -c %s ui/dist/ui_bg.wasm)" "$(gzip -9c ui/dist/ui_bg.wasm | wc -c)"

say "cold start of the release app under Xvfb"
cargo build --locked --release -p baqsha
export BAQSHA_APP="$CARGO_TARGET_DIR/release/baqsha"
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  tauri-driver --port 4444 > /tmp/baqsha-bench-driver.log 2>&1 & TD=$!
  trap "kill $TD 2>/dev/null" EXIT
  for i in $(seq 50); do (echo > /dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
  cargo run --locked --release -p baqsha-e2e --example engine_floor
  cargo run --locked --release -p baqsha-e2e --example cold_start
  cargo run --locked --release -p baqsha-e2e --example keystroke'

say "a desk's sync against the server: a month's backlog drained, the desk's save meanwhile, a first sync at the desk, a change from one desk to another"
BAQSHA_BENCH=1 cargo test --locked --release -p baqsha-testkit --test desk_bench -- --nocapture

say "the region's server: pushes over HTTP on loopback, PostgreSQL with fsync on"
BAQSHA_BENCH=1 cargo test --locked --release -p baqsha-server --test bench -- --nocapture --test-threads=1
