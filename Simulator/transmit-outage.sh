#!/usr/bin/env bash
# Issue 15's fault case: the Sở's FTP server down for 10 minutes under load, then back.
# 10 stations report every second (plain numbers, dated on arrival); 1-minute TT 10/2021 files;
# pure-ftpd is stopped (its sessions too) two minutes in and started again ten minutes later.
# Checks: every interval's file arrives once (no file replaced after it first appeared), each
# byte-equal to `envmon transmit preview`, sent in interval order; prints the figures for
# RELIABILITY.md. Exit 1 on any failure.
#
#   bash Simulator/transmit-outage.sh     # OUTAGE_MINUTES=10, about 16 minutes in all
set -euo pipefail
cd "$(dirname "$0")/.."

OUTAGE=${OUTAGE_MINUTES:-10}
STATIONS=${OUTAGE_STATIONS:-10}
WORK=${OUTAGE_DIR:-/tmp/envmon-transmit-outage}
PORT=${OUTAGE_PORT:-18880}
FTP_PORT=${OUTAGE_FTP_PORT:-18881}
MINUTES=$((OUTAGE + 4))

. Simulator/lib.sh
build_release envmond envmon envmon-sim
fresh_dir "$WORK"

start_transmit_rig "$WORK" "$PORT" "$FTP_PORT" "$STATIONS" OUTAGE ldto- TO $'retry_min = "1s"\nretry_max = "30s"'

echo "== load: $STATIONS stations, 1 reading/s each, $MINUTES minutes; the server down from minute 2 for $OUTAGE minutes"
"$SIM" load --broker "$BROKER" --db "$DB" --series "$STATIONS" --rate "$STATIONS" --step 1s \
    --count $((STATIONS * 60 * MINUTES)) --run-id to --untimed --json >"$WORK/load.json" &
LOAD=$!
track "$LOAD"
sleep 120
stop_ftp
DOWN_MS=$(date +%s%3N)
echo "== server down"
sleep $((OUTAGE * 60))
BACKLOG_AT_END=$(outbox_backlog "$DB" "$WORK/envmon.toml")
start_ftp "$WORK" "$FTP_PORT"
UP_MS=$(date +%s%3N)
echo "== server back; $BACKLOG_AT_END files waiting"
# Every file's inode when first seen: an upload that replaced it would change it.
: >"$WORK/inodes.txt"
watch_inodes() { while true; do find "$WORK/ftp/home/inbox" -name 'HP_*' -printf '%f %i\n' >>"$WORK/inodes.txt"; sleep 1; done; }
watch_inodes &
WATCH=$!
track "$WATCH"
wait_process "$LOAD"
sleep 70
for _ in $(seq 600); do
    left=$(outbox_backlog "$DB" "$WORK/envmon.toml")
    [ "$left" = 0 ] && break
    sleep 1
done
stop_process "$WATCH"
find "$WORK/ftp/home/inbox" -name 'HP_*' -printf '%f %i\n' >>"$WORK/inodes.txt"

# Every entry with its exact bytes, through the CLI (times RFC 3339, bodies base64).
outbox_entries "$DB" "$WORK/outbox.json" --bodies
python3 - "$WORK" "$BIN/envmon" "$DOWN_MS" "$UP_MS" "$BACKLOG_AT_END" "$OUTAGE" "$STATIONS" <<'PY'
import base64, json, os, subprocess, sys, datetime
work, envmon, down, up, backlog, outage, stations = sys.argv[1:]
down, up, backlog = int(down), int(up), int(backlog)
def ms(text):
    return None if text is None else round(datetime.datetime.fromisoformat(text).timestamp() * 1000)
rows = json.load(open(f"{work}/outbox.json"))
for r in rows:
    r["sent_ms"], r["interval_end_ms"] = ms(r["sent_at"]), ms(r["interval_end"])
# The backlog: every file of an interval closed before the server came back, delivered by then.
drained = max((r["sent_ms"] for r in rows if r["interval_end_ms"] is not None and r["interval_end_ms"] <= up
    and r["sent_ms"] is not None), default=0)
failures = []
unsent = [r for r in rows if r["sent_at"] is None]
if unsent: failures.append(f"{len(unsent)} files never confirmed")
names = [r["name"] for r in rows]
if len(set(names)) != len(names): failures.append("a file was made twice")
on_server = sorted(n for n in os.listdir(f"{work}/ftp/home/inbox") if n.startswith("HP_"))
if on_server != sorted(names): failures.append(f"server has {len(on_server)} files, outbox {len(names)}")
first_inode = {}
for line in open(f"{work}/inodes.txt"):
    name, inode = line.split()
    if first_inode.setdefault(name, inode) != inode: failures.append(f"{name} was uploaded again")
# In order: sent times follow interval order per station (the unsent are failures above).
by_station = {}
for r in rows:
    if r["sent_ms"] is not None: by_station.setdefault(r["station"], []).append(r)
for station, items in by_station.items():
    items.sort(key=lambda r: r["interval_end_ms"])
    sent = [r["sent_ms"] for r in items]
    if sent != sorted(sent): failures.append(f"{station}: sent out of interval order")
mismatched = 0
for r in rows:
    preview = subprocess.run([envmon, "transmit", "preview", "--station", r["station"], "--at", r["interval_end"],
        "--config", f"{work}/envmon.toml", "--db", f"{work}/envmon.db"], capture_output=True).stdout
    server = open(f"{work}/ftp/home/inbox/{r['name']}", "rb").read()
    if preview != server or server != base64.b64decode(r["body_base64"]): mismatched += 1
if mismatched: failures.append(f"{mismatched} files differ from preview")
during = [r for r in rows if r["interval_end_ms"] and down <= r["interval_end_ms"] <= up]
print(json.dumps({"files": len(rows), "stations": int(stations), "outage_minutes": int(outage),
    "intervals_closed_during_outage": len({r["interval_end_ms"] for r in during}), "waiting_when_back": backlog,
    "backlog_delivered_seconds_after_back": round((drained - up) / 1000, 1) if drained else None,
    "replaced_after_arrival": sum(1 for f in failures if "again" in f), "differing_from_preview": mismatched,
    "failures": failures}))
sys.exit(1 if failures else 0)
PY
