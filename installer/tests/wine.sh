#!/usr/bin/env bash
# Tries the installers as an office's IT would, here on Linux: the NSIS one under Wine
# (Debian's wine64) in a throwaway prefix, silently — refusals first (a server address that
# is not one, no WebView2), then an install, an upgrade over it that keeps the office's data,
# a downgrade refused, an uninstall that keeps the data, an install into another folder — and
# the MSI's tables with msiinfo; the desk's secrets kept in the Credential Manager (the app
# crate's `credentials` check binary). The installer's Kazakh texts are read back from the built
# file. Wine cannot run the app itself (no WebView2), so the payload is only checked as files.
#
# Needs installer/build.sh to have run (it reuses installer/out/payload).
set -euo pipefail
# `grep -q` in a pipeline under pipefail can fail a match: it exits at the first match and
# the writer dies of SIGPIPE. This reads its input to the end.
contains() { grep "$@" > /dev/null; }
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/setup.sh"
cd "$BAQSHA_ROOT"
OUT="$BAQSHA_ROOT/installer/out"
VERSION=$(awk '/^\[workspace.package\]/{w=1} w && /^version *=/{gsub(/version *= *|"/,""); print; exit}' Cargo.toml)
NEXT=$(echo "$VERSION" | awk -F. '{print $1"."$2"."$3+1}')
SETUP="$OUT/Baqsha-$VERSION-setup.exe"
MSI="$OUT/Baqsha-$VERSION.msi"
[ -f "$SETUP" ] && [ -f "$MSI" ] || { echo "build the installers first: installer/build.sh" >&2; exit 1; }

fail() { printf '\033[1;31mFAIL\033[0m %s\n' "$*" >&2; exit 1; }
ok() { printf '  ok: %s\n' "$*"; }
since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

say "the release executable"
EXE="$OUT/payload/baqsha.exe"
subsystem=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); pe=struct.unpack_from("<I",d,0x3c)[0]; print(struct.unpack_from("<H",d,pe+92)[0])' "$EXE")
[ "$subsystem" = 2 ] || fail "baqsha.exe is not a windowed program (subsystem $subsystem): a console would open behind it"
rsrc=$(7z l "$EXE" 2>/dev/null)
grep -q "FileVersion: $VERSION" <<<"$rsrc" || fail "baqsha.exe does not carry version $VERSION"
grep -q "GROUP_ICON" <<<"$rsrc" || fail "baqsha.exe has no icon"
ok "baqsha.exe $VERSION: windowed (no console), version information and icon"

say "the installer speaks Kazakh (read back from $SETUP)"
texts=$(python3 installer/tests/nsis_strings.py "$SETUP")
for t in "&Әрі қарай >" "&Орнату" "Жұмыс үстеліндегі белгіше" "Бұл компьютерде Microsoft Edge WebView2 Runtime жоқ" \
         "Облыс серверінің мекенжайы" "әкімші құқығы керек" "Орнату аяқталды"; do
  grep -qF -- "$t" <<<"$texts" || fail "no Kazakh text «$t» in the installer"
done
grep -qF "Ничего не установлено" <<<"$texts" || fail "no Russian text in the installer"
ok "Kazakh, Russian and English texts are in the installer"

say "the MSI's tables"
props=$(msiinfo export "$MSI" Property | tr -d '\r')
grep -qP '^UpgradeCode\t\{6E0B5C2A-2F4D-4E39-9C1B-7A3D0F1B8E42\}$' <<<"$props" || fail "the MSI's upgrade code changed: $props"
grep -qP "^ProductVersion\t$VERSION\$" <<<"$props" || fail "the MSI's version is not $VERSION"
grep -qP '^ALLUSERS\t1$' <<<"$props" || fail "the MSI is not per-machine"
msiinfo suminfo "$MSI" | contains "Template: x64;" || fail "the MSI is not for x64"
msiinfo export "$MSI" File | contains "baqsha.exe" || fail "baqsha.exe is not in the MSI"
msiinfo export "$MSI" Shortcut | contains "Baqsha" || fail "no Start-menu shortcut in the MSI"
msiinfo export "$MSI" Upgrade | contains "WIX_DOWNGRADE_DETECTED" || fail "the MSI does not refuse a downgrade"
ok "per-machine x64 MSI $VERSION with the stable upgrade code, the executable and its shortcut"

