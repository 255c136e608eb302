#!/usr/bin/env bash
# Builds Baqsha and starts the desktop app on its embedded default: a local database in the
# user's data folder, seeded with the demo region of East Kazakhstan on first start (`--demo`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
"$BAQSHA_ROOT/scripts/build-ui.sh"
cd "$BAQSHA_ROOT"
say "building the desktop app (release)"
cargo build -p baqsha --release --locked
say "starting Baqsha"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  say "no display: starting inside Xvfb (screenshots with: import -window root shot.png)"
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$CARGO_TARGET_DIR/release/baqsha" --demo "$@"
fi
# `--demo`: a newcomer sees the app in one step (an installed desk asks on its first start).
exec "$CARGO_TARGET_DIR/release/baqsha" --demo "$@"
