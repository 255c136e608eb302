#!/usr/bin/env bash
# Runs every test: unit and property tests of the core, the store on real SQLite files, the
# demo generator, the UI's reducers, and end-to-end tests of the real app under Xvfb.
set -euo pipefail
export BAQSHA_E2E=1
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$BAQSHA_ROOT"
"$BAQSHA_ROOT/scripts/build-ui.sh"

export BAQSHA_ARTIFACTS="${BAQSHA_ARTIFACTS:-$BAQSHA_ROOT/artifacts}"
mkdir -p "$BAQSHA_ARTIFACTS"

say "unit, property and store tests"
cargo test --locked -p baqsha-core -p baqsha-api -p baqsha-i18n -p baqsha-store -p baqsha-demo -p baqsha-documents -p baqsha-notify -p baqsha
say "UI state tests (native)"
cargo test --locked -p ui

say "end-to-end tests (real app, WebKitWebDriver, Xvfb)"
cargo build --locked -p baqsha
cargo test --locked -p baqsha-e2e --no-run
export BAQSHA_APP="$CARGO_TARGET_DIR/debug/baqsha"
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  export XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
  tauri-driver --port 4444 > "$BAQSHA_ARTIFACTS/tauri-driver.log" 2>&1 & TD=$!
  trap "kill $TD 2>/dev/null" EXIT
  for i in $(seq 50); do (echo > /dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
  cargo test --locked -p baqsha-e2e -- --test-threads=1'
say "all tests passed; screenshots and sample documents in $BAQSHA_ARTIFACTS"
