#!/usr/bin/env bash
# Issue 15's figures: the TT 10/2021 link for 100 stations against a real pure-ftpd on loopback.
#   1. live: 100 stations of one sensor each report every second (envmon-sim load); each closed
#      1-minute interval becomes one file per station; delay from the interval's end to the
#      server's confirmation, p50/p99, and files per minute;
#   2. backlog: `envmon transmit resend` of every interval of the run at once; files per minute
#      until the backlog is empty (one FTP login per target, then the connection is reused).
# (Plain numbers without a time of their own, so readings are dated as they arrive.)
# Prints the figures and rewrites the "Transmission" section of BENCHMARKS.md.
#
#   bash Simulator/transmit-bench.sh            # TRANSMIT_MINUTES=4 by default
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=${TRANSMIT_MINUTES:-4}
STATIONS=${TRANSMIT_STATIONS:-100}
WORK=${TRANSMIT_DIR:-/tmp/envmon-transmit-bench}
PORT=${TRANSMIT_PORT:-18870}
FTP_PORT=${TRANSMIT_FTP_PORT:-18871}
OUT=${TRANSMIT_OUT:-BENCHMARKS.md}

. Simulator/lib.sh
build_release envmond envmon envmon-sim
fresh_dir "$WORK"

start_transmit_rig "$WORK" "$PORT" "$FTP_PORT" "$STATIONS" BENCH ldtb- TB $'retry_min = "1s"\nretry_max = "10s"'

echo "== live: $STATIONS stations, 1 reading/s each, $MINUTES minutes"
STARTED_MS=$(date +%s%3N)
"$SIM" load --broker "$BROKER" --db "$DB" --series "$STATIONS" --rate "$STATIONS" --step 1s \
    --count $((STATIONS * 60 * MINUTES)) --run-id tb --untimed --json >"$WORK/load.json"
# The last interval closes, is made 2 s later and sent.
sleep 70
ENDED_MS=$(date +%s%3N)

live_figures() { # → JSON of the delay figures: interval end → confirmed, over the data files sent
    outbox_entries "$DB" "$WORK/outbox-live.json"
    python3 - "$WORK/outbox-live.json" <<'PY'
import datetime, json, sys
def ms(text):
    return round(datetime.datetime.fromisoformat(text).timestamp() * 1000)
rows = json.load(open(sys.argv[1], encoding="utf-8"))
delays = sorted(ms(r["sent_at"]) - ms(r["interval_end"]) for r in rows if r["sent_at"] and r["kind"] == "data_file")
def pct(p):
    return delays[min(len(delays) - 1, int(p * len(delays)))] if delays else None
print(json.dumps({"files": len(delays), "p50_ms": pct(0.5), "p99_ms": pct(0.99), "max_ms": delays[-1] if delays else None}))
PY
}
LIVE=$(live_figures)
echo "$LIVE"

echo "== backlog: resend every interval of the run"
"$BIN/envmon" transmit resend --config "$WORK/envmon.toml" --db "$DB" --from "-$((MINUTES + 3))m" --to now >"$WORK/resend.txt"
cat "$WORK/resend.txt"
RESEND_MS=$(date +%s%3N)
# Up to 20 minutes; what was delivered by then counts.
left=0
for _ in $(seq 6000); do
    left=$(outbox_backlog "$DB" "$WORK/envmon.toml")
    [ "$left" = 0 ] && break
    sleep 0.2
done
DRAINED_MS=$(date +%s%3N)
RESENT=$(( $(grep -o '^[0-9]*' "$WORK/resend.txt" | head -1) - left ))

python3 - "$OUT" "$LIVE" "$RESENT" "$RESEND_MS" "$DRAINED_MS" "$STARTED_MS" "$ENDED_MS" "$STATIONS" "$MINUTES" <<'PY'
import json, sys, re, subprocess, datetime
out, live, resent, t0, t1, start, end, stations, minutes = sys.argv[1:]
live = json.loads(live)
resent, t0, t1, start, end = int(resent), int(t0), int(t1), int(start), int(end)
backlog_rate = resent / ((t1 - t0) / 60000) if t1 > t0 else float("nan")
live_rate = live["files"] / ((end - start) / 60000)
section = f"""## Transmission (issue 15)

`bash Simulator/transmit-bench.sh` (release build; TRANSMIT_STATIONS={stations}, TRANSMIT_MINUTES={minutes}),
{datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M')} UTC on this machine: {stations} stations of one sensor each
reporting every second, 1-minute TT 10/2021 files, `delay = "2s"`, one pure-ftpd on loopback
(puredb user, password hashed by pure-pw: a login costs the server about 2.5 s).

| figure | value |
|---|---:|
| files made and confirmed during the live run | {live['files']} ({live_rate:.0f} per minute) |
| interval end → server confirmed, p50 | {live['p50_ms']} ms |
| interval end → server confirmed, p99 | {live['p99_ms']} ms |
| interval end → server confirmed, max | {live['max_ms']} ms |
| backlog (resend of the whole run): {resent} files delivered at | {backlog_rate:.0f} files per minute |

The delay includes the configured 2 s wait for late readings; files go out over one FTP
connection kept open (one libcurl handle and multi handle per target), oldest first; the p99 and
max include the first login of the run (pure-ftpd: ~2.5 s) and the scheduler's one-second tick.
"""
try:
    text = open(out, encoding="utf-8").read()
except FileNotFoundError:
    text = "# Benchmarks\n"
text = re.sub(r"\n## Transmission \(issue 15\)\n.*?(?=\n## |\Z)", "", text, flags=re.S)
open(out, "w", encoding="utf-8").write(text.rstrip("\n") + "\n\n" + section)
print(section)
PY
