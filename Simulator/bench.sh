#!/usr/bin/env bash
# EnvMon benchmark: one run measures the broker's ceiling, SQLite's ceiling and envmond against
# them, ingest as the database grows, CLI query times on a year of data, and peak RSS; prints a
# table and writes BENCHMARKS.md (machine, command, figures).
#
#   bash Simulator/bench.sh                     # full run (about 30 min on 2 cores, ~8 GB in /tmp)
#   BENCH_QUICK=1 bash Simulator/bench.sh       # quick: small counts, a week instead of a year
#
# Environment: BENCH_COUNT (readings per ingest run), BENCH_SERIES (series in the load stream),
# BENCH_PREFILL_SPAN (history per prefilled series, default 365d), BENCH_STAGES (prefilled series
# per growth stage; 5 metrics per pf- sensor; default "20 50 96" = 10.5 M, 26.3 M, 50.5 M readings
# of 1-minute data), BENCH_CLI_SERIES (series of the CLI query database, default 50),
# BENCH_STEADY_COUNT and BENCH_STEADY_RATE (the steady QoS 1 run for CPU per reading: 130000 at
# 2000/s, 30000 with BENCH_QUICK), BENCH_DIR (work directory), BENCH_PORT, BENCH_OUT (report file).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
    COUNT=${BENCH_COUNT:-200000}
    SPAN=${BENCH_PREFILL_SPAN:-7d}
    STEADY_COUNT=${BENCH_STEADY_COUNT:-30000}
else
    COUNT=${BENCH_COUNT:-1000000}
    SPAN=${BENCH_PREFILL_SPAN:-365d}
    STEADY_COUNT=${BENCH_STEADY_COUNT:-130000}
fi
# The steady load's rate: a district's busy day, far below the ceiling, where the daemon's CPU per
# reading (not the broker's) is what counts.
STEADY_RATE=${BENCH_STEADY_RATE:-2000}
SERIES=${BENCH_SERIES:-1000}
CLI_SERIES=${BENCH_CLI_SERIES:-50}
STAGES=${BENCH_STAGES:-20 50 96}
WORK=${BENCH_DIR:-/tmp/envmon-bench}
PORT=${BENCH_PORT:-18850}
OUT=${BENCH_OUT:-BENCHMARKS.md}
COMMAND="$0 $*"
ENVIRONMENT=$(env | grep -E '^BENCH_' | tr '\n' ' ' || true)
STARTED=$(date +%s)

. Simulator/lib.sh
build_release envmond envmon envmon-sim
fresh_dir "$WORK"
start_broker "$PORT" "$WORK"