say "a newer installer ($NEXT) from the same payload"
makensis -V1 -DVERSION="$NEXT" -DPAYLOAD="$OUT/payload" -DOUTFILE="$OUT/Baqsha-$NEXT-setup.exe" installer/baqsha.nsi
NEWER="$OUT/Baqsha-$NEXT-setup.exe"

export WINEPREFIX; WINEPREFIX=$(mktemp -d /tmp/baqsha-wine.XXXXXX)
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
trap 'wineserver -k 2>/dev/null || true; rm -rf "$WINEPREFIX"' EXIT
WINE=/usr/lib/wine/wine64
PATH="/usr/lib/wine:$PATH"
C="$WINEPREFIX/drive_c"
PF="$C/Program Files/Baqsha"
DATA="$C/users/$(id -un)/AppData/Roaming/kz.baqsha.desk"
UNINST='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Baqsha'
LOG="$C/users/$(id -un)/Temp/baqsha-install.log"

# Runs a Windows program under Xvfb and waits for every Wine process; prints its exit code.
run() { xvfb-run -a bash -c '"$@"; rc=$?; wineserver -w; exit $rc' _ "$WINE" "$@" >/dev/null 2>&1 && echo 0 || echo $?; }
reg_value() { "$WINE" reg query "$1" /v "$2" /reg:64 2>/dev/null | tr -d '\r' | awk -v n="$2" '$1 == n {$1=""; $2=""; sub(/^  /, ""); print}'; }

say "a Wine prefix"
start=$(date +%s%N)
xvfb-run -a "$WINE" wineboot -i >/dev/null 2>&1 || true
wineserver -w
echo "  prefix ready in $(since "$start") s"

say "secrets in the Windows Credential Manager"
built="$CARGO_TARGET_DIR/x86_64-pc-windows-gnu/release/credentials.exe"
[ -f "$built" ] || fail "no $built: installer/build.sh builds it"
# Rust's standard library asks bcryptprimitives.dll for random bytes; Wine 8 has no such
# DLL, so the check runs beside a stand-in giving Wine's own (Windows has the real one).
TRY=$(mktemp -d)
cp "$built" "$TRY/credentials.exe"
x86_64-w64-mingw32-gcc -shared -O2 -o "$TRY/bcryptprimitives.dll" installer/tests/bcryptprimitives.c -ladvapi32
said=$("$WINE" "$TRY/credentials.exe" 2>/dev/null | tr -d '\r') || fail "the credentials check failed: $said"
rm -rf "$TRY"
[ "$said" = "ok: secrets kept by the Credential Manager" ] || fail "the credentials check said: $said"
ok "a refresh token kept, replaced and forgotten in the Credential Manager, never in the secrets file"

rc=$(run "$SETUP" /S "/SERVER=ftp://baqsha.vko.kz")
[ "$rc" = 2 ] || fail "a server address that is not http(s) was not refused with 2 (got $rc)"
[ ! -e "$PF" ] || fail "a refused install left files"
iconv -f UTF-16 -t UTF-8 "$LOG" | contains '"ftp://baqsha.vko.kz" is not a web address' || fail "the refusal's reason is not in the log"
ok "a bad server address is refused (exit 2, reason in %TEMP%\\baqsha-install.log, nothing installed)"

rc=$(run "$SETUP" /S)
[ "$rc" = 4 ] || fail "a PC without WebView2 was not refused with 4 (got $rc)"
[ ! -e "$PF" ] || fail "a refused install left files"
iconv -f UTF-16 -t UTF-8 "$LOG" | contains "no Microsoft Edge WebView2 Runtime" || fail "the WebView2 reason is not in the log"
ok "a PC without WebView2 is told so (exit 4, nothing installed)"

# The runtime's registration, as Microsoft's installer leaves it.
"$WINE" reg add 'HKLM\SOFTWARE\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' /v pv /t REG_SZ /d 131.0.2903.70 /f /reg:32 >/dev/null 2>&1

