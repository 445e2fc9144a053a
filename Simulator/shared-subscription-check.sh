#!/usr/bin/env bash
# What an HA set on an MQTT 5 shared subscription loses when a member goes away mid-stream, with
# persistent sessions (envmond's default, session_expiry = "7d") and with clean members
# (session_expiry = "0s": envmond then connects with clean start off and Session-Expiry-Interval 0,
# so the broker ends the session with the connection). mosquitto #2662: a shared message is handed
# to a member that is offline with a persistent session, and the QoS 1 messages in flight to (or
# queued for) a member whose session ends are dropped.
#
# Two envmond (envmond-a, envmond-b; each its own inbox journal) on one PostgreSQL 15 database, both
# subscribed to $share/envmon/cathai/+/+/+ and $share/envmon/cathai/+/+, behind the installed
# mosquitto on loopback (Config/mosquitto.conf, a fresh broker per run). mosquitto_pub -l publishes
# N QoS 1 readings {"ts":...,"water_temp":...} on cathai/lan_ha/lh-wq-01, each with its own time (1 s
# apart), at full speed (or CHECK_RATE per second); when KILL_AT % of them have been handed to
# mosquitto_pub, envmond-a is stopped (kill -9, or SIGTERM for the *-term cases) and stays down until
# DOWN seconds after the stream ended and the store settled; then it is started again. Figures per run:
#   stored while A down  rows of lh-wq-01/water_temp once the store settled with A down
#   waiting              N - that: readings not stored while A is down (at the broker for A's
#                        session, in A's journal, or lost)
#   broker store         mosquitto's $SYS/broker/store/messages/count then: the messages queued for
#                        A's session plus the retained ones (about 50: envmond's own retained
#                        topics); published every 10 s, so with DOWN >= 15 it is from after the stream
#   A / B                readings each collector stored (daemon_stats readings_stored; A's first
#                        life = stored while down - B's figure then; + its second life)
#   replayed             A's inbox.records of "inbox journal replayed" at its restart
#   after A back         rows once the store settled again; lost = N - that; duplicates = the
#                        `duplicates` counter (deliveries of a reading already stored) and rows -
#                        distinct ts (0 by the table's key)
# Prints a Markdown table and writes it to CHECK_OUT (WORK/results.md); WORK keeps every log. Exit 1
# when a persistent-session case lost a reading, or a collector stopped on its own (an error such as
# a PostgreSQL deadlock: noted in the run's row) or the per-collector figures did not add up.
#
#   bash Simulator/shared-subscription-check.sh      # 3 cases x 3 runs of 20000, about 4 minutes
#
# Environment: CHECK_COUNT (N, 20000), CHECK_RUNS (3), CHECK_CASES ("persistent-kill clean-kill
# clean-term"; also persistent-term), CHECK_KILL_AT (percent of the stream, 50), CHECK_DOWN (seconds
# A stays down after the stream ended, at least until the store settled; 15), CHECK_SETTLE (seconds
# without a new row that count as settled, 3), CHECK_RATE (messages/s, 0 = full speed), CHECK_BIN
# (where envmond is, default .build/debug; copied into WORK so a rebuild cannot swap it mid-run),
# CHECK_DIR (work directory; default a new /tmp/envmon-shared-check.*), CHECK_OUT.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${CHECK_COUNT:-20000}
RUNS=${CHECK_RUNS:-3}
CASES=${CHECK_CASES:-"persistent-kill clean-kill clean-term"}
KILL_AT=${CHECK_KILL_AT:-50}
DOWN=${CHECK_DOWN:-15}
SETTLE=${CHECK_SETTLE:-3}
RATE=${CHECK_RATE:-0}
BIN_FROM=${CHECK_BIN:-.build/debug}
COMMAND="$0 $*"
ENVIRONMENT=$(env | grep -E '^CHECK_' | sort | tr '\n' ' ' || true)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date +%s)

. Simulator/lib.sh
require_tools "make deps" mosquitto mosquitto_pub mosquitto_sub python3
for case_name in $CASES; do
    case $case_name in
    persistent-kill | persistent-term | clean-kill | clean-term) ;;
    *) fail "unknown case $case_name (persistent-kill, persistent-term, clean-kill, clean-term)" ;;
    esac
