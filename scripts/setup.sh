#!/usr/bin/env bash
# Installs what building and testing Baqsha needs on Debian 12 / Ubuntu, skipping what is
# already there. Sourced by run.sh, test.sh and bench.sh; safe to run again and again.
set -euo pipefail
# `grep -q` in a pipeline under pipefail can fail a match: it exits at the first match and
# the writer dies of SIGPIPE. This reads its input to the end.
contains() { grep "$@" > /dev/null; }

say() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

APT_PACKAGES=(
  build-essential pkg-config curl file libssl-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
  xvfb webkit2gtk-driver imagemagick poppler-utils zbar-tools fonts-dejavu-core
  gcc-mingw-w64-x86-64 python3-aiosmtpd faketime
  nsis wixl msitools wine64 dbus p7zip-full postgresql
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | contains "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    say "installing the Rust toolchain (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

for t in wasm32-unknown-unknown x86_64-pc-windows-gnu; do
  rustup target list --installed | contains -x "$t" || { say "adding Rust target $t"; rustup target add "$t"; }
done

for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | contains "^$c" || { say "adding Rust component $c"; rustup component add "$c"; }
done

# One shared build directory outside the clone: a second clone or a CI run reuses it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/baqsha/target}"
mkdir -p "$CARGO_TARGET_DIR"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BAQSHA_ROOT="$ROOT"

# The wasm-bindgen CLI must be exactly the version in Cargo.lock.
WBG=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print}' "$ROOT/Cargo.lock")
if ! wasm-bindgen --version 2>/dev/null | contains -x "wasm-bindgen $WBG"; then
  say "installing wasm-bindgen-cli $WBG"
  # Not --locked: its lockfile pins a crate version the registry here does not have.
  cargo install wasm-bindgen-cli --version "=$WBG"
fi

# wasm-opt from npm's binaryen (Debian's is too old for today's wasm). Optional: without it
# the bundle is only larger.
TOOLS="$HOME/.cache/baqsha/tools"
if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ] && command -v npm >/dev/null 2>&1; then
  say "installing wasm-opt (binaryen from npm)"
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && npm install --silent --no-audit --no-fund binaryen@132 >/dev/null 2>&1) || say "wasm-opt not installed; the UI bundle will not be optimised"
fi
export WASM_OPT="$TOOLS/node_modules/.bin/wasm-opt"

# libfaketime (Debian's faketime): the end-to-end suite runs a second time with every
# process's clock moved across Kazakhstan's midnight.
# The thread-safe variant: the app, WebKit and the tests are multithreaded, and the plain one
# can deadlock in them (a run hung once in eight here).
FAKETIME_LIB=$(dpkg -L libfaketime 2>/dev/null | grep -m1 '/libfaketimeMT.so.1$' || true)
export FAKETIME_LIB

if [ "${BAQSHA_E2E:-0}" = "1" ] && ! command -v tauri-driver >/dev/null 2>&1; then
  say "installing tauri-driver"
  cargo install tauri-driver --version ^2 --locked
fi
