#!/usr/bin/env bash
# Peer baseline for the PDF benchmark: how long LibreOffice headless takes to turn a
# referral certificate equivalent to ours (crates/documents/src/referral.rs, Kazakh) from
# HTML into PDF. BENCH_RUNS (default 5) warm runs are timed after one cold run, which pays
# for creating the profile and is reported on its own.
set -euo pipefail
# `grep -q` in a pipeline under pipefail can fail a match: it exits at the first match and
# the writer dies of SIGPIPE. This reads its input to the end.
contains() { grep "$@" > /dev/null; }

RUNS="${BENCH_RUNS:-5}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

if ! command -v soffice >/dev/null 2>&1; then
  echo "installing libreoffice-writer-nogui" >&2
  # Without the update a fresh image may have no package lists at all.
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q libreoffice-writer-nogui fonts-dejavu-core poppler-utils
fi

WORK="$(mktemp -d /tmp/baqsha-bench-lo.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/out"

# Same content as the Rust referral certificate in Kazakh, with the seed's obligations and
# admission documents; the last line makes sure every Kazakh-specific letter is rendered.
cat > "$WORK/referral.html" <<'HTML'
<!DOCTYPE html>
<html lang="kk"><head><meta charset="utf-8">
<title>ТАҒАЙЫНДАУҒА АРНАЛҒАН АНЫҚТАМА — ЖОЛДАМА 2026-000123</title>
<style>
  @page { size: A4; margin: 20mm; }
  /* LibreOffice's HTML import does not inherit the font into headings, tables or lists. */
  body, p, h1, h2, td, li { font-family: "DejaVu Sans"; font-size: 10pt; }
  p, li { margin: 0 0 1mm; }
  .hdr { font-size: 9pt; }
  h1 { font-size: 15pt; text-align: center; margin: 5mm 0 2mm; }
  h2 { font-size: 11pt; margin: 3mm 0 1mm; }
  .num { font-size: 12pt; font-weight: bold; text-align: center; }
  td { padding: 0 4pt; vertical-align: top; }
  td.l { width: 35%; color: #444; }
</style></head>
<body>
<p class="hdr">Шығыс Қазақстан облысы</p>
<p class="hdr">Өскемен қаласының білім бөлімі</p>
<h1>ТАҒАЙЫНДАУҒА АРНАЛҒАН АНЫҚТАМА — ЖОЛДАМА</h1>
<p class="num">Жолдама № 2026-000123</p>
<table width="100%">
<tr><td class="l">Берілген күні:</td><td>25.11.2026 14:33</td></tr>
<tr><td class="l">Жарамды мерзімі:</td><td>02.12.2026</td></tr>
<tr><td class="l">Балабақша:</td><td>«Ақбота» бөбекжайы</td></tr>
<tr><td class="l">Мекенжайы:</td><td>Өскемен қ., Қабанбай батыр к-сі, 12</td></tr>
<tr><td class="l">Топ:</td><td>Күншуақ</td></tr>
<tr><td class="l">Жасы:</td><td>3–4 жас</td></tr>
<tr><td class="l">Оқыту тілі:</td><td>қазақ тілі</td></tr>
<tr><td class="l">Баланың ТАӘ:</td><td>Әбдірахманова Ұлжан Серікқызы</td></tr>
<tr><td class="l">Туған күні:</td><td>14.03.2023</td></tr>
<tr><td class="l">ЖСН:</td><td>230314650123</td></tr>
<tr><td class="l">Ата-анасы:</td><td>Әбдірахманова Гүлнұр Қайратқызы</td></tr>
</table>
<h2>Жолдама</h2>
<p>Жолдаманың қолдану мерзімі – алынған сәттен бастап 5 жұмыс күні (02.12.2026 қоса алғанда). Осы уақыттағы қажеттілер:</p>
<p>– таңдалған балабақшаға талап етілген құжаттар жиынымен келу,</p>
<p>– SMS арқылы келген жолдама нөмірін хабарлау,</p>
<p>– балабақшаға тағайындау рәсімінен өту.</p>
<p><b>Егер сізде жеңілдік бар болса, онда балабақшаға келерде келесі тиісті құжаттарды білім беру бөліміне ұсына отырып, жеңілдікті растау қажет.</b></p>
<h2>ТАҒАЙЫНДАУҒА АРНАЛҒАН ҚҰЖАТТАР</h2>
<p>Балабақшаға тағайындау үшін келесі құжаттар жиынтығын ұсыну қажет:</p>
<ul>
<li>ата-анасының біреуінің немесе заңды өкілдерінің жеке басын куәландыратын құжат (сәйкестендіру үшін);</li>
<li>баланың туылғанын куәландыратын құжат (сәйкестендіру үшін);</li>
<li>Қазақстан Республикасы Денсаулық сақтау министрінің 2003 жылғы 24 маусымдағы № 469 бұйрығымен бекітілген «Баланың денсаулық паспорты» 026/у-3 есепке алу үлгісі бойынша баланың денсаулық паспорты;</li>
<li>баланың денсаулық жағдайы туралы анықтама;</li>
<li>психологиялық-медициналық-педагогикалық консультацияның қорытындысы (ерекше білім беру қажеттіліктері бар балалар үшін).</li>
</ul>
<table width="100%">
<tr><td class="l">Берген:</td><td>Өскемен қаласының білім бөлімі, Серікбаев Һ. Ә.</td></tr>
</table>
<p class="hdr">Әріптер: ӘҒҚҢӨҰҮҺІ әғқңөұүһі</p>
</body></html>
HTML

# One profile for all runs: only the first run pays for creating it.
PROFILE="file://$WORK/profile"
convert_ms() {
  local t0 t1
  t0=$(date +%s%N)
  soffice -env:UserInstallation="$PROFILE" --headless --convert-to pdf \
    --outdir "$WORK/out" "$WORK/referral.html" >/dev/null 2>"$WORK/soffice.err" \
    || { cat "$WORK/soffice.err" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

cold=$(convert_ms)
echo "libreoffice_referral_run=cold ms=$cold"
times=()
for i in $(seq "$RUNS"); do
  ms=$(convert_ms)
  times+=("$ms")
  echo "libreoffice_referral_run=$i ms=$ms"
done

PDF="$WORK/out/referral.pdf"
pdftotext "$PDF" - | contains "ЖОЛДАМА" || { echo "the PDF has no ЖОЛДАМА text" >&2; exit 1; }

median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
echo "libreoffice_referral_ms_median=$median"
echo "libreoffice_referral_cold_ms=$cold"
echo "libreoffice_referral_bytes=$(stat -c %s "$PDF")"
