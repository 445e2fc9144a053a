#!/usr/bin/env bash
# Issue 16's "Speed" figures for the web console: the release `envmon serve` over a database of
# WEB_BENCH_SENSORS sensors with a year of 1-minute data, on a free loopback port.
#   1. server time (the `Server-Timing: app;dur` header) and client time (curl's time_total) of
#      the overview, a site page, the 1-year series page and API request (the goals: p99 of 100
#      requests under 100 ms), and the 24-hour and 7-day series pages for information: 5 warm-up
#      requests, then 100 one after the other; the overview and the site page also 100 requests
#      WEB_BENCH_FRESH_GAP apart, so each one reads a fresh snapshot (the snapshot is kept 1 s);
#   2. wrk with 200 connections on the overview for 30 s: requests/s, latency, errors (must be 0);
#      the server's peak RSS afterwards;
#   3. the overview's page weight: the HTML plus every local stylesheet, script and image it
#      names (uncompressed: the server does not compress); must be under 300 KB (300,000 bytes).
# Prints a table, replaces the "Web console (issue 16)" section of BENCHMARKS.md (between
# markers) and exits non-zero when a goal is missed.
#
# The database is made by `envmon-sim prefill` (envmond's own ReadingWriter, so roll-ups and
# latest values are what ingest makes): sensors pf-NNN with WEB_BENCH_METRICS metrics each,
# round-robin over WEB_BENCH_SITES sites pf-site-NN, one reading a minute over WEB_BENCH_SPAN up to
# the current minute. It is large, so it is kept in WEB_BENCH_CACHE under a key of these
# parameters and of the generator's sources; a later run tops it up to the current minute (or
# makes it anew when more than WEB_BENCH_MAX_TOPUP_DAYS behind) and deletes databases of other keys.
#
#   bash Simulator/web-bench.sh            # or: make web-bench
#
# Environment: WEB_BENCH_SENSORS (50), WEB_BENCH_METRICS (metrics per sensor, 1-5; 2),
# WEB_BENCH_SITES (10), WEB_BENCH_SPAN (365d), WEB_BENCH_REQUESTS (100), WEB_BENCH_FRESH_GAP (1.1 s),
# WEB_BENCH_WRK_SECONDS (30), WEB_BENCH_CONNECTIONS (200), WEB_BENCH_MAX_TOPUP_DAYS (30),
# WEB_BENCH_CACHE (.build/web-bench), WEB_BENCH_DIR (work directory), WEB_BENCH_PORT (default: a
# free port), WEB_BENCH_OUT (report file, BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."

SENSORS=${WEB_BENCH_SENSORS:-50}
METRICS=${WEB_BENCH_METRICS:-2}
SITES=${WEB_BENCH_SITES:-10}
SPAN=${WEB_BENCH_SPAN:-365d}
REQUESTS=${WEB_BENCH_REQUESTS:-100}
FRESH_GAP=${WEB_BENCH_FRESH_GAP:-1.1}
WRK_SECONDS=${WEB_BENCH_WRK_SECONDS:-30}
CONNECTIONS=${WEB_BENCH_CONNECTIONS:-200}
MAX_TOPUP_DAYS=${WEB_BENCH_MAX_TOPUP_DAYS:-30}
CACHE=${WEB_BENCH_CACHE:-.build/web-bench}
WORK=${WEB_BENCH_DIR:-/tmp/envmon-web-bench}
OUT=${WEB_BENCH_OUT:-BENCHMARKS.md}
COMMAND="bash Simulator/web-bench.sh $*"
ENVIRONMENT=$(env | grep -E '^WEB_BENCH_' | sort | tr '\n' ' ' || true)
SERIES=$((SENSORS * METRICS))
PER_SITE=$(((SENSORS + SITES - 1) / SITES))
if [ "$METRICS" -lt 1 ] || [ "$METRICS" -gt 5 ] || [ "$SITES" -lt 1 ] || [ "$PER_SITE" -lt 5 ]; then
    echo "need 1-5 metrics per sensor and a site with at least 5 sensors (sensors $SENSORS, sites $SITES)" >&2
    exit 2
fi

. Simulator/lib.sh

# run_tracked CMD...: CMD in the background (so cleanup can stop it), waited for; it keeps the
# caller's stdin (a background job would otherwise read /dev/null).
run_tracked() {
    "$@" <&0 &
    local pid=$!
    track "$pid"
    wait_process "$pid"
}

