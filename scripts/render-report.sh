#!/usr/bin/env bash
# Renders the demo report (the Cát Hải network's November 2026 as the simulator makes it) to HTML,
# prints it to A4 PDF with headless Chromium (Debian's `chromium`), rasterises every page and checks
# that none is blank; with --commit, copies page 1 to docs/report-demo-vi.png for the README.
#
# The month comes from `envmon-sim fill`: the shipped config's network with the demo scenario
# (Simulator/scenarios/demo-month.json: silent and stuck sensors, a fouled probe, low-oxygen nights,
# a storm, stray faults) through envmond's own ingest, so the QC flags, gaps and alerts are the
# daemon's. Seeded: the same database on every run.
#
#   scripts/render-report.sh [--lang vi|en] [--commit] [--reuse-db]
#
# Needs: chromium, poppler-utils (pdftoppm), python3. Files go to run/report-demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

lang="vi"
commit=no
reuse=no
while [ $# -gt 0 ]; do
    case "$1" in
        --lang=*) lang="${1#--lang=}" ;;
        --lang) [ $# -ge 2 ] || { echo "$0: --lang needs vi or en" >&2; exit 2; }; lang="$2"; shift ;;
        --commit) commit=yes ;;
        --reuse-db) reuse=yes ;;
        *) echo "usage: $0 [--lang vi|en] [--commit] [--reuse-db]" >&2; exit 2 ;;
    esac
    shift
done
case "$lang" in vi | en) ;; *) echo "$0: --lang $lang: use vi or en" >&2; exit 2 ;; esac

. Simulator/lib.sh
require_tools "apt-get install -y chromium poppler-utils" chromium pdftoppm python3

out=run/report-demo
mkdir -p "$out"
database="$PWD/$out/demo.db"

swift build --product envmon >/dev/null
if [ "$reuse" = no ] || [ ! -f "$database" ]; then
    # Optimised, and the alert timer every 10 simulated minutes, not envmond's every minute: its
    # 24-hour means read a day of roll-ups each time, hours of work over a month. About 10 minutes.
    # JSON for every sensor: its `seq` makes the report's missing-message counts match the gaps.
    swift build -c release --product envmon-sim >/dev/null
    echo "simulating November 2026 into $database (envmon-sim fill; the alerts it raised: $out/fill.log)"
    rm -f "$database" "$database-wal" "$database-shm"
    .build/release/envmon-sim fill --config Config/envmon.toml --scenario Simulator/scenarios/demo-month.json \
        --seed 2026 --start 2026-11-01T00:00:00+07:00 --span 30d --timer 10m --format json \
        --db "$database" 2>"$out/fill.log"
    tail -n 1 "$out/fill.log"
fi

html="$out/report-2026-11.$lang.html"
.build/debug/envmon report --period 2026-11 --now 2026-12-01T06:00:00+07:00 --config Config/envmon.toml \
    --indicators Config/indicators.toml --db "$database" --lang "$lang" --format html --out "$html" >/dev/null
.build/debug/envmon report --period 2026-11 --now 2026-12-01T06:00:00+07:00 --config Config/envmon.toml \
    --indicators Config/indicators.toml --db "$database" --format json --out "$out/report-2026-11.json" >/dev/null

# Print as Chromium prints: A4 and the @page margins of the stylesheet; no network at all.
pdf="$out/report-2026-11.$lang.pdf"
chromium --headless --no-sandbox --disable-gpu --disable-extensions --no-first-run --no-pdf-header-footer \
    --run-all-compositor-stages-before-draw --virtual-time-budget=5000 \
    --print-to-pdf="$PWD/$pdf" "file://$PWD/$html" 2>/dev/null

rm -f "$out"/page-*.ppm
pdftoppm -r 60 "$pdf" "$out/page"

# Every page must carry ink: a blank page is almost all white.
python3 - "$out" <<'PY'
import glob, sys

def read_ppm(path):
    with open(path, "rb") as handle:
        data = handle.read()
    fields, position = [], 0
    while len(fields) < 4:
        while data[position:position + 1].isspace():
            position += 1
        if data[position:position + 1] == b"#":
            position = data.index(b"\n", position)
            continue
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[position + 1:]

pages = sorted(glob.glob(sys.argv[1] + "/page-*.ppm"))
if not pages:
    sys.exit("no pages rendered")
problems = []
for page in pages:
    width, height, pixels = read_ppm(page)
    dark = sum(1 for i in range(0, len(pixels), 3) if pixels[i] + pixels[i + 1] + pixels[i + 2] < 600)
    share = dark / (width * height)
    print(f"{page}: {width}x{height}, {share:.2%} ink")
    if share < 0.002:
        problems.append(page)
if problems:
    sys.exit("blank pages: " + ", ".join(problems))
print(f"{len(pages)} pages, none blank")
PY

# The picture for the README: page 1 (masthead, section I) beside the first page with an AQI
# calendar, laid side by side by Chromium itself (no image library needed).
calendar=1
page_files=("$out"/page-*.ppm)
pages=${#page_files[@]}
for page in $(seq 2 "$pages"); do
    if pdftotext -f "$page" -l "$page" "$pdf" - | grep -q -e "Lịch AQI" -e "AQI calendar"; then calendar=$page; break; fi
done
rm -f "$out"/sheet-*.png
pdftoppm -r 100 -png -f 1 -l 1 "$pdf" "$out/sheet"
pdftoppm -r 100 -png -f "$calendar" -l "$calendar" "$pdf" "$out/sheet"
cat > "$out/sheet.html" <<HTML
<!DOCTYPE html><html><body style="margin:0;background:#8a8f96;display:flex;gap:24px;padding:24px">
$(for image in "$out"/sheet-*.png; do echo "<img src=\"$(basename "$image")\" style=\"width:827px;box-shadow:0 2px 8px #0006\">"; done)
</body></html>
HTML
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1750,1230 \
    --screenshot="$PWD/$out/sheet.png" "file://$PWD/$out/sheet.html" 2>/dev/null
echo "pages 1 and $calendar side by side: $out/sheet.png"
if [ "$commit" = yes ]; then
    cp "$out/sheet.png" "docs/report-demo-$lang.png"
    echo "copied to docs/report-demo-$lang.png"
fi
