#!/usr/bin/env bash
# PostgreSQL benchmark, one run: envmond's stored readings/s on SQLite and on a fresh PostgreSQL 15
# for the QoS 1 load and the SenML-pack load, next to psql's COPY of the very rows envmond stored
# (into the partitioned `readings` of a fresh database migrated by envmond) and next to the broker
# → do-nothing sink ceiling; then two envmond on one PostgreSQL sharing a load through an MQTT 5
# shared subscription (stored = published, none twice), again with kill -9 of one collector
# mid-stream and its restart, and the alert takeover time after kill -9 of a sensor's lease holder.
# Prints a table and writes the "PostgreSQL" section of BENCHMARKS.md and the "Several collectors"
# section of RELIABILITY.md (between their markers; appended when missing).
#
#   bash Simulator/postgres-bench.sh            # about 5 minutes on 2 cores
#
# Environment: PG_BENCH_COUNT (readings of the QoS 1 load, 200000), PG_BENCH_PACK_COUNT (readings of
# the SenML-pack load, 400000), PG_BENCH_PACK (readings per pack, 10), PG_BENCH_SERIES (1000),
# PG_BENCH_COPY_RUNS (COPY repetitions, the median is reported; 3), PG_BENCH_TAKEOVERS (kill -9
# rounds; 3), PG_BENCH_DIR (work directory; default a new /tmp/envmon-pgbench.*, removed after a
# run that succeeded), PG_BENCH_OUT (BENCHMARKS.md), PG_BENCH_RELIABILITY (RELIABILITY.md),
# PG_BENCH_WRITE=0 (print only, write no file).
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${PG_BENCH_COUNT:-200000}
PACK_COUNT=${PG_BENCH_PACK_COUNT:-400000}
PACK=${PG_BENCH_PACK:-10}
SERIES=${PG_BENCH_SERIES:-1000}
COPY_RUNS=${PG_BENCH_COPY_RUNS:-3}
TAKEOVERS=${PG_BENCH_TAKEOVERS:-3}
OUT=${PG_BENCH_OUT:-BENCHMARKS.md}
RELIABILITY=${PG_BENCH_RELIABILITY:-RELIABILITY.md}
WRITE=${PG_BENCH_WRITE:-1}
COMMAND="$0 $*"
ENVIRONMENT=$(env | grep -E '^PG_BENCH_' | sort | tr '\n' ' ' || true)
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

. Simulator/lib.sh
require_tools "make deps" mosquitto mosquitto_pub python3
build_release envmond envmon envmon-sim

if [ -n "${PG_BENCH_DIR:-}" ]; then
    WORK=$PG_BENCH_DIR
    fresh_dir "$WORK"
    REMOVE_WORK=0
else
    WORK=$(mktemp -d /tmp/envmon-pgbench.XXXXXX)
    REMOVE_WORK=1
fi
# PostgreSQL runs as nobody when we are root: it must reach its directory under WORK.
chmod 755 "$WORK"
echo "== work directory $WORK"

report() { echo "$WORK/$1.json"; }
# ratio A B: A / B with two decimals ("-" when B is 0 or empty).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "") printf "%.2f", a / b; else print "-" }'; }
# verdict A B GOAL: "met" when A / B >= GOAL.
verdict() { awk -v a="$1" -v b="$2" -v g="$3" 'BEGIN { if (b + 0 > 0 && a / b >= g) print "met"; else print "missed" }'; }
now_ms() { date +%s%3N; }
# median FILE: the median of the numbers in FILE, one a line (the lower one of an even count).
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# load NAME DB RUN_ID ARG...: `envmon-sim load` of the run RUN_ID (sensors ld<RUN_ID>-<n>) against
# the daemon on DB, its JSON report in WORK/NAME.json; fails the script when the tool wrote none.
load() {
    local name=$1 db=$2 run=$3
    shift 3
    "$SIM" load --broker "$BROKER" --db "$db" --series "$SERIES" --run-id "$run" --json "$@" \
        >"$(report "$name")" || true
    [ -n "$(json_get "$(report "$name")" stored)" ] || fail "envmon-sim load $name wrote no report"
}
rate() { num "$(json_get "$(report "$1")" storedRate)"; }
lost() { json_get "$(report "$1")" lost; }
published() { num "$(json_get "$(report "$1")" publishRate)"; }
dups() { json_get "$(report "$1")" duplicates; }