build_release envmon envmon-sim
fresh_dir "$WORK"
mkdir -p "$CACHE"

echo "== database: $SENSORS sensors x $METRICS metrics, $SITES sites, 1 reading/min over $SPAN"
GENERATOR=$(cat Simulator/Sources/EnvMonSimulation/Prefill.swift Sources/EnvMonStore/StoreMigrations.swift \
    Sources/EnvMonStore/Partitioning.swift | sha256sum | cut -c1-10)
KEY="sensors$SENSORS-metrics$METRICS-sites$SITES-span$SPAN-every1m-$GENERATOR"
DBDIR="$CACHE/$KEY"
DB="$DBDIR/envmon.db"
NOW=$(($(date +%s) / 60 * 60))
if [ -f "$DBDIR/meta" ]; then
    # shellcheck disable=SC1091
    . "$DBDIR/meta"
    if [ $((NOW - END)) -gt $((MAX_TOPUP_DAYS * 86400)) ]; then
        echo "cached database ends $(((NOW - END) / 86400)) days ago: making it anew"
        rm -rf "$DBDIR"
    fi
fi
TOPUP_READINGS=0
if [ ! -f "$DBDIR/meta" ]; then
    find "$CACHE" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
    mkdir -p "$DBDIR.partial"
    STARTED=$(date +%s%N)
    run_tracked "$SIM" prefill --db "$DBDIR.partial/envmon.db" --series "$SERIES" --metrics-per-sensor "$METRICS" \
        --sites "$SITES" --every 1m --span "$SPAN" --end "$(date -u -d "@$NOW" +%Y-%m-%dT%H:%M:%SZ)" --json \
        >"$DBDIR.partial/prefill.json"
    GEN_SECONDS=$(awk -v ns=$(($(date +%s%N) - STARTED)) 'BEGIN { printf "%.1f", ns / 1e9 }')
    GEN_READINGS=$(json_get "$DBDIR.partial/prefill.json" readings)
    GEN_DATE=$(date -u +%Y-%m-%d)
    READINGS=$GEN_READINGS
    END=$NOW
    printf 'END=%s\nGEN_SECONDS=%s\nGEN_READINGS=%s\nGEN_DATE=%s\nREADINGS=%s\n' \
        "$END" "$GEN_SECONDS" "$GEN_READINGS" "$GEN_DATE" "$GEN_READINGS" >"$DBDIR.partial/meta"
    mv "$DBDIR.partial" "$DBDIR"
    echo "made in $GEN_SECONDS s: $GEN_READINGS readings"
elif [ "$END" -lt "$NOW" ]; then
    # The same series from where the cached history ends to the current minute.
    run_tracked "$SIM" prefill --db "$DB" --series "$SERIES" --metrics-per-sensor "$METRICS" --sites "$SITES" \
        --every 1m --span "$(((NOW - END) / 60))m" --end "$(date -u -d "@$NOW" +%Y-%m-%dT%H:%M:%SZ)" --json \
        >"$WORK/topup.json"
    TOPUP_READINGS=$(json_get "$WORK/topup.json" readings)
    READINGS=$((READINGS + TOPUP_READINGS))
    END=$NOW
    printf 'END=%s\nGEN_SECONDS=%s\nGEN_READINGS=%s\nGEN_DATE=%s\nREADINGS=%s\n' \
        "$END" "$GEN_SECONDS" "$GEN_READINGS" "$GEN_DATE" "$READINGS" >"$DBDIR/meta"
    echo "cached database ($GEN_READINGS readings made in $GEN_SECONDS s on $GEN_DATE) topped up by $TOPUP_READINGS readings"
fi
DB_BYTES=$(du -cb "$DB"* | tail -1 | cut -f1)

