#!/usr/bin/env bash
# Builds the Yew UI into ui/dist (wasm + JS glue + static files). The desktop build embeds it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$BAQSHA_ROOT"
say "building the UI (wasm32)"
cargo build -p ui --target wasm32-unknown-unknown --profile ui-release --locked
mkdir -p ui/dist
wasm-bindgen --target web --no-typescript --out-dir ui/dist --out-name ui \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/ui-release/ui.wasm"
if [ -x "$WASM_OPT" ]; then
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue ui/dist/ui_bg.wasm -o ui/dist/ui_bg.wasm.opt \
    && mv ui/dist/ui_bg.wasm.opt ui/dist/ui_bg.wasm
fi
cp ui/static/* ui/dist/
say "UI bundle: $(du -h ui/dist/ui_bg.wasm | cut -f1) wasm"