# write_config FILE STATE_DIR [CLIENT_ID [GROUP]]: Config/envmon.toml with the inbox journal in
# STATE_DIR (a server's database has no directory to keep it beside), under CLIENT_ID; with GROUP,
# a member of the MQTT 5 shared subscription $share/GROUP/... with the integration tests' DO rule
# (below 5.0 mg/L for 1 s on aquaculture sites, clear 5.3).
write_config() {
    mkdir -p "$2"
    python3 - "$@" <<'PY'
import sys
path, state = sys.argv[1:3]
text = open("Config/envmon.toml", encoding="utf-8").read()
def replace(old, new):
    global text
    if old not in text:
        sys.exit(f"write_config: {old!r} is not in Config/envmon.toml")
    text = text.replace(old, new, 1)
replace("[daemon]\n", f'[daemon]\nstate_directory = "{state}"\n')
if len(sys.argv) > 3:
    replace('client_id = "envmond-cathai"', f'client_id = "{sys.argv[3]}"')
if len(sys.argv) > 4:
    group = sys.argv[4]
    replace('topic = "cathai/+/+/+"', f'topic = "$share/{group}/cathai/+/+/+"')
    replace('topic = "cathai/+/+"', f'topic = "$share/{group}/cathai/+/+"')
    text += """
[[alerts]]
id = "do_low_test"
kind = "below"
metric = "do"
site_kinds = ["aquaculture"]
threshold = 5.0
clear = 5.3
for = "1s"
severity = "critical"
basis = "benchmark: DO below 5 mg/L for 1 s"
"""
open(path, "w", encoding="utf-8").write(text)
PY
}

# publish TOPIC PAYLOAD: one QoS 1 MQTT 5 message to the broker on loopback.
publish() { mosquitto_pub -V mqttv5 -q 1 -h 127.0.0.1 -p "$BROKER_PORT" -i "pgbench-pub-$$" -t "$1" -m "$2"; }
# new_broker NAME: a broker of its own (fresh persistence: no session of an earlier phase).
new_broker() {
    [ -z "${BROKER_PID:-}" ] || stop_broker
    BROKER_PORT=$(free_port)
    start_broker "$BROKER_PORT" "$WORK/$1"
}

# settle: envmond's start-up work done before a measured load (the first housekeeping tick back-fills
# the configured air sensors' hourly VN_AQI from the roll-ups: ~800 small queries, a second or more
# on PostgreSQL with this machine busy); the same wait for both backends.
SETTLE=5
settle() { sleep "$SETTLE"; }
# phase TEXT: a heading with the seconds since the start.
phase() { echo "== [$(($(date +%s) - STARTED)) s] $*"; }

ROWS=()
row() { ROWS+=("$(printf '| %s | %s | %s |' "$1" "$2" "$3")"); echo "  $1: $2 ($3)"; }

# --- PostgreSQL: the server, and psql as its superuser (socket) or as envmon (loopback TCP, the
# way envmond connects).
PG_DIR="$WORK/postgres"
start_postgres "$PG_DIR"
PG_PORT=$(cat "$PG_DIR/port")
psql_super() { # DATABASE SQL
    "$PG_BIN/psql" -X -q -w -At -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$1" -c "$2"
}
psql_envmon() { # DATABASE ARG...
    local database=$1
    shift
    PGPASSFILE="$PG_PASSFILE" "$PG_BIN/psql" -X -q -w -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" \
        -U envmon -d "$database" "$@"
}
new_database() { psql_super postgres "CREATE DATABASE $1 OWNER envmon"; }
db_url() { echo "postgres://envmon@127.0.0.1:$PG_PORT/$1?passfile=$PG_PASSFILE"; }
# counter DATABASE NAME: a figure of the `counters` table (0 when absent).
counter() { psql_envmon "$1" -c "SELECT coalesce((SELECT value FROM counters WHERE name = '$2'), 0)"; }
# run_rows DATABASE RUN_ID: "rows distinct" of the run's readings (sensors ld<RUN_ID>-*).
run_rows() {
    psql_envmon "$1" -F ' ' -c "SELECT count(*), count(DISTINCT (r.series, r.ts)) FROM readings r
        JOIN series s ON s.id = r.series WHERE s.sensor LIKE 'ld$2-%'"
}

# === (0) The broker's ceiling for both loads: a do-nothing subscriber (topic prefix sinkbench,
# which no envmond subscribes).
new_broker broker
phase "broker → sink ceiling"
"$SIM" sink --broker "$BROKER" --publish --topic-prefix sinkbench --count "$COUNT" --series "$SERIES" --json \
    --qos 1 >"$(report sink-qos1)"
