#!/usr/bin/env bash
# EnvMon alert-latency benchmark (issue 3): at a background load of 10,000 readings/s, the time
# from a threshold-crossing reading to its alert notice in the journal. One run on loopback:
# mosquitto, the release envmond with Config/envmon.toml plus one benchmark rule, and
# `envmon-sim alert-latency`, which binds the native-journal socket the daemon sends its
# structured fields to (envmond --journal-socket), publishes the load and, every 250 ms, a DO
# reading for lh-wq-01 that alternately falls below 5 mg/L (raised) and recovers above the clear
# level 5.3 (resolved). Prints a table and replaces the "Alert latency" section of BENCHMARKS.md
# (between markers; bench.sh keeps that section when it rewrites the file).
#
#   bash Simulator/alert-latency.sh
#
# Environment: ALERT_RATE (background readings/s, default 10000), ALERT_CROSSINGS (default 240),
# ALERT_INTERVAL (default 250ms), ALERT_SERIES (background series, default 1000),
# ALERT_DIR (work directory), ALERT_PORT (broker port; default: a free one), ALERT_OUT (report file).
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${ALERT_RATE:-10000}
CROSSINGS=${ALERT_CROSSINGS:-240}
INTERVAL=${ALERT_INTERVAL:-250ms}
SERIES=${ALERT_SERIES:-1000}
WORK=${ALERT_DIR:-/tmp/envmon-alert-latency}
OUT=${ALERT_OUT:-BENCHMARKS.md}
COMMAND="$0 $*"
ENVIRONMENT=$(env | grep -E '^ALERT_' | tr '\n' ' ' || true)
BEGIN_MARK="<!-- alert-latency:begin -->"
END_MARK="<!-- alert-latency:end -->"

. Simulator/lib.sh
# Tests and the other benchmarks start brokers of their own: a port nothing listens on.
PORT=${ALERT_PORT:-$(free_port)}
build_release envmond envmon-sim
fresh_dir "$WORK"

# The shipped config plus one rule that fires at once (for 0s) and has no flap suppression or
# repeat, so every crossing is one notice. The shipped do_low_aquaculture rule (for 5m) still
# runs on the same readings: it only goes pending and is cancelled, as in production.
CONFIG="$WORK/envmon.toml"
cp Config/envmon.toml "$CONFIG"
cat >>"$CONFIG" <<'EOF'

[[alerts]]
id = "bench_do_low"
kind = "below"
metric = "do"
sensors = "lh-wq-01"
threshold = 5.0
clear = 5.3
for = "0s"
severity = "critical"
basis = "Benchmark rule (Simulator/alert-latency.sh): QCVN 10-MT:2015/BTNMT, nuôi trồng thủy sản, DO ≥ 5 mg/L"
EOF

start_broker "$PORT" "$WORK"

# The simulator binds the socket first; the daemon starts once it exists. The simulator then
# waits for the database and for a first raised + resolved pair before it times anything.
SOCKET="$WORK/journal.sock"
echo "== envmon-sim alert-latency: $CROSSINGS crossings every $INTERVAL, background $RATE readings/s"
"$SIM" alert-latency --broker "$BROKER" --db "$WORK/envmon.db" --socket "$SOCKET" --rate "$RATE" \
    --series "$SERIES" --crossings "$CROSSINGS" --interval "$INTERVAL" --json >"$WORK/result.json" 2>"$WORK/sim.log" &
SIM_PID=$!
track "$SIM_PID"
for _ in $(seq 300); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || { cat "$WORK/sim.log" >&2; fail "the simulator did not bind $SOCKET"; }

DAEMON_ARGS="--journal-socket $SOCKET" start_daemon "$WORK/envmon.db" "$CONFIG"

SIM_STATUS=0
wait_process "$SIM_PID" || SIM_STATUS=$?
PEAK_RSS=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$DAEMON_PID/status" 2>/dev/null || true)
LOAD=$(awk '{ print $1 }' /proc/loadavg)
stop_daemon
RESULT="$WORK/result.json"
if [ ! -s "$RESULT" ]; then
    cat "$WORK/sim.log" >&2
    fail "no result (simulator exit $SIM_STATUS)"