done

if [ -n "${CHECK_DIR:-}" ]; then
    WORK=$CHECK_DIR
    fresh_dir "$WORK"
else
    WORK=$(mktemp -d /tmp/envmon-shared-check.XXXXXX)
fi
# PostgreSQL runs as nobody when we are root: it must reach its directory under WORK.
chmod 755 "$WORK"
OUT=${CHECK_OUT:-$WORK/results.md}
mkdir -p "$WORK/bin"
[ -x "$BIN_FROM/envmond" ] || fail "$BIN_FROM/envmond not found (swift build, or set CHECK_BIN)"
cp "$BIN_FROM/envmond" "$WORK/bin/envmond"
BIN=$WORK/bin
MOSQUITTO_VERSION=$(mosquitto -h 2>/dev/null | head -1 || true)
echo "== $MOSQUITTO_VERSION; envmond from $BIN_FROM; work directory $WORK"

PG_DIR="$WORK/postgres"
start_postgres "$PG_DIR"
PG_PORT=$(cat "$PG_DIR/port")
psql_super() { # DATABASE SQL
    "$PG_BIN/psql" -X -q -w -At -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$1" -c "$2"
}
psql_envmon() { # SQL (on the run's database DB_NAME)
    PGPASSFILE="$PG_PASSFILE" "$PG_BIN/psql" -X -q -w -At -F ' ' -v ON_ERROR_STOP=1 -h 127.0.0.1 \
        -p "$PG_PORT" -U envmon -d "$DB_NAME" -c "$1"
}
# rows: "rows distinct_ts" of lh-wq-01/water_temp ("0 0" before envmond made the tables).
rows() {
    psql_envmon "SELECT count(*), count(DISTINCT r.ts) FROM readings r JOIN series s ON s.id = r.series
        WHERE s.sensor = 'lh-wq-01' AND s.metric = 'water_temp'" 2>/dev/null || echo "0 0"
}
stored() { local n _; read -r n _ < <(rows); echo "$n"; }
# figure COLLECTOR NAME: the collector's last recorded figure (0 when none).
figure() {
    psql_envmon "SELECT coalesce((SELECT value::int8 FROM daemon_stats WHERE collector = '$1' AND name = '$2'), 0)"
}
counter() { psql_envmon "SELECT coalesce((SELECT value FROM counters WHERE name = '$1'), 0)"; }
# settle MIN_SECONDS: until no new row for SETTLE s (checked every 0.5 s), at least MIN_SECONDS,
# 180 s at most; prints the count.
settle() {
    local start last now same=0 n
    start=$(date +%s)
    last=$(stored)
    while true; do
        sleep 0.5
        n=$(stored)
        if [ "$n" = "$last" ]; then same=$((same + 1)); else same=0 last=$n; fi
        now=$(date +%s)
        if [ $((same * 5)) -ge $((SETTLE * 10)) ] && [ $((now - start)) -ge "$1" ]; then break; fi
        [ $((now - start)) -lt 180 ] || { echo "$SCRIPT: the store did not settle within 180 s" >&2; break; }
    done
    echo "$last"
}
# broker_queue: mosquitto's count of stored messages (retained + queued), from $SYS.
broker_queue() {
    # shellcheck disable=SC2016  # $SYS is the broker's topic, not a variable
    mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -C 1 -W 5 -t '$SYS/broker/store/messages/count' 2>/dev/null || echo "-"
}

# write_config FILE STATE_DIR CLIENT_ID SESSION_EXPIRY: Config/envmon.toml as a member of the
# shared subscription $share/envmon/..., its inbox journal in STATE_DIR, figures every 200 ms.
write_config() {
    mkdir -p "$2"
    python3 - "$@" <<'PY'
import sys
path, state, client, expiry = sys.argv[1:5]
text = open("Config/envmon.toml", encoding="utf-8").read()
def replace(old, new):
    global text
    if old not in text:
        sys.exit(f"write_config: {old!r} is not in Config/envmon.toml")
    text = text.replace(old, new, 1)
replace("[daemon]\n", f'[daemon]\nstate_directory = "{state}"\n')
replace('statistics_interval = "5s"', 'statistics_interval = "200ms"')
replace('client_id = "envmond-cathai"', f'client_id = "{client}"')
replace('session_expiry = "7d"', f'session_expiry = "{expiry}"')
replace('topic = "cathai/+/+/+"', 'topic = "$share/envmon/cathai/+/+/+"')
replace('topic = "cathai/+/+"', 'topic = "$share/envmon/cathai/+/+"')
open(path, "w", encoding="utf-8").write(text)
PY
}