"$SIM" sink --broker "$BROKER" --publish --topic-prefix sinkbench --count "$PACK_COUNT" --series "$SERIES" \
    --json --qos 1 --pack "$PACK" >"$(report sink-pack)"

# === (a) envmond on SQLite.
phase "(a) envmond on SQLite: $COUNT readings QoS 1, $PACK_COUNT in SenML packs of $PACK"
DAEMON_LOG="$WORK/sqlite.log" start_daemon "$WORK/sqlite/envmon.db"
settle
load sqlite-qos1 "$WORK/sqlite/envmon.db" sq1 --daemon-pid "$DAEMON_PID" --count "$COUNT" --qos 1
load sqlite-pack "$WORK/sqlite/envmon.db" sqp --daemon-pid "$DAEMON_PID" --count "$PACK_COUNT" --qos 1 --pack "$PACK"
stop_daemon

# === (b) envmond on PostgreSQL (the same loads, a fresh database).
phase "(b) envmond on PostgreSQL 15: the same loads"
new_database envmon_bench
PG_DB=$(db_url envmon_bench)
write_config "$WORK/pg.toml" "$WORK/pg-state"
DAEMON_LOG="$WORK/pg.log" start_daemon "$PG_DB" "$WORK/pg.toml"
settle
psql_super postgres "CHECKPOINT"
load pg-qos1 "$PG_DB" pq1 --daemon-pid "$DAEMON_PID" --count "$COUNT" --qos 1
psql_super postgres "CHECKPOINT"
load pg-pack "$PG_DB" pqp --daemon-pid "$DAEMON_PID" --count "$PACK_COUNT" --qos 1 --pack "$PACK"
stop_daemon
if [ "$(lost pg-qos1)" != 0 ] || [ "$(lost pg-pack)" != 0 ]; then fail "envmond on PostgreSQL lost readings"; fi

# === (c) psql COPY of the rows envmond stored in (b), into a fresh database migrated by envmond.
phase "(c) psql \\copy of the same rows"
COLUMNS="series, ts, value, quality, flagged_by, time_source, device_status"
for run in pq1 pqp; do
    # In the order they arrived (the load publishes time-major, series ids in first-seen order).
    # One line: psql's \\copy takes the rest of its line.
    query="SELECT r.series, r.ts, r.value, r.quality, r.flagged_by, r.time_source, r.device_status FROM readings r"
    query+=" JOIN series s ON s.id = r.series WHERE s.sensor LIKE 'ld$run-%' ORDER BY r.ts, r.series"
    psql_envmon envmon_bench -c "\\copy ($query) TO '$WORK/rows-$run.csv' WITH (FORMAT csv)"
