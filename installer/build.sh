#!/usr/bin/env bash
# Builds what an office's IT installs: the release Windows executable (cross-compiled from
# Linux, UI embedded, icon and version information, no console window), then from the same
# payload the NSIS installer and the MSI, into installer/out/:
#   Baqsha-<version>-setup.exe   Baqsha-<version>.msi
# The version is the workspace's (Cargo.toml). Offline: nothing is downloaded at build time.
# A standalone WebView2 installer placed at installer/MicrosoftEdgeWebView2RuntimeInstallerX64.exe
# is bundled into the NSIS installer (README: where IT gets it).
#
#   installer/build.sh                 build everything
#   INSTALLER_VERSION=0.1.1 SKIP_CARGO=1 installer/build.sh
#                                      re-package the last executable as another version (tests)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
cd "$BAQSHA_ROOT"

VERSION=$(awk '/^\[workspace.package\]/{w=1} w && /^version *=/{gsub(/version *= *|"/,""); print; exit}' Cargo.toml)
VERSION="${INSTALLER_VERSION:-$VERSION}"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "version '$VERSION' is not x.y.z" >&2; exit 2; }
EXE="$CARGO_TARGET_DIR/x86_64-pc-windows-gnu/release/baqsha.exe"

if [ "${SKIP_CARGO:-0}" != "1" ]; then
  "$BAQSHA_ROOT/scripts/build-ui.sh"
  say "building the release executable for Windows (x86_64-pc-windows-gnu)"
  cargo build --locked --release -p baqsha --target x86_64-pc-windows-gnu --bin baqsha --features custom-protocol
  # Where the desk keeps its secrets, tried under Wine by installer/tests/wine.sh.
  cargo build --locked --release -p baqsha-app --target x86_64-pc-windows-gnu --bin credentials --features credentials-check
fi
[ -f "$EXE" ] || { echo "no release executable at $EXE" >&2; exit 1; }

OUT="$BAQSHA_ROOT/installer/out"
PAYLOAD="$OUT/payload"
rm -rf "$PAYLOAD"
mkdir -p "$PAYLOAD"
cp "$EXE" "$PAYLOAD/baqsha.exe"
cp LICENSE "$PAYLOAD/LICENSE.txt"
cp icons/icon.ico "$PAYLOAD/icon.ico"

say "NSIS installer $VERSION"
makensis -V2 -DVERSION="$VERSION" -DPAYLOAD="$PAYLOAD" -DOUTFILE="$OUT/Baqsha-$VERSION-setup.exe" installer/baqsha.nsi
say "MSI $VERSION"
# wixl takes sources relative to where it runs.
(cd "$OUT" && wixl -a x64 -D Version="$VERSION" -D Payload=payload -D Icon=payload/icon.ico \
  -o "$OUT/Baqsha-$VERSION.msi" "$BAQSHA_ROOT/installer/baqsha.wxs")
ls -l "$EXE" "$OUT/Baqsha-$VERSION-setup.exe" "$OUT/Baqsha-$VERSION.msi"