# Config/envmon.toml's settings and alert rules, with the prefilled sensors and their sites in
# place of the shipped ones: sites spread over Cát Bà island, each sensor where prefill put it.
CONFIG="$WORK/envmon.toml"
python3 - "$CONFIG" "$SENSORS" "$METRICS" "$SITES" <<'PY'
import sys
out, sensors, metrics, sites = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
names = ["water_temp", "salinity", "ph", "do", "turbidity"][:metrics]  # Prefill.metrics, in order
kinds = ["aquaculture", "beach", "coast", "island"]
text = open("Config/envmon.toml", encoding="utf-8").read()
head, rest = text.split("# --- Sites", 1)
rules = "# --- Alert rules" + rest.split("# --- Alert rules", 1)[1]
parts = [head, "# --- Sites and sensors of the web benchmark (envmon-sim prefill --sites)\n"]
for n in range(sites):
    # Spread over Cát Bà: lat 20.70-20.85, lon 106.95-107.10 (golden-ratio steps in latitude).
    lat = 20.70 + 0.15 * ((n * 0.6180339887) % 1)
    lon = 106.95 + 0.15 * (n + 0.5) / sites
    parts.append(f'\n[[sites]]\nid = "pf-site-{n:02d}"\nname = "Benchmark site {n}"\n'
                 f'kind = "{kinds[n % len(kinds)]}"\nlat = {lat:.4f}\nlon = {lon:.4f}\n')
for k in range(sensors):
    listed = ", ".join(f'"{m}"' for m in names)
    parts.append(f'\n[[sensors]]\nid = "pf-{k:03d}"\nsite = "pf-site-{k % sites:02d}"\n'
                 f'metrics = [{listed}]\ninterval = "1m"\n')
parts.append("\n" + rules)
open(out, "w", encoding="utf-8").write("".join(parts))
PY
"$BIN/envmon" check-config "$CONFIG" >"$WORK/check-config.txt"

PORT=${WEB_BENCH_PORT:-$(free_port)}
URL="http://127.0.0.1:$PORT"
echo "== envmon serve on $URL"
"$BIN/envmon" serve --config "$CONFIG" --db "$DB" --listen "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
SERVER_PID=$!
track "$SERVER_PID"
if ! wait_port "$PORT" || ! kill -0 "$SERVER_PID" 2>/dev/null; then
    cat "$WORK/serve.log" >&2
    fail "envmon serve did not start"
fi

SITE=pf-site-00
SENSOR=pf-000
METRIC=water_temp
# Other work on the machine shows in the figures: the load average is reported with them.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== requests: 5 warm-up + $REQUESTS each (load average $LOAD_BEFORE)"
run_tracked python3 - "$URL" "$REQUESTS" "$FRESH_GAP" "$WORK/requests.json" \
    "overview /|/" \
    "site /sites/$SITE|/sites/$SITE" \
    "series 1y /series/$SENSOR/$METRIC?range=1y|/series/$SENSOR/$METRIC?range=1y" \
    "API series -365d|/api/v1/series?sensor=$SENSOR&metric=$METRIC&from=-365d" \
    "series 24h|/series/$SENSOR/$METRIC?range=24h" \
    "series 7d|/series/$SENSOR/$METRIC?range=7d" \
    "overview /, fresh snapshot each|/|fresh" \
    "site /sites/$SITE, fresh snapshot each|/sites/$SITE|fresh" <<'PY'
import json, subprocess, sys, time

base, count, gap, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]

def fetch(path):
    """One request over a new connection: (server ms, client ms, bytes)."""
    result = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-D", "-", "-w", "\n%{http_code} %{time_total} %{size_download}",
         base + path], capture_output=True, text=True, check=True)
    *headers, last = result.stdout.rstrip("\n").split("\n")
    status, total, size = last.split()
    if status != "200":
        sys.exit(f"{path}: HTTP {status}")
    server = None
    for line in headers:
        name, _, value = line.partition(":")
        if name.strip().lower() == "server-timing":
            server = float(value.split("dur=")[1].split(";")[0].split(",")[0])
    if server is None:
        sys.exit(f"{path}: no Server-Timing header")
    return server, float(total) * 1000, int(size)

def rank(values, p):  # nearest rank
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]

rows = []
for spec in sys.argv[5:]:
    label, path, *mode = spec.split("|")
    fresh = mode == ["fresh"]
    for _ in range(5):
        fetch(path)
    server, client, size = [], [], 0
    started = time.monotonic()
    for _ in range(count):
        if fresh:
            time.sleep(gap)
        s, c, size = fetch(path)
        server.append(s)
        client.append(c)
    row = {"label": label, "path": path, "fresh": fresh, "bytes": size, "seconds": time.monotonic() - started,
           "server_p50": rank(server, 50), "server_p99": rank(server, 99), "server_max": max(server),
           "client_p50": rank(client, 50), "client_p99": rank(client, 99)}
    rows.append(row)
    print(f"{label:44} server p50 {row['server_p50']:8.2f}  p99 {row['server_p99']:8.2f}  max {row['server_max']:8.2f} ms"
          f"   client p50 {row['client_p50']:8.2f}  p99 {row['client_p99']:8.2f} ms   {size} bytes"
          f"   {row['seconds']:.1f} s", flush=True)