done
read -r FIRST_TS LAST_TS < <(psql_envmon envmon_bench -F ' ' -c "SELECT min(r.ts), max(r.ts) FROM readings r
    JOIN series s ON s.id = r.series WHERE s.sensor LIKE 'ldpq1-%' OR s.sensor LIKE 'ldpqp-%'")
new_database envmon_copy
COPY_DB=$(db_url envmon_copy)
# envmond migrates the database and makes the day partitions of the rows' first and last times
# (they span less than a day: every day in between) from one reading at each; then the readings
# table is emptied: the partitions stay, empty, as envmond made them.
write_config "$WORK/copy.toml" "$WORK/copy-state" envmond-copy
DAEMON_LOG="$WORK/copy.log" start_daemon "$COPY_DB" "$WORK/copy.toml"
publish cathai/bench/pgbench-partitions "{\"ts\":$FIRST_TS,\"water_temp\":20.5}"
publish cathai/bench/pgbench-partitions "{\"ts\":$LAST_TS,\"water_temp\":20.5}"
for _ in $(seq 100); do [ "$(counter envmon_copy readings_stored)" -ge 2 ] && break; sleep 0.1; done
stop_daemon
[ "$(counter envmon_copy readings_stored)" = 2 ] || fail "envmond did not store the two partition-making readings"
psql_envmon envmon_copy -c "SELECT name FROM partitions WHERE kind = 'raw' ORDER BY start_ms" >"$WORK/copy-partitions.txt"
for run in pq1 pqp; do
    rows=$(wc -l <"$WORK/rows-$run.csv")
    rates=()
    for _ in $(seq "$COPY_RUNS"); do
        psql_envmon envmon_copy -c "TRUNCATE readings"
        psql_super postgres "CHECKPOINT"
        t0=$(date +%s%N)
        psql_envmon envmon_copy -c "\\copy readings ($COLUMNS) FROM '$WORK/rows-$run.csv' WITH (FORMAT csv)"
        t1=$(date +%s%N)
        copied=$(psql_envmon envmon_copy -c "SELECT count(*) FROM readings")
        [ "$copied" = "$rows" ] || fail "COPY stored $copied of $rows rows"
        rates+=("$(awk -v n="$rows" -v ns="$((t1 - t0))" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')")
    done
    printf '%s\n' "${rates[@]}" >"$WORK/copy-$run.rates"
    echo "  COPY of $rows rows ($run): ${rates[*]} rows/s"
done
COPY_Q1=$(median "$WORK/copy-pq1.rates")
COPY_PK=$(median "$WORK/copy-pqp.rates")

# === (d) Two collectors on one PostgreSQL sharing the load through a shared subscription.
phase "(d) two envmond sharing a load (\$share/envmon/...)"
new_broker broker-ha
new_database envmon_ha
HA_DB=$(db_url envmon_ha)
write_config "$WORK/ha-a.toml" "$WORK/ha-a-state" envmond-a envmon
write_config "$WORK/ha-b.toml" "$WORK/ha-b-state" envmond-b envmon
start_a() { DAEMON_LOG="$WORK/ha-a.log" start_daemon "$HA_DB" "$WORK/ha-a.toml" && A_PID=$DAEMON_PID; }
start_b() { DAEMON_LOG="$WORK/ha-b.log" start_daemon "$HA_DB" "$WORK/ha-b.toml" && B_PID=$DAEMON_PID; }
start_a
start_b
settle
load ha-shared "$HA_DB" hs --count "$COUNT" --qos 1
read -r HS_ROWS HS_DISTINCT < <(run_rows envmon_ha hs)
# Each collector's own count (daemon_stats, recorded every statistics_interval): both took a share.
SHARES=""
for _ in $(seq 150); do
    SHARES=$(psql_envmon envmon_ha -F ' ' -c "SELECT string_agg(collector || ' ' || value::int8, ', ' ORDER BY collector),
        sum(value)::int8 FROM daemon_stats WHERE name = 'readings_stored'")
    [ "${SHARES##* }" = "$HS_ROWS" ] && break
    sleep 0.1
done
SHARES=${SHARES% *}

phase "(d) the same with kill -9 of envmond-a mid-stream, restarted 3 s later"
KILL_DUPS_BEFORE=$(counter envmon_ha duplicates)
"$SIM" load --broker "$BROKER" --db "$HA_DB" --series "$SERIES" --run-id hk --json --count "$COUNT" --qos 1 \
    >"$(report ha-kill)" &
LOAD_PID=$!
track "$LOAD_PID"
# Mid-stream: once a tenth of the run is stored.
for _ in $(seq 300); do
    read -r AT_KILL _ < <(run_rows envmon_ha hk)
    [ "$AT_KILL" -ge $((COUNT / 10)) ] && break
    sleep 0.1
done
stop_process "$A_PID" KILL
read -r AT_KILL _ < <(run_rows envmon_ha hk)
sleep 3
start_a
wait_process "$LOAD_PID" || true
[ -n "$(json_get "$(report ha-kill)" stored)" ] || fail "envmon-sim load ha-kill wrote no report"
read -r HK_ROWS HK_DISTINCT < <(run_rows envmon_ha hk)
KILL_DUPS=$(($(counter envmon_ha duplicates) - KILL_DUPS_BEFORE))
stop_process "$A_PID"
stop_process "$B_PID"

# === (e) Alert takeover: the holder of lh-wq-01's lease raises do_low_test, is killed with -9;
# time until the other logs "sensors taken up" with lh-wq-01 among them, and until it resolves.
phase "(e) alert takeover after kill -9 of the lease holder, $TAKEOVERS rounds"
new_broker broker-takeover
new_database envmon_takeover
TO_DB=$(db_url envmon_takeover)
write_config "$WORK/to-a.toml" "$WORK/to-a-state" envmond-a envmon
write_config "$WORK/to-b.toml" "$WORK/to-b-state" envmond-b envmon
declare -A TO_PID
start_collector() { # NAME (a or b)
    DAEMON_LOG="$WORK/to-$1.log" start_daemon "$TO_DB" "$WORK/to-$1.toml"
    TO_PID[$1]=$DAEMON_PID
}
count_lines() { grep -c "$1" "$2" || true; }
raised_lines() { echo $(($(count_lines "raised do_low_test" "$WORK/to-a.log") + $(count_lines "raised do_low_test" "$WORK/to-b.log"))); }
# taken_up_time LOG FROM_LINE COLLECTOR: epoch ms of the first line past FROM_LINE in which
# COLLECTOR says it took up lh-wq-01 (the log's local time stamp); nothing when there is none.
taken_up_time() {
    python3 - "$@" <<'PY'
import sys, time, datetime
path, start, collector = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, encoding="utf-8", errors="replace") as log:
    for number, line in enumerate(log, 1):
        if number <= start or "sensors taken up" not in line or f"alerts.collector={collector} " not in line + " ":
            continue
        gained = next((f.split("=", 1)[1] for f in line.split() if f.startswith("alerts.gained=")), "")
        if "lh-wq-01" in gained.split(","):
            stamp = datetime.datetime.strptime(" ".join(line.split()[:2]), "%Y-%m-%d %H:%M:%S.%f")
            print(int(time.mktime(stamp.timetuple())) * 1000 + stamp.microsecond // 1000)
            break
PY
}
start_collector a
start_collector b
TAKEOVER_MS=()
RESOLVE_MS=()
for round in $(seq "$TAKEOVERS"); do
    before=$(raised_lines)
    raised_a=$(count_lines "raised do_low_test" "$WORK/to-a.log")
    for _ in 1 2 3 4; do publish cathai/lan_ha/lh-wq-01/do 4.6; sleep 0.3; done
    for _ in $(seq 300); do [ "$(raised_lines)" -gt "$before" ] && break; sleep 0.1; done
    [ "$(raised_lines)" -gt "$before" ] || fail "round $round: do_low_test was not raised"
    holder=$(psql_envmon envmon_takeover -c "SELECT collector FROM alert_owners WHERE sensor = 'lh-wq-01'")
    case $holder in
    envmond-a) victim=a survivor=b ;;
    envmond-b) victim=b survivor=a ;;
    *) fail "round $round: lh-wq-01 held by '$holder'" ;;
    esac
    # Raised by the holder, and only once.
    [ "$(raised_lines)" = $((before + 1)) ] || fail "round $round: do_low_test raised $(($(raised_lines) - before)) times"
    raised_by=b
    [ "$(count_lines "raised do_low_test" "$WORK/to-a.log")" -gt "$raised_a" ] && raised_by=a
    [ "$raised_by" = "$victim" ] || fail "round $round: raised by envmond-$raised_by, the lease is envmond-$victim's"
    resolved_before=$(count_lines "resolved do_low_test" "$WORK/to-$survivor.log")
    from_line=$(wc -l <"$WORK/to-$survivor.log")
    stop_process "${TO_PID[$victim]}" KILL
    killed=$(now_ms)
    # Clearing readings every 0.5 s: about half reach the survivor (the broker queues the rest
    # for the killed member's session); it judges them once it holds the lease.
    taken="" resolved="" next_publish=0
    while [ $(($(now_ms) - killed)) -lt 60000 ]; do
        if [ "$(now_ms)" -ge "$next_publish" ]; then
            publish cathai/lan_ha/lh-wq-01/do 5.6
            next_publish=$(($(now_ms) + 500))
        fi
        [ -n "$taken" ] || taken=$(taken_up_time "$WORK/to-$survivor.log" "$from_line" "envmond-$survivor")
        if [ -z "$resolved" ] && [ "$(count_lines "resolved do_low_test" "$WORK/to-$survivor.log")" -gt "$resolved_before" ]; then
            resolved=$(now_ms)
        fi
        [ -n "$taken" ] && [ -n "$resolved" ] && break
        sleep 0.1
    done
    [ -n "$taken" ] || fail "round $round: envmond-$survivor did not take up lh-wq-01 within 60 s"
    [ -n "$resolved" ] || fail "round $round: envmond-$survivor did not resolve do_low_test within 60 s"
    [ "$(psql_envmon envmon_takeover -c "SELECT collector FROM alert_owners WHERE sensor = 'lh-wq-01'")" = "envmond-$survivor" ] ||
        fail "round $round: alert_owners does not name envmond-$survivor"
    TAKEOVER_MS+=($((taken - killed)))
    RESOLVE_MS+=($((resolved - killed)))
    echo "  round $round: envmond-$victim killed; envmond-$survivor took up lh-wq-01 after $((taken - killed)) ms, resolved after $((resolved - killed)) ms"
    start_collector "$victim"