start=$(date +%s%N)
rc=$(run "$SETUP" /S "/SERVER=https://baqsha.vko.kz")
install_time=$(since "$start")
[ "$rc" = 0 ] || fail "the silent install failed ($rc)"
cmp -s "$PF/baqsha.exe" "$OUT/payload/baqsha.exe" || fail "baqsha.exe is not the payload"
[ -f "$PF/uninstall.exe" ] && [ -f "$PF/LICENSE.txt" ] || fail "the uninstaller or the licence is missing"
[ -f "$C/ProgramData/Microsoft/Windows/Start Menu/Programs/Baqsha.lnk" ] || fail "no Start-menu shortcut"
[ -f "$C/users/Public/Desktop/Baqsha.lnk" ] || fail "no desktop shortcut"
[ "$(reg_value "$UNINST" DisplayName)" = "Baqsha" ] || fail "Apps & features: no name"
[ "$(reg_value "$UNINST" DisplayVersion)" = "$VERSION" ] || fail "Apps & features: version is not $VERSION"
[ -n "$(reg_value "$UNINST" Publisher)" ] || fail "Apps & features: no publisher"
[ "$(reg_value "$UNINST" DisplayIcon)" = 'C:\Program Files\Baqsha\baqsha.exe,0' ] || fail "Apps & features: no icon"
[ "$(reg_value "$UNINST" UninstallString)" = '"C:\Program Files\Baqsha\uninstall.exe"' ] || fail "Apps & features: no uninstaller"
size=$(reg_value "$UNINST" EstimatedSize); [ $((size)) -gt 1000 ] || fail "Apps & features: size $size KB"
[ "$(reg_value 'HKLM\Software\Baqsha' Server)" = "https://baqsha.vko.kz" ] || fail "the server address was not written for the app"
python3 installer/tests/nsis_strings.py "$PF/uninstall.exe" | contains -F "Осы пайдаланушының Baqsha деректерін де жою керек пе" \
  || fail "the uninstaller does not ask in Kazakh before deleting the data"
ok "installed silently in ${install_time} s: files, shortcuts, Apps & features (version, publisher, $((size)) KB, icon), the server address"

# The office's data, as the app keeps it: the database and the seal key.
mkdir -p "$DATA/keys"
head -c 300000 /dev/urandom > "$DATA/baqsha.sqlite"
head -c 64 /dev/urandom > "$DATA/keys/referral.key"
before=$(cd "$DATA" && sha256sum baqsha.sqlite keys/referral.key)

rc=$(run "$NEWER" /S)
[ "$rc" = 0 ] || fail "the upgrade to $NEXT failed ($rc)"
[ "$(reg_value "$UNINST" DisplayVersion)" = "$NEXT" ] || fail "after the upgrade Apps & features says $(reg_value "$UNINST" DisplayVersion)"
[ "$(cd "$DATA" && sha256sum baqsha.sqlite keys/referral.key)" = "$before" ] || fail "the upgrade changed the office's data"
[ "$(reg_value 'HKLM\Software\Baqsha' Server)" = "https://baqsha.vko.kz" ] || fail "the upgrade lost the server address"
ok "the upgrade to $NEXT keeps the database, the seal key and the server address"

rc=$(run "$SETUP" /S)
[ "$rc" = 3 ] || fail "a downgrade was not refused with 3 (got $rc)"
[ "$(reg_value "$UNINST" DisplayVersion)" = "$NEXT" ] || fail "the refused downgrade changed the version"
iconv -f UTF-16 -t UTF-8 "$LOG" | contains "Baqsha $NEXT is installed, which is newer than this installer's $VERSION" || fail "the downgrade's reason is not in the log"
ok "a downgrade to $VERSION is refused and names the installed $NEXT (exit 3)"

rc=$(run "$PF/uninstall.exe" /S)
[ "$rc" = 0 ] || fail "the silent uninstall failed ($rc)"
[ ! -e "$PF/baqsha.exe" ] && [ ! -e "$PF" ] || fail "the program folder is still there: $(ls "$PF" 2>&1)"
[ ! -e "$C/ProgramData/Microsoft/Windows/Start Menu/Programs/Baqsha.lnk" ] && [ ! -e "$C/users/Public/Desktop/Baqsha.lnk" ] || fail "shortcuts left behind"
[ -z "$(reg_value "$UNINST" DisplayName)" ] || fail "Apps & features still lists Baqsha"
[ "$(cd "$DATA" && sha256sum baqsha.sqlite keys/referral.key)" = "$before" ] || fail "the uninstall touched the office's data"
ok "uninstalled silently: program, shortcuts and the Apps & features entry gone, the data kept"

