#!/usr/bin/env bash
# Issue 14: how long `envmon backup` holds up ingest. A database of ~10 M readings (prefill), release
# envmond on the default config, a steady QoS 1 load; the same load twice, without and with a
# backup running, and the load tool's publish → visible latency and the daemon's longest batch
# compared. Prints the figures (they go into the issue note and BENCHMARKS.md).
#
#   bash Simulator/backup-pause.sh          # about 4 minutes; BACKUP_SERIES=100 series × 70 days of 1-min readings = 10 M
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${BACKUP_DIR:-/tmp/envmon-backup-pause}
PORT=${BACKUP_PORT:-18892}
SERIES=${BACKUP_SERIES:-100}
RATE=${BACKUP_RATE:-2000}
COUNT=${BACKUP_COUNT:-60000}
. Simulator/lib.sh
build_release envmond envmon envmon-sim
fresh_dir "$WORK"
DB="$WORK/envmon.db"

echo "== prefill: $SERIES series, 70 days of 1-minute readings"
"$SIM" prefill --db "$DB" --series "$SERIES" --every 1m --span 70d --end=-1h
readings=$(readings_stored "$DB")
echo "   $readings readings, $(du -m "$DB" | cut -f1) MiB"

start_broker "$PORT" "$WORK"
sed 's/statistics_interval = "5s"/statistics_interval = "1s"/' Config/envmon.toml >"$WORK/envmon.toml"
start_daemon "$DB" "$WORK/envmon.toml"

daemon_max_batch() { store_figure "$DB" daemon.max_batch_ms; }
run_load() { # NAME
    "$SIM" load --broker "$BROKER" --db "$DB" --count "$COUNT" --rate "$RATE" --qos 1 --series 200 \
        --run-id "$1" --json >"$WORK/$1.json"
}
echo "== load without a backup ($COUNT readings at $RATE/s)"
run_load quiet
quiet_max=$(daemon_max_batch)
echo "== the same load with envmon backup running"
run_load busy &
LOAD=$!
track "$LOAD"
sleep 5
backup_started=$(date +%s%N)
"$BIN/envmon" backup --db "$DB" --to "$WORK/copy.db" --format json >"$WORK/backup.json"
backup_ms=$((($(date +%s%N) - backup_started) / 1000000))
wait_process "$LOAD"
busy_max=$(daemon_max_batch)
echo "== figures"
echo "   database: $readings readings, $(du -m "$DB" | cut -f1) MiB; the copy: $(du -m "$WORK/copy.db" | cut -f1) MiB in $backup_ms ms"
for run in quiet busy; do
    json="$WORK/$run.json"
    echo "   $run: stored $(json_get "$json" stored)/$COUNT, lost $(json_get "$json" lost), latency p50 $(json_get "$json" latencyP50Milliseconds) ms, p99 $(json_get "$json" latencyP99Milliseconds) ms, max $(json_get "$json" latencyMaxMilliseconds) ms"
done
echo "   daemon's longest batch since start: $quiet_max ms after the quiet run, $busy_max ms after the run with the backup"
