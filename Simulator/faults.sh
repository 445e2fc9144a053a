#!/usr/bin/env bash
# The fault suite of issue 7, long form: a real mosquitto (Config/mosquitto.conf, persistence on),
# release envmond on the default config, and `envmon-sim load` publishing sequence-numbered QoS 1
# readings (each with its own time) while a fault is applied. After each case the load tool
# counts, in the daemon's database, exactly which readings were stored: lost = published - stored.
#
#   bash Simulator/faults.sh                 # every case (about 15 minutes); results in RELIABILITY.md
#   FAULTS_CASES="broker-restart disk-full" bash Simulator/faults.sh
#   FAULTS_COUNT=100000 FAULTS_RATE=5000     # readings and readings/s per case
#
# Needs root for the disk-full case (it mounts a small tmpfs). Everything started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${FAULTS_COUNT:-150000}
RATE=${FAULTS_RATE:-5000}
WORK=${FAULTS_DIR:-/tmp/envmon-faults}
PORT=${FAULTS_PORT:-18870}
OUT=${FAULTS_OUT:-RELIABILITY.md}
CASES=${FAULTS_CASES:-baseline broker-restart broker-freeze daemon-kill both-kill power-cut disk-full journal-tail corrupt-db foreign-db cardinality baseline-untimed broker-restart-untimed daemon-kill-untimed both-kill-untimed}
RESULTS="$WORK/results.tsv"
# Cases named *-untimed publish plain numbers without a time of their own (issue 13); their rows
# go to a table of their own.
RESULTS_UNTIMED="$WORK/results-untimed.tsv"

. Simulator/lib.sh
build_release envmond envmon envmon-sim
[ -f "$RESULTS" ] && cp "$RESULTS" "/tmp/envmon-faults-results.keep"
fresh_dir "$WORK"
[ -f "/tmp/envmon-faults-results.keep" ] && mv "/tmp/envmon-faults-results.keep" "$WORK/results.keep"
# FAULTS_KEEP=1: keep the rows of the cases not run now (rerun a few, keep the rest of a full run).
if [ "${FAULTS_KEEP:-0}" = 1 ] && [ -f "$WORK/results.keep" ]; then
    awk -F'\t' -v cases=" $CASES " 'index(cases, " " $1 " ") == 0' "$WORK/results.keep" >"$RESULTS"
else
    : >"$RESULTS"
fi
: >"$RESULTS_UNTIMED"