# The tools' JSON reports, one file each in WORK.
report() { echo "$WORK/$1.json"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "-" }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.1f×", a / b; else print "-" }'; }
median_ms() { # COMMAND...: median wall time of 5 runs, ms
    local times=()
    for _ in 1 2 3 4 5; do
        local t0 t1
        t0=$(date +%s%N)
        "$@" >/dev/null
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 1000000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

ROWS=()
row() { ROWS+=("$(printf '| %-58s | %14s | %-24s |' "$1" "$2" "$3")"); echo "  $1: $2 $3"; }
PEAK_RSS=0
note_rss() { # REPORT
    local rss
    rss=$(json_get "$(report "$1")" daemonPeakRSSMiB)
    [ -n "$rss" ] && PEAK_RSS=$(awk -v a="$PEAK_RSS" -v b="$rss" 'BEGIN { print (b > a ? b : a) }')
    return 0
}

echo "== broker → sink ceiling ($COUNT readings, topic prefix sinkbench: the daemon does not subscribe it)"
sink() { "$SIM" sink --broker "$BROKER" --publish --topic-prefix sinkbench --count "$COUNT" --series "$SERIES" --json "$@"; }
sink --qos 0 >"$(report SINK0)"
sink --qos 1 >"$(report SINK1)"
sink --qos 1 --pack 10 >"$(report SINKP)"
S0=$(num "$(json_get "$(report SINK0)" storedRate)")
S1=$(num "$(json_get "$(report SINK1)" storedRate)")
SP=$(num "$(json_get "$(report SINKP)" storedRate)")
row "broker → sink, QoS 0, msg/s" "$S0" "lost $(json_get "$(report SINK0)" lost)"
row "broker → sink, QoS 1, msg/s" "$S1" "lost $(json_get "$(report SINK1)" lost)"
row "broker → sink, QoS 1, SenML packs of 10, readings/s" "$SP" "$(json_get "$(report SINKP)" messages) msgs"

echo "== raw SQLite batched inserts (batches of 2000)"
"$SIM" raw-sqlite --db "$WORK/raw.db" --rows $((COUNT * 2)) --batch 2000 --series "$SERIES" --json >"$(report RAW)"
R=$(json_get "$(report RAW)" rate)
RAW_CPU=$(json_get "$(report RAW)" cpuMicrosecondsPerRow)
row "raw SQLite insert, rows/s" "$R" "$(json_get "$(report RAW)" rows) rows"
row "raw SQLite insert, CPU per row, µs (getrusage)" "$(num "$RAW_CPU" 2)" "the floor for CPU per reading"
rm -f "$WORK"/raw.db*

echo "== envmond on an empty database ($COUNT readings per run, $SERIES series)"
# load DB REPORT ARGS...: a load run against the daemon on DB, its report in WORK/REPORT.json.
load() {
    local db=$1 name=$2
    shift 2
    "$SIM" load --broker "$BROKER" --db "$db" --series "$SERIES" --daemon-pid "$DAEMON_PID" --json "$@" \
        >"$(report "$name")" || true
}
start_daemon "$WORK/empty.db"
load "$WORK/empty.db" LOAD0 --count "$COUNT" --qos 0
load "$WORK/empty.db" LOAD1 --count "$COUNT" --qos 1
load "$WORK/empty.db" LOADP --count "$((COUNT * 2))" --qos 1 --pack 10
load "$WORK/empty.db" LOADS --count "$STEADY_COUNT" --qos 1 --rate "$STEADY_RATE"
# Publish → visible latency where the daemon is not the bottleneck: half the broker's own QoS 0
# rate to the sink in this run.
HALF_S0=$(awk -v a="${S0:-0}" 'BEGIN { printf "%.0f", a / 2 }')
[ "$HALF_S0" -gt 0 ] || HALF_S0=1000
load "$WORK/empty.db" LOADL --count "$COUNT" --qos 0 --rate "$HALF_S0"
stop_daemon
for run in LOAD0 LOAD1 LOADP LOADS LOADL; do note_rss "$run"; done
D0=$(num "$(json_get "$(report LOAD0)" storedRate)")
D1=$(num "$(json_get "$(report LOAD1)" storedRate)")
DP=$(num "$(json_get "$(report LOADP)" storedRate)")
row "envmond stored, QoS 0, 1 reading/msg, readings/s" "$D0" "$(ratio "$D0" "$S0") of sink (target 80 %)"
row "envmond stored, QoS 1, 1 reading/msg, readings/s" "$D1" "$(ratio "$D1" "$S1") of sink (target 95 %)"
row "envmond stored, QoS 1, SenML packs of 10, readings/s" "$DP" "$(ratio "$DP" "$R") of raw SQLite (target 50 %)"
row "  ... same, as ratio to broker → sink with packs" "$DP" "$(ratio "$DP" "$SP") of sink"
for name in LOAD0 LOAD1 LOADP; do
    run=$(report "$name")
    row "  $name latency p50 / p99 (ms), lost, duplicates" \
        "$(num "$(json_get "$run" latencyP50Milliseconds)") / $(num "$(json_get "$run" latencyP99Milliseconds)")" \
        "lost $(json_get "$run" lost), dup $(json_get "$run" duplicates)"
done
# CPU per stored reading: envmond's utime + stime (/proc/PID/stat) over each run ÷ readings it stored.
cpu_row() { # REPORT LABEL
    local cpu
    cpu=$(json_get "$(report "$1")" daemonCPUMicrosecondsPerReading)
    row "envmond CPU per stored reading, $2, µs" "$(num "$cpu" 1)" \
        "$(times "$cpu" "$RAW_CPU") raw SQLite row (target ≤ 5×)"
}
cpu_row LOAD0 "QoS 0 full rate"
cpu_row LOAD1 "QoS 1 full rate"
cpu_row LOADP "QoS 1 SenML packs of 10"
cpu_row LOADS "QoS 1 steady $STEADY_RATE/s ($STEADY_COUNT)"
row "  LOADS latency p50 / p99 (ms), lost" \
    "$(num "$(json_get "$(report LOADS)" latencyP50Milliseconds)") / $(num "$(json_get "$(report LOADS)" latencyP99Milliseconds)")" \
    "lost $(json_get "$(report LOADS)" lost)"
row "QoS 0 latency p50 / p99 at 50 % of sink ($HALF_S0 msg/s), ms" \
    "$(num "$(json_get "$(report LOADL)" latencyP50Milliseconds)") / $(num "$(json_get "$(report LOADL)" latencyP99Milliseconds)")" \
    "target p99 ≤ 500 ms; lost $(json_get "$(report LOADL)" lost)"

echo "== ingest as the database grows (prefill $SPAN of 1-minute data per series, then QoS 1 packs of 10)"
GROWTH_DB="$WORK/growth.db"
DONE_SERIES=0
for target in $STAGES; do
    "$SIM" prefill --db "$GROWTH_DB" --series $((target - DONE_SERIES)) --first-series "$DONE_SERIES" \
        --every 1m --span "$SPAN" --end=-10m --json 2>/dev/null >"$(report PREFILL)"
    DONE_SERIES=$target
    TOTAL=$(readings_stored "$GROWTH_DB")
    start_daemon "$GROWTH_DB"
    load "$GROWTH_DB" GROW --count "$((COUNT * 2))" --qos 1 --pack 10
    stop_daemon
    note_rss GROW
    G=$(num "$(json_get "$(report GROW)" storedRate)")
    row "envmond stored at $TOTAL readings in the db, readings/s" "$G" "$(ratio "$G" "$DP") of empty (target ≥ 90 % at 50 M); lost $(json_get "$(report GROW)" lost)"
    row "  prefill (ReadingWriter direct), readings/s" "$(json_get "$(report PREFILL)" rate)" "$(json_get "$(report PREFILL)" readings) readings"
done
rm -f "$GROWTH_DB"*
echo "== CLI query times on $SPAN of 1-minute data for $CLI_SERIES series (a database of its own)"
CLI_DB="$WORK/cli.db"
"$SIM" prefill --db "$CLI_DB" --series "$CLI_SERIES" --every 1m --span "$SPAN" --end=-10m --json 2>/dev/null >"$(report CLIFILL)"
CLI=("$BIN/envmon")
DBOPT=(--db "$CLI_DB" --config Config/envmon.toml)
row "CLI: query one series' $SPAN at --every 1h, ms (median of 5)" \
    "$(median_ms "${CLI[@]}" query --sensor pf-000 --metric water_temp --from=-"$SPAN" --every 1h "${DBOPT[@]}")" \
    "target 50 ms; $(json_get "$(report CLIFILL)" readings) readings"
row "CLI: query one day raw, ms" \
    "$(median_ms "${CLI[@]}" query --sensor pf-000 --metric water_temp --from=-24h "${DBOPT[@]}")" "1440 readings"
row "CLI: sensors, ms" "$(median_ms "${CLI[@]}" sensors "${DBOPT[@]}")" "target 50 ms"
row "CLI: latest, ms" "$(median_ms "${CLI[@]}" latest "${DBOPT[@]}")" "target 50 ms"
rm -f "$CLI_DB"*

row "envmond peak RSS (VmHWM) over all runs, MiB" "$(num "$PEAK_RSS" 1)" "target 100 MiB"

ELAPSED=$(($(date +%s) - STARTED))
MEMORY=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
SWIFT=$(swift --version 2>&1 | head -1)
MOSQUITTO=$(mosquitto -h 2>/dev/null | head -1 || true)
SQLITE=$(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || true)
# Everything after the table's "Reproduce:" line belongs to other scripts (alert-latency.sh,
# web-bench.sh and postgres-bench.sh own marked sections) or was written by hand (profiles,
# before/after runs): kept across rewrites.
KEEP=""
if [ -f "$OUT" ]; then
    KEEP=$(sed -n '/^Reproduce: `make bench`/,$p' "$OUT" | tail -n +2)
fi
{
    echo "# EnvMon benchmarks"
    echo
    echo "Produced by \`Simulator/bench.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ) in ${ELAPSED} s."
    echo
    echo "- command: \`${ENVIRONMENT}bash $COMMAND\`"
    echo "- machine: $(nproc) cores ($CPU), $MEMORY RAM, $(uname -sr)"
    echo "- software: $SWIFT; $MOSQUITTO; SQLite $SQLITE; release builds"
    echo "- broker: Config/mosquitto.conf on loopback (persistence, max_queued_messages 0, max_inflight_messages 100)"
    echo "- daemon: Config/envmon.toml (batches of 2000 / 100 ms, inbox fsync never)"
    echo "- load: $COUNT readings per run ($((COUNT * 2)) with SenML packs), $SERIES series 1 s apart, JSON with ts and seq;"
    echo "  the publisher runs flat out with at most 2000 messages in flight; rates are first publish → last"
    echo "  reading visible in the database (envmond) or received (sink); latency is publish → visible on"
    echo "  2000 sampled sequence numbers, polled every 10 ms"
    echo "- CPU: envmond's utime + stime from /proc/PID/stat over each load run ÷ readings stored, against"
    echo "  \`envmon-sim raw-sqlite\`'s own CPU (getrusage) per row; steady run: QoS 1 at $STEADY_RATE/s, $STEADY_COUNT readings;"
    echo "  latency at 50 %: QoS 0 at half the broker → sink QoS 0 rate of the same run"
    echo "- growth: history prefilled with envmond's own ReadingWriter, $SPAN of 1-minute data per series"
    echo "  (stages: $STAGES series, 5 metrics per pf- sensor); each stage's load run adds $SERIES sensors"
    echo "- CLI: release \`envmon\`, process start included, on a separate database of $CLI_SERIES series"
    echo
    echo "| figure | value | notes |"
    echo "|---|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Reproduce: \`make bench\` (full) or \`BENCH_QUICK=1 bash Simulator/bench.sh\` (a few minutes)."
    if [ -n "$KEEP" ]; then
        echo "$KEEP"
    fi
} >"$OUT"
echo
cat "$OUT"