fi
# result FIELD: one figure of the simulator's report.
result() { json_get "$RESULT" "$1"; }
# The journal lines on stderr (the person-readable side) for the same rule, as a cross-check.
LINES_RAISED=$(grep -c "raised bench_do_low" "$WORK/envmond.log" || true)
LINES_RESOLVED=$(grep -c "resolved bench_do_low" "$WORK/envmond.log" || true)

ROWS=()
row() { ROWS+=("$(printf '| %-52s | %16s | %-40s |' "$1" "$2" "$3")"); }
row "crossing → journal datagram, p50 (ms)" "$(num "$(result latencyP50Milliseconds)" 1)" \
    "raised $(num "$(result raisedP50Milliseconds)" 1), resolved $(num "$(result resolvedP50Milliseconds)" 1)"
row "crossing → journal datagram, p99 (ms)" "$(num "$(result latencyP99Milliseconds)" 1)" ""
row "crossing → journal datagram, max (ms)" "$(num "$(result latencyMaxMilliseconds)" 1)" ""
row "crossings timed (matched / missing / unexpected)" \
    "$(result matched) / $(result missing) / $(result unexpected)" \
    "of $(result crossings), every $(num "$(result intervalMilliseconds)") ms"
row "stderr journal lines (raised / resolved)" "$LINES_RAISED / $LINES_RESOLVED" "incl. the warm-up pair"
row "background rate during the crossings (readings/s)" "$(num "$(result backgroundRate)")" \
    "target $(num "$(result backgroundTargetRate)"), QoS 1, 1 JSON reading/msg"
row "background readings stored / lost" \
    "$(result backgroundStored) / $(result backgroundLost)" \
    "of $(result backgroundReadings); duplicates $(result duplicates)"
row "crossing readings stored" "$(result crossingsStored)" "of $(result crossings)"
row "envmond peak RSS (MiB)" "${PEAK_RSS:--}" ""
NOTE=$(result note)

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
SECTION=$(
    echo "$BEGIN_MARK"
    echo "## Alert latency"
    echo
    echo "Produced by \`Simulator/alert-latency.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ)."
    echo
    echo "- command: \`${ENVIRONMENT}bash $COMMAND\`"
    echo "- machine: $(nproc) cores ($CPU); load average at the end $LOAD; release builds, loopback broker"
    echo "- what: Config/envmon.toml plus rule \`bench_do_low\` (DO < 5 mg/L on lh-wq-01, clear 5.3, for 0s, critical);"
    echo "  every $INTERVAL a DO reading for lh-wq-01, alternately 4.2 (raises) and 5.8 (resolves), while a"
    echo "  background of $RATE readings/s ($SERIES other series, JSON with ts, QoS 1) runs"
    echo "- latency: reading published → its \`raised\`/\`resolved\` datagram received on the native-journal socket"
    echo "  (envmond --journal-socket), matched by ENVMON_RULE, ENVMON_NOTICE and order; it includes the broker hop,"
    echo "  the ingest batch (flush at 2000 rows or 100 ms), the SQLite commit and the alert-state save"
    [ -n "$NOTE" ] && echo "- note: $NOTE"
    echo
    echo "| figure | value | notes |"
    echo "|---|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    echo "$END_MARK"
)
echo
echo "$SECTION"
if [ -f "$OUT" ]; then
    # Replace our section (or append it), leaving the rest of the file as it is.
    awk -v begin="$BEGIN_MARK" -v end="$END_MARK" '
        $0 == begin { skip = 1; next }
        $0 == end { skip = 0; next }
        skip { next }
        $0 == "" { blank++; next }
        { for (; blank > 0; blank--) print ""; print }
    ' "$OUT" >"$OUT.tmp"
    { echo; echo "$SECTION"; } >>"$OUT.tmp"
    mv "$OUT.tmp" "$OUT"
    echo "alert-latency: updated the Alert latency section of $OUT"
fi
exit "$SIM_STATUS"