# feeder FILE MARK: the N readings, one JSON a line, to FILE (a FIFO read by mosquitto_pub -l),
# CHECK_RATE a second (0: as fast as it reads them); touches MARK after KILL_AT % of them.
feeder() {
    python3 - "$1" "$2" "$COUNT" "$KILL_AT" "$RATE" <<'PY'
import sys, time
path, mark, count, kill_at, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
base = int(time.time() * 1000) - (count + 3600) * 1000
at = count * kill_at // 100
start = time.monotonic()
with open(path, "w") as out:
    for i in range(count):
        if i == at:
            out.flush()
            open(mark, "w").close()
        out.write(f'{{"ts":{base + i * 1000},"water_temp":{27 + (i % 10) / 10}}}\n')
        if rate > 0 and i % 100 == 99:
            out.flush()
            delay = start + (i + 1) / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
PY
}

RESULTS=()
FAILED=0
UNASKED=0
# stopped_by LOG: ": <error>" of envmond's last "envmond stopped: <error>" line in LOG (a stop of its
# own on an error), nothing when it has none.
stopped_by() {
    local line
    line=$(grep "CRITICAL envmond: envmond stopped" "$1" | tail -1 || true)
    [ -z "$line" ] || echo ": ${line##*: } at ${line:11:12}"
}
run_case() { # CASE RUN
    local name=$1 run=$2 expiry signal run_dir a_pid b_pid pub_pid feed_pid t0 t1 stream_s
    local at_kill down_rows b_down a_first queue replayed final distinct a_second b_final dups lost waiting
    local notes=()
    case $name in persistent-*) expiry=7d ;; *) expiry=0s ;; esac
    case $name in *-kill) signal=KILL ;; *) signal=TERM ;; esac
    run_dir="$WORK/$name-$run"
    mkdir -p "$run_dir"
    DB_NAME="envmon_${name//-/_}_$run"
    psql_super postgres "CREATE DATABASE $DB_NAME OWNER envmon"
    local db="postgres://envmon@127.0.0.1:$PG_PORT/$DB_NAME?passfile=$PG_PASSFILE"
    BROKER_PORT=$(free_port)
    start_broker "$BROKER_PORT" "$run_dir/broker"
    write_config "$run_dir/a.toml" "$run_dir/a-state" envmond-a "$expiry"
    write_config "$run_dir/b.toml" "$run_dir/b-state" envmond-b "$expiry"
    DAEMON_LOG="$run_dir/a.log" start_daemon "$db" "$run_dir/a.toml"
    a_pid=$DAEMON_PID
    DAEMON_LOG="$run_dir/b.log" start_daemon "$db" "$run_dir/b.toml"
    b_pid=$DAEMON_PID

    mkfifo "$run_dir/stream"
    mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -V mqttv5 -q 1 -M 100 -i "shared-check-pub-$$" \
        -t cathai/lan_ha/lh-wq-01 -l <"$run_dir/stream" 2>"$run_dir/pub.err" &
    pub_pid=$!
    track "$pub_pid"
    t0=$(date +%s%N)
    feeder "$run_dir/stream" "$run_dir/mark" &
    feed_pid=$!
    track "$feed_pid"
    while [ ! -e "$run_dir/mark" ]; do
        kill -0 "$feed_pid" 2>/dev/null || break
        sleep 0.02
    done
    kill -0 "$a_pid" 2>/dev/null || notes+=("A had exited before the $signal$(stopped_by "$run_dir/a.log")")
    stop_process "$a_pid" "$signal"
    at_kill=$(stored)
    wait_process "$feed_pid" || fail "$name $run: the feeder failed"
    wait_process "$pub_pid" || { cat "$run_dir/pub.err" >&2; fail "$name $run: mosquitto_pub failed"; }
    t1=$(date +%s%N)
    stream_s=$(awk -v ns="$((t1 - t0))" 'BEGIN { printf "%.1f", ns / 1e9 }')

    # A down: until the store settles, and DOWN s after the stream ended at least.
    down_rows=$(settle "$DOWN")
    b_down=$(figure envmond-b readings_stored)
    a_first=$((down_rows - b_down))
    queue=$(broker_queue)
    waiting=$((COUNT - down_rows))

    DAEMON_LOG="$run_dir/a.log" start_daemon "$db" "$run_dir/a.toml"
    a_pid=$DAEMON_PID
    final=$(settle 5)
    read -r final distinct < <(rows)
    a_second=$(figure envmond-a readings_stored)
    b_final=$(figure envmond-b readings_stored)
    dups=$(counter duplicates)
    replayed=$(grep "inbox journal replayed" "$run_dir/a.log" | tail -1 | sed -n 's/.*inbox\.records=\([0-9]*\).*/\1/p' || true)
    lost=$((COUNT - final))
    kill -0 "$a_pid" 2>/dev/null || notes+=("A exited after its restart$(stopped_by "$run_dir/a.log")")
    kill -0 "$b_pid" 2>/dev/null || notes+=("B exited$(stopped_by "$run_dir/b.log")")
    stop_process "$a_pid"
    stop_process "$b_pid"
    stop_broker
    [ "$((a_first + a_second + b_final))" = "$final" ] ||
        notes+=("A $a_first + $a_second + B $b_final != $final rows (a figure recorded late)")
    # A stop of envmond's own (an error) that the case did not ask for, e.g. on a SIGTERM.
    if [ "$signal" = TERM ] && grep -q "CRITICAL envmond: envmond stopped" "$run_dir/a.log"; then
        notes+=("A's stop$(stopped_by "$run_dir/a.log")")
    fi
    [ ${#notes[@]} = 0 ] || UNASKED=1

    local note_text=""
    [ ${#notes[@]} = 0 ] || note_text=$(printf '%s; ' "${notes[@]}")
    RESULTS+=("$(printf '| %s | %s | %s | %s | %s | %s + %s | %s | %s | %s | %s | %s | %s | %s + %s | %s |' \
        "$name" "$run" "$COUNT" "$stream_s" "$at_kill" "$a_first" "$a_second" "$b_final" "$waiting" "$queue" \
        "${replayed:-0}" "$final" "$lost" "$dups" "$((final - distinct))" "${note_text%; }")")
    echo "  $name run $run: N $COUNT in $stream_s s; A stopped ($signal) at $at_kill rows; while A down $down_rows stored" \
        "(waiting $waiting, broker store $queue); A $a_first + $a_second (replayed ${replayed:-0}), B $b_final;" \
        "after A back $final, lost $lost, duplicates $dups + $((final - distinct))${note_text:+; ${note_text%; }}"
    case $name in persistent-*) [ "$lost" = 0 ] || FAILED=1 ;; esac
}

for case_name in $CASES; do
    for run in $(seq "$RUNS"); do
        echo "== $case_name, run $run"
        run_case "$case_name" "$run"
    done
done
stop_postgres

ELAPSED=$(($(date +%s) - STARTED))
{
    echo "| case | run | N | stream s | rows once A was stopped | stored by A (before + after restart) | by B | waiting while A down | broker store then | replayed from A's journal | stored after A back | lost | duplicates (counter + rows) | notes |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${RESULTS[@]}"
    echo
    echo "$MOSQUITTO_VERSION; $("$PG_BIN/postgres" --version); envmond from $BIN_FROM (built from the working tree at $(git rev-parse --short HEAD 2>/dev/null || echo "?"));"
    echo "$(nproc) cores, load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after; ${ELAPSED} s."
    echo "Command: \`${ENVIRONMENT}bash $COMMAND\`"
} >"$OUT"
echo
cat "$OUT"
[ "$FAILED" = 0 ] || fail "a persistent-session case lost readings (work directory $WORK)"
[ "$UNASKED" = 0 ] || fail "a collector stopped on its own, or figures did not add up: see the notes (work directory $WORK)"