# The disk-full case's tmpfs, unmounted on exit if a case stopped half-way.
MOUNTED=""
unmount_case() { [ -z "$MOUNTED" ] || umount -l "$MOUNTED" 2>/dev/null || true; }
on_cleanup unmount_case
# start_load DB [EXTRA ARGS...]: sequence-numbered QoS 1 readings in the background (plain
# numbers without a time for the *-untimed cases).
start_load() {
    local db=$1
    shift
    case $CASE in *-untimed) set -- --untimed "$@" ;; esac
    "$SIM" load --broker "$BROKER" --db "$db" --count "$COUNT" --rate "$RATE" --qos 1 --series 200 \
        --run-id "$CASE" --idle-timeout 90s --json "$@" >"$CASE_DIR/load.json" 2>"$CASE_DIR/load.err" &
    LOAD_PID=$!
    track "$LOAD_PID"
}
wait_load() {
    wait_process "$LOAD_PID" || true
    LOAD_PID=""
}
# record CASE WHAT [FILE]: one results row from the load report.
record() {
    local json="$CASE_DIR/load.json"
    local published acknowledged stored lost duplicates
    published=$(json_get "$json" readings)
    acknowledged=$(json_get "$json" acknowledged)
    stored=$(json_get "$json" stored)
    lost=$(json_get "$json" lost)
    duplicates=$(json_get "$json" duplicates)
    case $CASE in *-untimed)
        local twice catchup
        twice=$(json_get "$json" storedTwice)
        catchup=$(store_figure "$DB" catch_up_readings)
        catchup=${catchup:--}
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$CASE" "${published:--}" "${acknowledged:--}" "${stored:--}" \
            "${lost:--}" "${twice:--}" "$catchup" "$1" >>"$RESULTS_UNTIMED"
        echo "== $CASE: published ${published:--}, acknowledged ${acknowledged:--}, stored ${stored:--}, lost ${lost:--}, stored twice ${twice:--}, catch-up $catchup: $1"
        return
        ;;
    esac
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$CASE" "${published:--}" "${acknowledged:--}" "${stored:--}" \
        "${lost:--}" "${duplicates:--}" "$1" >>"$RESULTS"
    echo "== $CASE: published ${published:--}, acknowledged ${acknowledged:--}, stored ${stored:--}, lost ${lost:--}, duplicates ${duplicates:--}: $1"
}
record_plain() { # PUBLISHED ACKED STORED LOST DUPLICATES WHAT
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$CASE" "$1" "$2" "$3" "$4" "$5" "$6" >>"$RESULTS"
    echo "== $CASE: $6"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

start_broker "$PORT" "$WORK"

for CASE in $CASES; do
    CASE_DIR="$WORK/$CASE"
    fresh_dir "$CASE_DIR"
    DB="$CASE_DIR/envmon.db"
    DAEMON_LOG="$CASE_DIR/envmond.log"
    echo "== case $CASE"
    case $CASE in
    baseline | baseline-untimed)
        start_daemon "$DB"
        start_load "$DB"
        wait_load
        stop_daemon
        record "no fault: the reference for the rows below"
        ;;
    broker-restart | broker-restart-untimed)
        start_daemon "$DB"
        start_load "$DB"
        sleep 8
        stop_broker TERM
        sleep 2
        start_broker "$PORT" "$WORK"
        wait_load
        stop_daemon
        record "mosquitto stopped (SIGTERM, persistence saves) for 2 s mid-stream and started again; both clients reconnect, the daemon's persistent session resumes"
        ;;
    broker-freeze)
        start_daemon "$DB"
        start_load "$DB"
        sleep 8
        kill -STOP "$BROKER_PID"
        sleep 50
        kill -CONT "$BROKER_PID"
        wait_load
        stop_daemon
        record "mosquitto frozen (SIGSTOP) for 50 s (longer than 1.5 x the 30 s keepalive) and thawed"
        ;;
    daemon-kill | daemon-kill-untimed)
        start_daemon "$DB"
        start_load "$DB"
        for _ in 1 2 3 4 5; do
            sleep 4
            stop_daemon KILL
            start_daemon "$DB"
        done
        wait_load
        stop_daemon
        record "envmond SIGKILLed 5 times, 4 s apart, under load; restarted each time (journal replay)"
        ;;
    both-kill | both-kill-untimed)
        start_daemon "$DB"
        start_load "$DB"
        for _ in 1 2 3; do
            sleep 5
            stop_daemon KILL
            stop_broker TERM
            start_broker "$PORT" "$WORK"
            start_daemon "$DB"
        done
        wait_load
        stop_daemon
        record "envmond SIGKILLed and mosquitto restarted at the same moment, 3 times"
        ;;
    power-cut)
        sed 's/^inbox_fsync = "never"/inbox_fsync = "always"/' Config/envmon.toml >"$CASE_DIR/envmon.toml"
        start_daemon "$DB" "$CASE_DIR/envmon.toml"
        start_load "$DB"
        for _ in 1 2 3; do
            sleep 5
            stop_daemon KILL
            start_daemon "$DB" "$CASE_DIR/envmon.toml"
        done
        wait_load
        stop_daemon
        # The SQLite backend's fault case: the file itself checked, below any store interface.
        integrity=$(sqlite3 "$DB" "PRAGMA integrity_check;")
        damaged=$(grep -c "is damaged at byte" "$CASE_DIR/envmond.log" || true)
        record "inbox_fsync = always, envmond SIGKILLed 3 times under load; integrity_check: $integrity; damaged journal segments reported: $damaged"
        ;;
    disk-full)
        if [ "$(id -u)" != 0 ]; then
            record_plain - - - - - "skipped: needs root to mount a tmpfs"
            continue
        fi
        mkdir -p "$CASE_DIR/mnt"
        mount -t tmpfs -o size=192m tmpfs "$CASE_DIR/mnt"
        MOUNTED="$CASE_DIR/mnt"
        DB="$CASE_DIR/mnt/envmon.db"
        start_daemon "$DB"
        start_load "$DB"
        sleep 6
        dd if=/dev/zero of="$CASE_DIR/mnt/ballast" bs=1M 2>/dev/null || true
        # Top up whatever the daemon frees (a checkpoint, a discarded journal segment).
        for _ in $(seq 20); do sleep 1; cat /dev/zero >>"$CASE_DIR/mnt/ballast" 2>/dev/null || true; done
        alive=$(kill -0 "$DAEMON_PID" 2>/dev/null && echo "kept running" || echo "EXITED")
        rm -f "$CASE_DIR/mnt/ballast"
        wait_load
        stop_daemon
        raised=$(grep -c "STORAGE FULL" "$CASE_DIR/envmond.log" || true)
        resolved=$(grep -c "storage writable again" "$CASE_DIR/envmond.log" || true)
        umount -l "$CASE_DIR/mnt"
        MOUNTED=""
        record "DB and journal on a 192 MiB tmpfs filled to ENOSPC for 20 s mid-stream, then freed; daemon $alive; operator alert raised $raised x, resolved $resolved x, no restart"
        ;;
    journal-tail)
        # Stall the ingest so acknowledged messages sit only in the inbox journal: another process
        # holds the database's write lock (the daemon's batch waits in SQLite's 10 s busy
        # timeout); kill -9 within it, then damage the journal: the intact prefix must be
        # replayed and the damage reported.
        start_daemon "$DB"
        mkfifo "$CASE_DIR/lock.fifo"
        sqlite3 "$DB" <"$CASE_DIR/lock.fifo" >/dev/null 2>&1 &
        LOCK_PID=$!
        track "$LOCK_PID"
        exec 7>"$CASE_DIR/lock.fifo"
        echo "BEGIN IMMEDIATE;" >&7
        for _ in $(seq 100); do
            sqlite3 -cmd ".timeout 0" "$DB" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 || break
            sleep 0.05
        done
        "$SIM" load --broker "$BROKER" --db "$DB" --count 6000 --rate 0 --qos 1 --series 200 --run-id "$CASE" \
            --idle-timeout 3s --json >"$CASE_DIR/load-wedged.json" 2>/dev/null || true
        stop_daemon KILL
        echo "ROLLBACK;" >&7
        exec 7>&-
        wait "$LOCK_PID" || true
        segments=("$CASE_DIR"/inbox/inbox-*.log)
        segment=${segments[-1]}
        size=$(stat -c %s "$segment")
        # Flip one byte 90 % into the segment and cut the last 40 bytes (a torn write: less than one
        # ~100-byte record, so the last record is torn, not removed whole).
        printf '\xff' | dd of="$segment" bs=1 seek=$((size * 9 / 10)) conv=notrunc 2>/dev/null
        truncate -s $((size - 40)) "$segment"
        start_daemon "$DB"
        replayed=$(sed -n 's/.*inbox journal replayed.*inbox.records=\([0-9]*\).*/\1/p' "$CASE_DIR/envmond.log" | tail -1)
        damage=$(grep -o "inbox journal segment [0-9]* is damaged at byte [0-9]* .* bytes skipped" "$CASE_DIR/envmond.log" | paste -sd ";" -)
        stop_daemon
        stored=$(readings_stored "$DB")
        acked=$(json_get "$CASE_DIR/load-wedged.json" acknowledged)
        record_plain 6000 "${acked:--}" "$stored" $((6000 - stored)) 0 \
            "ingest stalled (another process held the write lock), 6,000 acknowledged readings only in the journal, kill -9, one byte flipped at 90 % and the last 40 bytes cut: replayed ${replayed:-?} records; reported: ${damage:-nothing}. Lost = the record the flipped byte hit and the torn last one: their bytes are gone; both reported with segment and byte, nothing dropped silently"
        ;;
    corrupt-db | foreign-db)
        if [ "$CASE" = corrupt-db ]; then
            # A real EnvMon database (one load run) with 20 pages in the middle overwritten: the
            # header and its application id still say EnvMon.
            start_daemon "$DB"
            "$SIM" load --broker "$BROKER" --db "$DB" --count 20000 --rate 0 --qos 1 --series 200 --run-id "$CASE" \
                --json >/dev/null 2>&1 || true
            stop_daemon
            # The SQLite backend's fault case: pages of its file overwritten.
            pages=$(sqlite3 "$DB" "PRAGMA page_count;")
            head -c $((20 * 4096)) /dev/urandom | dd of="$DB" bs=4096 seek=$((pages / 2)) conv=notrunc 2>/dev/null
        else
            # The SQLite backend's fault case: another application's SQLite file given as --db.
            sqlite3 "$DB" "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts VALUES (1,'x');"
        fi
        before=$(sha "$DB")
        set +e
        # A daemon that accepted the file would run on: give it 20 s, then it counts as a failure.
        timeout 20 "$BIN/envmond" --config Config/envmon.toml --broker "$BROKER" --db "$DB" 2>"$CASE_DIR/envmond.log"
        status=$?
        set -e
        after=$(sha "$DB")
        message=$(head -1 "$CASE_DIR/envmond.log" | sed "s|$CASE_DIR/||g")
        same=$([ "$before" = "$after" ] && echo "byte-identical (sha256 ${before:0:12}…)" || echo "CHANGED")
        wal=$([ -e "$DB-wal" ] && echo "a -wal file appeared" || echo "no -wal created")
        record_plain - - - 0 - "exit $status; \"$message\"; file $same; $wal"
        ;;
    cardinality)
        start_daemon "$DB"
        rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$DAEMON_PID/status")
        "$SIM" load --broker "$BROKER" --db "$DB" --count 300000 --rate 0 --qos 1 --series 300000 --run-id "$CASE" \
            --idle-timeout 5s --daemon-pid "$DAEMON_PID" --json >"$CASE_DIR/load.json" 2>"$CASE_DIR/load.err" || true
        # The load stops watching once nothing new is *stored*; the daemon may still be rejecting
        # the tail. Wait until the rejects stop growing (the count of every reject, not the rows
        # kept: those stop at the [retention] reject_rows bound).
        last=-1
        for _ in $(seq 120); do
            now=$(store_figure "$DB" rejects)
            [ "$now" = "$last" ] && break
            last=$now
            sleep 2
        done
        rss_after=$(awk '/VmRSS/ {print $2}' "/proc/$DAEMON_PID/status")
        peak=$(awk '/VmHWM/ {print $2}' "/proc/$DAEMON_PID/status")
        stop_daemon
        series=$(store_figure "$DB" series)
        rejected=$(store_figure "$DB" rejects.unknown_sensor)
        rejected=${rejected:-0}
        stored=$(json_get "$CASE_DIR/load.json" stored)
        record_plain 300000 "$(json_get "$CASE_DIR/load.json" acknowledged)" "$stored" 0 0 \
            "300,000 distinct fake sensor ids (ingest.max_sensors = 10,000): $series series created, $rejected rejected as unknown_sensor (stored + rejected = $((stored + rejected))); RSS $((rss_before / 1024)) → $((rss_after / 1024)) MiB, peak $((peak / 1024)) MiB"
        ;;
    *)
        echo "faults: unknown case $CASE" >&2
        exit 2
        ;;
    esac