rc=$(run "$SETUP" /S /NODESKTOP '/D=C:\Apps\Baqsha')
[ "$rc" = 0 ] || fail "the install into C:\\Apps\\Baqsha failed ($rc)"
[ -f "$C/Apps/Baqsha/baqsha.exe" ] || fail "not installed into the folder given with /D"
[ ! -e "$C/users/Public/Desktop/Baqsha.lnk" ] || fail "/NODESKTOP made a desktop shortcut"
[ "$(reg_value "$UNINST" InstallLocation)" = 'C:\Apps\Baqsha' ] || fail "Apps & features has another folder"
rc=$(run "$C/Apps/Baqsha/uninstall.exe" /S)
[ "$rc" = 0 ] && [ ! -e "$C/Apps/Baqsha" ] || fail "the uninstall from C:\\Apps\\Baqsha failed"
ok "/D= chooses the folder, /NODESKTOP leaves the desktop alone"

say "a PC without WebView2, with the runtime bundled into the installer"
bundle=$(mktemp -d)
makensis -V1 -DOUTFILE="$bundle/MicrosoftEdgeWebView2RuntimeInstallerX64.exe" installer/tests/fake-webview2.nsi
makensis -V1 -DVERSION="$VERSION" -DPAYLOAD="$OUT/payload" -DWEBVIEW2_DIR="$bundle" -DOUTFILE="$bundle/setup.exe" installer/baqsha.nsi
WV2='HKLM\SOFTWARE\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}'
"$WINE" reg delete "$WV2" /f /reg:32 >/dev/null 2>&1
rc=$(run "$bundle/setup.exe" /S)
[ "$rc" = 0 ] || fail "the installer with WebView2 bundled failed ($rc)"
"$WINE" reg query "$WV2" /v pv /reg:32 >/dev/null 2>&1 || fail "the bundled WebView2 installer did not run"
[ -f "$PF/baqsha.exe" ] || fail "Baqsha was not installed after the bundled WebView2"
rc=$(run "$PF/uninstall.exe" /S)
rm -rf "$bundle"
ok "the bundled WebView2 runtime is installed silently first, then Baqsha"

# A look, as IT's first click shows it: Windows set to Kazakh, the installer's first page
# (a picture in artifacts/ to open; the texts themselves are checked above).
ART="${BAQSHA_ARTIFACTS:-$BAQSHA_ROOT/artifacts}"
mkdir -p "$ART"
"$WINE" reg add 'HKCU\Control Panel\International' /v Locale /t REG_SZ /d 0000043F /f >/dev/null 2>&1
"$WINE" reg add 'HKCU\Control Panel\International' /v LocaleName /t REG_SZ /d kk-KZ /f >/dev/null 2>&1
# A Wine server started without a display would keep the window off the screen.
wineserver -w
timeout 60 xvfb-run -a -s "-screen 0 1024x768x24" bash -c '
  LANG=kk_KZ.UTF-8 LC_ALL=kk_KZ.UTF-8 "$1" "$2" &
  for i in $(seq 40); do
    sleep 1; import -window root "$3"
    [ "$(convert "$3" -format "%[fx:mean>0.05]" info:)" = 1 ] && break
  done
  sleep 1; import -window root "$3"; wineserver -k' _ "$WINE" "$SETUP" "$ART/installer-kk.png" \
  >/dev/null 2>&1 || true
if [ "$(convert "$ART/installer-kk.png" -format "%[fx:mean>0.05]" info: 2>/dev/null)" = 1 ]; then
  ok "the Kazakh installer's first page: $ART/installer-kk.png"
else
  echo "  (no picture of the installer's first page: its window did not show under Xvfb)"
  iconv -f UTF-16 -t UTF-8 "$LOG" 2>/dev/null | tail -n 2
fi

printf 'installer figures: setup %s KB, MSI %s KB, baqsha.exe %s KB, silent install %s s\n' \
  $(( $(stat -c %s "$SETUP") / 1024 )) $(( $(stat -c %s "$MSI") / 1024 )) $(( $(stat -c %s "$OUT/payload/baqsha.exe") / 1024 )) "$install_time"
say "the installers work as IT will use them"