json.dump(rows, open(out, "w"), indent=1)
PY

echo "== wrk -c $CONNECTIONS -t 2 -d ${WRK_SECONDS}s --latency $URL/"
run_tracked wrk -c "$CONNECTIONS" -t 2 -d "${WRK_SECONDS}s" --latency "$URL/" >"$WORK/wrk.txt"
cat "$WORK/wrk.txt"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
HWM_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")
RSS_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status")

echo "== page weight of the overview"
# The HTML, then every local stylesheet, script and image it names.
curl -sS -o "$WORK/overview.html" "$URL/"
python3 - "$WORK/overview.html" >"$WORK/assets.txt" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
found = []
for tag in re.findall(r"<(?:link|script|img|source|use|image|object|embed|iframe)\b[^>]*>", html, re.I):
    for url in re.findall(r'\b(?:href|src|data|xlink:href)\s*=\s*"([^"#]+)"', tag, re.I):
        if url.startswith("/") and not url.startswith("//") and re.search(r"\.(css|js|svg|png|jpe?g|webp|gif|ico|woff2?)(\?|$)", url):
            if url not in found:
                found.append(url)
for url in ["/static/console.css", "/static/console.js"]:
    if url not in found:
        found.append(url)
print("\n".join(found))
PY
WEIGHT="$WORK/weight.txt"
printf '/\t%s\n' "$(stat -c %s "$WORK/overview.html")" >"$WEIGHT"
while read -r asset; do
    printf '%s\t%s\n' "$asset" "$(curl -sS -f -o /dev/null -w '%{size_download}' "$URL$asset")" >>"$WEIGHT"
done <"$WORK/assets.txt"
cat "$WEIGHT"

MACHINE="$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
SOFTWARE="$(swift --version 2>&1 | sed -n 's/.*\(Swift version [^ ]* ([^)]*)\).*/\1/p' | head -1); SQLite $(sqlite3 --version | cut -d' ' -f1); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2); curl $(curl --version | head -1 | cut -d' ' -f2)"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Simulator Package.swift || echo ' + uncommitted changes')"

set +e
python3 - "$OUT" "$WORK/requests.json" "$WORK/wrk.txt" "$WEIGHT" "$HWM_KB" "$RSS_KB" <<PY
import json, re, sys
out, requests, wrk_path, weight_path, hwm, rss = sys.argv[1:7]
rows = json.load(open(requests))
wrk = open(wrk_path).read()
limit_ms, limit_bytes = 100.0, 300_000
misses = []

def ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