done

# write_table MARKER FILE: the table in FILE replaces the one between MARKER's markers in $OUT.
write_table() {
    if [ -f "$OUT" ] && grep -q "<!-- $1:begin -->" "$OUT"; then
        awk -v table="$2" -v begin="<!-- $1:begin -->" -v end="<!-- $1:end -->" '
            $0 == begin { while ((getline line < table) > 0) print line; skip = 1; next }
            $0 == end { skip = 0; next }
            !skip { print }' "$OUT" >"$OUT.new" && mv "$OUT.new" "$OUT"
    else
        cat "$2"
    fi
}

if [ -s "$RESULTS_UNTIMED" ]; then
    {
        echo "<!-- faults-untimed:begin -->"
        echo "Run: \`bash Simulator/faults.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, release build, $COUNT readings at $RATE/s per case (QoS 1, 200 series, **plain numbers without a time of their own**: each takes its receive time; each value stands for one sequence number, so the load tool counts distinct values). *stored twice* = rows − distinct values; *catch-up* = readings the daemon marked as received in the burst after a reconnect (their times give order only)."
        echo
        echo "| case | published | PUBACKs from broker | stored (distinct) | lost | stored twice | catch-up | what happened |"
        echo "|---|---:|---:|---:|---:|---:|---:|---|"
        awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$RESULTS_UNTIMED"
        echo "<!-- faults-untimed:end -->"
    } >"$WORK/table-untimed.md"
    write_table faults-untimed "$WORK/table-untimed.md"
fi
[ -s "$RESULTS" ] || { echo "faults: done; untimed table in $WORK/table-untimed.md"; exit 0; }

# The table for RELIABILITY.md, between its markers.
{
    echo "<!-- faults:begin -->"
    echo "Run: \`bash Simulator/faults.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, release build, $COUNT readings at $RATE/s per load case (QoS 1, 200 series, each reading with its own time). *PUBACKs* counts every acknowledgement the load generator got, re-sends after a reconnect included; *redeliveries ignored* are messages the daemon received again and found already stored (the idempotence at work); nothing is ever stored twice (unique key on series and time)."
    echo
    echo "| case | published | PUBACKs from broker | stored (distinct) | lost | redeliveries ignored | what happened |"
    echo "|---|---:|---:|---:|---:|---:|---|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$RESULTS"
    echo "<!-- faults:end -->"
} >"$WORK/table.md"
write_table faults "$WORK/table.md"
echo "faults: done; table in $WORK/table.md"