done
TO_NOTICES=$(psql_envmon envmon_takeover -c "SELECT string_agg(notice || ' ' || n, ', ' ORDER BY notice) FROM
    (SELECT notice, count(*) AS n FROM alert_log WHERE rule = 'do_low_test' GROUP BY notice) AS t")
stop_process "${TO_PID[a]}"
stop_process "${TO_PID[b]}"
stop_broker

# === Figures.
S_Q1=$(num "$(json_get "$(report sink-qos1)" storedRate)")
S_PK=$(num "$(json_get "$(report sink-pack)" storedRate)")
L_Q1=$(rate sqlite-qos1)
L_PK=$(rate sqlite-pack)
P_Q1=$(rate pg-qos1)
P_PK=$(rate pg-pack)
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f / %.1f / %.1f s", v[1] / 1000, v[int((NR + 1) / 2)] / 1000, v[NR] / 1000 }'; }
TAKEOVER=$(stats "${TAKEOVER_MS[@]}")
RESOLVE=$(stats "${RESOLVE_MS[@]}")
TAKEOVER_MAX=$(printf '%s\n' "${TAKEOVER_MS[@]}" | sort -n | tail -1)

row "broker → sink, QoS 1, 1 reading/msg, readings/s" "$S_Q1" "the broker's ceiling for this load"
row "envmond on SQLite, QoS 1, 1 reading/msg, readings/s" "$L_Q1" "published at $(published sqlite-qos1)/s; lost $(lost sqlite-qos1), duplicates $(dups sqlite-qos1)"
row "envmond on PostgreSQL, QoS 1, 1 reading/msg, readings/s" "$P_Q1" "published at $(published pg-qos1)/s; lost $(lost pg-qos1), duplicates $(dups pg-qos1)"
row "psql \\copy of those $COUNT rows, rows/s (median of $COPY_RUNS)" "$COPY_Q1" "$(tr '\n' ' ' <"$WORK/copy-pq1.rates")"
row "  PostgreSQL ÷ COPY, QoS 1" "$(ratio "$P_Q1" "$COPY_Q1")" "goal ≥ 0.5: $(verdict "$P_Q1" "$COPY_Q1" 0.5)"
row "  broker → sink ÷ COPY, QoS 1" "$(ratio "$S_Q1" "$COPY_Q1")" "the most any store could reach on this load"
row "  PostgreSQL ÷ SQLite, QoS 1" "$(ratio "$P_Q1" "$L_Q1")" "goal ≥ 0.8: $(verdict "$P_Q1" "$L_Q1" 0.8)"
row "broker → sink, QoS 1, SenML packs of $PACK, readings/s" "$S_PK" "the broker's ceiling for this load"
row "envmond on SQLite, SenML packs of $PACK, readings/s" "$L_PK" "published at $(published sqlite-pack)/s; lost $(lost sqlite-pack), duplicates $(dups sqlite-pack)"
row "envmond on PostgreSQL, SenML packs of $PACK, readings/s" "$P_PK" "published at $(published pg-pack)/s; lost $(lost pg-pack), duplicates $(dups pg-pack)"
row "psql \\copy of those $PACK_COUNT rows, rows/s (median of $COPY_RUNS)" "$COPY_PK" "$(tr '\n' ' ' <"$WORK/copy-pqp.rates")"
row "  PostgreSQL ÷ COPY, SenML packs" "$(ratio "$P_PK" "$COPY_PK")" "goal ≥ 0.5: $(verdict "$P_PK" "$COPY_PK" 0.5)"
row "  SQLite ÷ COPY, SenML packs" "$(ratio "$L_PK" "$COPY_PK")" "envmond on SQLite against the same reference"
row "  PostgreSQL ÷ SQLite, SenML packs" "$(ratio "$P_PK" "$L_PK")" "goal ≥ 0.8: $(verdict "$P_PK" "$L_PK" 0.8)"
row "latency p50 / p99, QoS 1: SQLite; PostgreSQL (ms)" \
    "$(num "$(json_get "$(report sqlite-qos1)" latencyP50Milliseconds)") / $(num "$(json_get "$(report sqlite-qos1)" latencyP99Milliseconds)"); $(num "$(json_get "$(report pg-qos1)" latencyP50Milliseconds)") / $(num "$(json_get "$(report pg-qos1)" latencyP99Milliseconds)")" \
    "publish → visible, 2000 samples"
row "envmond peak RSS: SQLite; PostgreSQL (MiB)" \
    "$(num "$(json_get "$(report sqlite-pack)" daemonPeakRSSMiB)" 1); $(num "$(json_get "$(report pg-pack)" daemonPeakRSSMiB)" 1)" "after both loads"
HS_RESULT="published $COUNT, stored $HS_ROWS ($HS_DISTINCT distinct), lost $(lost ha-shared), second deliveries $(dups ha-shared)"
HK_RESULT="published $COUNT, stored $HK_ROWS ($HK_DISTINCT distinct), lost $(lost ha-kill), second deliveries $KILL_DUPS"
row "two collectors sharing the QoS 1 load, readings/s" "$(rate ha-shared)" "$HS_RESULT; per collector: $SHARES"
row "  the same, envmond-a killed -9 at $AT_KILL stored and restarted 3 s later, readings/s" "$(rate ha-kill)" "$HK_RESULT"
row "alert takeover: kill -9 of the holder → survivor's \"taken up\" (min / median / max, ${#TAKEOVER_MS[@]} rounds)" \
    "$TAKEOVER" "bound: lease 15 s + renewal 5 s + 1 s tick = 21 s"
row "  kill -9 → survivor's \"resolved\" (min / median / max)" "$RESOLVE" "alert_log: $TO_NOTICES"

OK=1
for figure in "$HS_ROWS" "$HS_DISTINCT" "$HK_ROWS" "$HK_DISTINCT"; do [ "$figure" = "$COUNT" ] || OK=0; done
[ "$TAKEOVER_MAX" -le 21000 ] || OK=0

ELAPSED=$(($(date +%s) - STARTED))
MACHINE="$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
SOFTWARE="$(swift --version 2>&1 | head -1); $("$PG_BIN/postgres" --version); $(mosquitto -h 2>/dev/null | head -1 || true); SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || true); release builds"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
stop_postgres

SECTION="$WORK/postgres-section.md"
{
    echo "<!-- postgres-bench:begin -->"
    echo "## PostgreSQL"
    echo
    echo "Produced by \`Simulator/postgres-bench.sh\` (\`make bench-postgres\`) on $(date -u +%Y-%m-%dT%H:%M:%SZ) at $COMMIT (plus uncommitted changes, if any), in ${ELAPSED} s."
    echo
    echo "- command: \`${ENVIRONMENT}bash $COMMAND\`"
    echo "- machine: $MACHINE; load average (1, 5, 15 min) $LOAD_BEFORE before, $LOAD_AFTER after: the"
    echo "  machine is shared (other builds and tests), so figures move between runs"
    echo "- software: $SOFTWARE"
    echo "- broker: Config/mosquitto.conf on loopback; daemon: Config/envmon.toml (batches of 2000 / 100 ms),"
    echo "  on PostgreSQL with \`state_directory\` for its inbox journal; PostgreSQL 15 as \`start_postgres\`"
    echo "  starts it (initdb defaults, fsync and synchronous_commit on), envmond and psql as role envmon over"
    echo "  loopback TCP; CHECKPOINT before each PostgreSQL measurement"
    echo "- loads (\`envmon-sim load\`): $COUNT readings at QoS 1, one JSON reading with \`ts\` per message; $PACK_COUNT"
    echo "  readings at QoS 1 in SenML packs of $PACK; $SERIES series 1 s apart; rate = first publish → last reading"
    echo "  visible in the database; the same loads on SQLite, then on a fresh PostgreSQL database"
    echo "- COPY: the rows envmond stored in the PostgreSQL run (series, ts, value, quality, flagged_by, time_source,"
    echo "  device_status), dumped to CSV in arrival order, then \`psql -c \"\\copy readings (...) FROM 'rows.csv' WITH (FORMAT csv)\"\`"
    echo "  into the partitioned \`readings\` of a fresh database migrated by envmond, whose day partitions envmond"
    echo "  made (then TRUNCATE readings before each copy); timed around psql (connection included); median of $COPY_RUNS"
    echo "- broker → sink: \`envmon-sim sink --publish\` of the same loads to a do-nothing subscriber"
    echo "- each envmond ran ${SETTLE} s before its first load (its start-up work, e.g. the hourly VN_AQI back-fill, is"
    echo "  not in the figures)"
    echo
    echo "| figure | value | notes |"
    echo "|---|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Several collectors: two envmond (client ids envmond-a, envmond-b) on one PostgreSQL database, both"
    echo "subscribed to \`\$share/envmon/cathai/+/+/+\` and \`\$share/envmon/cathai/+/+\` (MQTT 5 shared"
    echo "subscription, persistent sessions) on a broker of their own; \"stored\" counts rows of the run's series"
    echo "in its time range, \"distinct\" distinct (series, ts): each reading carries its own time. The takeover"
    echo "runs are in RELIABILITY.md, \"Several collectors\"."
    echo
    echo "Reproduce: \`make bench-postgres\` (also run by \`make bench\`)."
    echo "<!-- postgres-bench:end -->"
} >"$SECTION"

HA_SECTION="$WORK/several-collectors.md"
{
    echo "<!-- several-collectors:begin -->"
    echo "## Several collectors on one PostgreSQL"
    echo
    echo "\`bash Simulator/postgres-bench.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ) at $COMMIT, $MACHINE. Two release"
    echo "envmond (client ids envmond-a and envmond-b, each its own inbox journal) on one PostgreSQL 15 database,"
    echo "both subscribed to \`\$share/envmon/cathai/+/+/+\` and \`\$share/envmon/cathai/+/+\` (MQTT 5 shared"
    echo "subscription, persistent sessions, mosquitto on loopback): the broker gives each message to one of"
    echo "them. Loads: $COUNT JSON readings with \`ts\` at QoS 1 over $SERIES series, so each reading is checkable:"
    echo "stored = rows of the run's series in its time range, distinct = distinct (series, ts)."
    echo
    echo "| case | result |"
    echo "|---|---|"
    echo "| shared load, both running | $HS_RESULT; stored per collector: $SHARES; $(rate ha-shared) readings/s |"
    echo "| kill -9 of envmond-a mid-stream ($AT_KILL of $COUNT stored), restarted 3 s later | $HK_RESULT; $(rate ha-kill) readings/s |"
    echo "| alert takeover, $TAKEOVERS rounds: the holder of lh-wq-01's lease (\`alert_owners\`) raises \`do_low_test\` (DO < 5.0 for 1 s), is killed -9 | kill → the other's \"alert evaluation of N sensors taken up\" naming lh-wq-01: $TAKEOVER (min / median / max; each round $(printf '%s ' "${TAKEOVER_MS[@]}")ms); kill → its \"resolved do_low_test\" on clearing readings every 0.5 s: $RESOLVE; alert_log over all rounds: $TO_NOTICES |"
    echo
    echo "The unique key (series, ts) of \`readings\` makes a second row for a reading impossible; what"
    echo "\"second deliveries\" counts is readings that reached a collector again and were dropped as"
    echo "duplicates (the \`duplicates\` counter). A killed collector's unacknowledged messages stay in its"
    echo "broker session and reach it after the restart; what it had acknowledged is in its inbox journal,"
    echo "replayed from the position recorded in each batch's transaction."
    echo
    echo "The stated takeover time is 21 s at most: a lease lasts 15 s by the server's clock and is renewed"
    echo "every 5 s on the 1 s evaluation tick, so the holder's last renewal was 0-6 s before the kill, and"
    echo "the survivor, which tries others' expired leases on the same schedule, takes it 9-21 s after it."
    echo "Every round: raised once (by the holder), resolved once (by the survivor)."
    echo "<!-- several-collectors:end -->"
} >"$HA_SECTION"

# replace_section FILE SECTION_FILE NAME [BEFORE_HEADING]: the lines between <!-- NAME:begin -->
# and <!-- NAME:end --> of FILE replaced by SECTION_FILE; when FILE has no such markers, inserted
# before the line BEFORE_HEADING (or appended).
replace_section() {
    python3 - "$@" <<'PY'
import sys
path, section_path, name = sys.argv[1:4]
before = sys.argv[4] if len(sys.argv) > 4 else None
text = open(path, encoding="utf-8").read()
section = open(section_path, encoding="utf-8").read().rstrip("\n") + "\n"
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    text = head + section.rstrip("\n") + rest.split(end, 1)[1]
elif before and "\n" + before + "\n" in text:
    head, rest = text.split("\n" + before + "\n", 1)
    text = head + "\n" + section + "\n" + before + "\n" + rest
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w", encoding="utf-8").write(text)
PY
}

echo
cat "$SECTION"
if [ "$WRITE" = 1 ]; then
    replace_section "$OUT" "$SECTION" postgres-bench
    replace_section "$RELIABILITY" "$HA_SECTION" several-collectors "## Rerunning"
    echo "written: $OUT (PostgreSQL), $RELIABILITY (Several collectors)"
fi
if [ "$REMOVE_WORK" = 1 ] && [ "$OK" = 1 ]; then rm -rf "$WORK"; fi
[ "$OK" = 1 ] || fail "several collectors: a reading lost or stored twice, or a takeover over 21 s (see above; work directory $WORK)"