rate = float(re.search(r"Requests/sec:\s*([\d.]+)", wrk).group(1))
total = int(re.search(r"(\d+) requests in", wrk).group(1))
lat = {p: ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+(\S+)", wrk, re.M)}
socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", wrk)
socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
socket_text = "connect {}, read {}, write {}, timeout {}".format(*socket.groups()) if socket else "none"
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
non2xx = int(non2xx.group(1)) if non2xx else 0
weights = [line.split("\t") for line in open(weight_path).read().split("\n") if line]
weight = sum(int(size) for _, size in weights)

def verdict(ok, what):
    if not ok:
        misses.append(what)
    return "met" if ok else "**missed**"

table = ["| figure | server p50 / p99 / max | client p50 / p99 | goal |", "|---|---:|---:|---|"]
for row in rows:
    goal = ""
    if not row["label"].startswith("series 24h") and not row["label"].startswith("series 7d"):
        goal = f"server p99 < 100 ms: {verdict(row['server_p99'] < limit_ms, row['label'])}"
    else:
        goal = "(information)"
    how = f"{'$FRESH_GAP s apart, a fresh snapshot each' if row['fresh'] else 'back to back'}: {row['seconds']:.1f} s"
    table.append(f"| \`{row['path']}\` ({row['bytes']:,} bytes; {how}) "
                 f"| {row['server_p50']:.1f} / {row['server_p99']:.1f} / {row['server_max']:.1f} ms "
                 f"| {row['client_p50']:.1f} / {row['client_p99']:.1f} ms | {goal} |")
table2 = ["| figure | value | goal |", "|---|---:|---|",
          f"| wrk -c $CONNECTIONS -t 2 -d ${WRK_SECONDS}s \`/\`: requests/s | {rate:,.0f} ({total:,} requests) | |",
          f"| wrk latency p50 / p99 | {lat.get('50', float('nan')):.1f} / {lat.get('99', float('nan')):.1f} ms | |",
          f"| wrk socket errors / non-2xx-3xx answers | {socket_errors} ({socket_text}) / {non2xx} "
          f"| 0: {verdict(socket_errors == 0 and non2xx == 0, 'wrk errors')} |",
          f"| server peak RSS (VmHWM) after wrk; RSS then | {int(hwm) / 1024:.1f} MiB; {int(rss) / 1024:.1f} MiB | |",
          "| overview page weight: " + " + ".join(f"\`{u}\` {int(s):,}" for u, s in weights)
          + f" | {weight:,} bytes | < 300 KB (300,000 bytes): {verdict(weight < limit_bytes, 'page weight')} |"]

readings = int("$READINGS")
section = f"""<!-- web-bench:begin -->
## Web console (issue 16)

Produced by \`Simulator/web-bench.sh\` (\`make web-bench\`) on $(date -u +%Y-%m-%dT%H:%M:%SZ) at $COMMIT.

- command: \`$COMMAND\` $ENVIRONMENT
- machine: $MACHINE; the server, curl and wrk share the cores; load average
  (1, 5, 15 min) $LOAD_BEFORE before the requests, $LOAD_AFTER after wrk
- software: $SOFTWARE; release \`envmon serve\` (static Swift runtime, as \`make release\`), loopback
- database: $SENSORS sensors pf-NNN × $METRICS metric(s) (the first of water_temp, salinity, ph, do,
  turbidity) = $SERIES series, round-robin over $SITES sites (pf-site-00 has $PER_SITE sensors), one reading a
  minute over $SPAN up to the minute the run started: {readings:,} raw readings (as many 1-minute
  roll-ups, plus the hourly and daily ones), {$DB_BYTES / 2**30:.2f} GiB. Made by \`envmon-sim prefill\`
  (envmond's own ReadingWriter) in $GEN_SECONDS s ({$GEN_READINGS:,} readings, {$GEN_READINGS / max(1, $GEN_SECONDS):,.0f}/s) on $GEN_DATE,
  cached in $CACHE/ and topped up to the current minute on each run (+{$TOPUP_READINGS:,} this run).
  Every reading passed QC, so the series pages find no failed readings to mark (they still look
  for them over the last ≤ 7 days); the alerts table is empty.
- config: Config/envmon.toml's settings and alert rules with the $SITES sites (spread over Cát Bà,
  lat 20.70–20.85, lon 106.95–107.10) and $SENSORS sensors (interval 1m) in place of the shipped ones
- requests: 5 warm-up requests, then $REQUESTS one after the other, each on a new connection (curl);
  server = the \`Server-Timing: app;dur\` header (the handler, no network), client = curl's
  time_total; percentiles are nearest-rank. The overview and site pages read a snapshot kept up
  to 1 s: back to back, requests reuse it (at most one refresh per second of the run, its length is
  given); the rows "$FRESH_GAP s apart" make a fresh snapshot on every request, the worst case.

""" + "\n".join(table) + "\n\n" + "\n".join(table2) + "\n"
if misses:
    section += "\nMissed: " + ", ".join(misses) + ".\n"
section += "<!-- web-bench:end -->\n"

try:
    text = open(out, encoding="utf-8").read()
except FileNotFoundError:
    text = "# EnvMon benchmarks\n"
if "<!-- web-bench:begin -->" in text:
    before, rest = text.split("<!-- web-bench:begin -->", 1)
    after = rest.split("<!-- web-bench:end -->", 1)[1].lstrip("\n")
    text = before + section + ("\n" + after if after else "")
else:
    text = text.rstrip("\n") + "\n\n" + section
open(out, "w", encoding="utf-8").write(text)
print(section)
sys.exit(1 if misses else 0)
PY
STATUS=$?
set -e
[ "$STATUS" = 0 ] || echo "web-bench: a goal was missed (see above)" >&2
exit "$STATUS"
