# shellcheck shell=bash disable=SC2034  # the variables it sets (BIN, SIM, BROKER...) are for the scripts
# Shared by every script under Simulator/ and scripts/: source it from the repository root (each
# script does `cd "$(dirname "$0")/.."` first). Sourcing it installs the one cleanup trap.
#
#   processes  track, untrack, stop_process, wait_process, on_cleanup, cleanup (the trap)
#   checks     require_tools, fail, port_open, wait_port, free_port, fresh_dir
#   rig        build_release, start_broker/stop_broker, start_daemon/stop_daemon, store_figure,
#              readings_stored
#   FTP        start_ftp/stop_ftp, write_transmit_config, start_transmit_rig, outbox_backlog,
#              outbox_entries
#   PostgreSQL start_postgres/stop_postgres
#   figures    json_get, json_figure, json_sum, json_count, num

SCRIPT=${SCRIPT:-$(basename "$0" .sh)}

# --- Processes: everything a script starts in the background goes into PIDS (track) and is
# stopped, newest first, when the script ends; its exit status is kept (128 + the signal on INT/TERM).
# Hooks (on_cleanup) run after that, newest first: unmounting, stopping a server's children.
PIDS=()
CLEANUP_HOOKS=()
track() { PIDS+=("$@"); }
untrack() { # PID
    local pid kept=()
    for pid in "${PIDS[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
    PIDS=("${kept[@]}")
}
on_cleanup() { CLEANUP_HOOKS+=("$1"); }
# stop_process PID [SIGNAL]: sends SIGNAL (TERM) to PID, waits for it and untracks it.
stop_process() {
    kill "-${2:-TERM}" "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    untrack "$1"
}
# wait_process PID: waits for PID, untracks it and returns its status.
wait_process() {
    local status=0
    wait "$1" || status=$?
    untrack "$1"
    return "$status"
}
cleanup() { # [STATUS]
    local status=${1:-$?} i
    trap - EXIT INT TERM
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        # A process stopped by SIGSTOP (a frozen broker) must be thawed to see SIGTERM.
        kill -CONT "${PIDS[i]}" 2>/dev/null || true
        kill "${PIDS[i]}" 2>/dev/null || true
        wait "${PIDS[i]}" 2>/dev/null || true
    done
    for ((i = ${#CLEANUP_HOOKS[@]} - 1; i >= 0; i--)); do ${CLEANUP_HOOKS[i]} || true; done
    exit "$status"
}
trap cleanup EXIT
trap 'cleanup 130' INT
trap 'cleanup 143' TERM

# --- Checks
fail() { echo "$SCRIPT: $*" >&2; exit 1; }
# require_tools HINT TOOL...: exits 2 naming the first TOOL not on PATH, with HINT (how to get it).
require_tools() {
    local hint=$1 tool
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$SCRIPT: $tool not found ($hint)" >&2; exit 2; }
    done
}
# port_open PORT: something accepts connections on 127.0.0.1:PORT now.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# wait_port PORT: until something accepts connections on 127.0.0.1:PORT (10 s at most).
wait_port() {
    local _
    for _ in $(seq 100); do port_open "$1" && return; sleep 0.1; done
    return 1
}
# free_port: prints a TCP port nothing listens on at 127.0.0.1 now (the kernel's pick for port 0).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# fresh_dir DIR: DIR emptied (made when missing).
fresh_dir() { rm -rf "$1" && mkdir -p "$1"; }

# --- The rig: release binaries, a broker, the daemon.
# build_release PRODUCT...: builds the release products and sets BIN and SIM.
build_release() {
    echo "== swift build -c release"
    local product
    # As `make release` builds them (static Swift runtime): the binaries measured are the ones installed.
    for product in "$@"; do swift build -c release --static-swift-stdlib --product "$product" >/dev/null; done
    BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)
    SIM="$BIN/envmon-sim"
}

# start_broker PORT DIR: the shipped Config/mosquitto.conf on PORT with persistence and log in DIR
# (DIR/mosquitto.conf, DIR/mosquitto/, DIR/mosquitto.log), started and polled until it listens;
# sets BROKER (its URL) and BROKER_PID. Started again on the same DIR, it finds its saved state.
start_broker() {
    local port=$1 dir=$2
    port_open "$port" && fail "port $port is in use (mosquitto)"
    mkdir -p "$dir/mosquitto"
    sed -e "s|^listener 1883 127.0.0.1|listener $port 127.0.0.1|" \
        -e "s|^persistence_location .*|persistence_location $dir/mosquitto/|" \
        Config/mosquitto.conf >"$dir/mosquitto.conf"
    echo "log_dest file $dir/mosquitto.log" >>"$dir/mosquitto.conf"
    # As root mosquitto would switch to user "mosquitto", which cannot write DIR.
    if [ "$(id -u)" = 0 ]; then echo "user root" >>"$dir/mosquitto.conf"; fi
    mosquitto -c "$dir/mosquitto.conf" 2>>"$dir/mosquitto.log" &
    BROKER_PID=$!
    track "$BROKER_PID"
    BROKER="mqtt://127.0.0.1:$port"
    if ! wait_port "$port" || ! kill -0 "$BROKER_PID" 2>/dev/null; then
        tail -3 "$dir/mosquitto.log" >&2
        fail "mosquitto did not start on port $port"
    fi
}
# stop_broker [SIGNAL]
stop_broker() {
    stop_process "$BROKER_PID" "${1:-TERM}"
    BROKER_PID=""
}

# start_daemon DB [CONFIG] [NAME=VALUE...]: envmond from BIN on CONFIG (Config/envmon.toml), BROKER
# and DB, with the environment NAME=VALUE, its log appended to DAEMON_LOG (WORK/envmond.log); sets
# DAEMON_PID; DAEMON_ARGS adds envmond options (--journal-socket PATH). Returns once it has subscribed, or at once when the broker resumed its session
# (subscriptions kept); exits when it does neither within 30 s.
start_daemon() {
    local db=$1 config=${2:-Config/envmon.toml} log=${DAEMON_LOG:-$WORK/envmond.log} before _
    shift 2 || shift $#
    before=$(grep -cE "MQTT subscribed|session resumed" "$log" 2>/dev/null || true)
    # shellcheck disable=SC2086 # DAEMON_ARGS: more envmond options, split on spaces
    env "$@" "$BIN/envmond" --config "$config" --broker "$BROKER" --db "$db" ${DAEMON_ARGS:-} 2>>"$log" &
    DAEMON_PID=$!
    track "$DAEMON_PID"
    for _ in $(seq 300); do
        [ "$(grep -cE "MQTT subscribed|session resumed" "$log" 2>/dev/null || true)" -gt "${before:-0}" ] && return
        kill -0 "$DAEMON_PID" 2>/dev/null || { tail "$log" >&2; fail "envmond exited (log: $log)"; }
        sleep 0.1
    done
    fail "envmond did not subscribe (log: $log)"
}
# stop_daemon [SIGNAL]
stop_daemon() {
    stop_process "$DAEMON_PID" "${1:-TERM}"
    DAEMON_PID=""
}

# store_figure DB NAME: the figure NAME of `envmon stats --db DB` (readings_stored, series,
# catch_up_readings, rejects, rejects.<reason>, daemon.max_batch_ms...): through the CLI, so the
# same script reads any backend (needs envmon among build_release's products). Nothing when the
# store has no such figure, or no store yet.
store_figure() {
    { "$BIN/envmon" stats --db "$1" --format json 2>/dev/null || true; } | json_figure - "$2"
}
# readings_stored DB: the daemon's count of stored readings (0 when there is none yet).
readings_stored() {
    local stored
    stored=$(store_figure "$1" readings_stored)
    echo "${stored:-0}"
}

# --- FTP: start_ftp WORK PORT: a real pure-ftpd on 127.0.0.1:PORT with one virtual user `envmon`
# (made by pure-pw on first use, its password in WORK/ftp.pass), chrooted to WORK/ftp/home with an
# `inbox`; sets FTP_PID. stop_ftp ends it and the session processes it forked (a server going
# down drops its clients); it is a cleanup hook too.
FTP_PID=""
start_ftp() {
    local work=$1 port=$2 password
    if [ ! -f "$work/ftp/users.pdb" ]; then
        mkdir -p "$work/ftp/home/inbox"
        chmod 755 "$work" "$work/ftp"
        chown -R nobody: "$work/ftp/home"
        password=ftp-$RANDOM$RANDOM
        printf '%s\n%s\n' "$password" "$password" | pure-pw useradd envmon -u "$(id -u nobody)" \
            -g "$(id -g nobody)" -d "$work/ftp/home" -f "$work/ftp/passwd" -m -F "$work/ftp/users.pdb" >/dev/null
        printf '%s\n' "$password" >"$work/ftp.pass"
    fi
    /usr/sbin/pure-ftpd -l "puredb:$work/ftp/users.pdb" -E -A -H -P 127.0.0.1 -S "127.0.0.1,$port" \
        >>"$work/pure-ftpd.log" 2>&1 &
    FTP_PID=$!
    wait_port "$port"
    kill -0 "$FTP_PID" 2>/dev/null || { echo "pure-ftpd did not start:" >&2; cat "$work/pure-ftpd.log" >&2; return 1; }
}
stop_ftp() {
    [ -n "$FTP_PID" ] || return 0
    pkill -KILL -P "$FTP_PID" 2>/dev/null || true
    kill "$FTP_PID" 2>/dev/null || true
    wait "$FTP_PID" 2>/dev/null || true
    FTP_PID=""
}
on_cleanup stop_ftp

# write_transmit_config WORK STATIONS FTP_PORT FACILITY SENSOR_PREFIX STATION_PREFIX [TARGET_LINES]:
# Config/envmon.toml plus a `bench` site with STATIONS one-metric sensors (SENSOR_PREFIX<n>, as
# `envmon-sim load --run-id` names them), one TT 10/2021 station each (1-minute files) and the FTP
# target of start_ftp; TARGET_LINES are added to the target (retries). Writes WORK/envmon.toml.
write_transmit_config() {
    python3 - "$@" <<'PY'
import sys
work, stations, port, facility, sensor, station = sys.argv[1:7]
target_lines = sys.argv[7] if len(sys.argv) > 7 else ""
stations = int(stations)
text = open("Config/envmon.toml", encoding="utf-8").read()
text += '\n[[sites]]\nid = "bench"\nname = "Benchmark"\nkind = "island"\nlat = 20.8\nlon = 106.9\n'
for n in range(stations):
    text += f'\n[[sensors]]\nid = "{sensor}{n}"\nsite = "bench"\nmetrics = ["water_temp"]\ninterval = "1s"\n'
text += f'''
[transmission]
province = "HP"
facility = "{facility}"
interval = "1m"
delay = "2s"
backlog_alarm = "2m"

[[transmission.targets]]
id = "so-tnmt"
url = "ftp://127.0.0.1:{port}/inbox/"
username = "envmon"
password_file = "{work}/ftp.pass"
{target_lines}
'''
for n in range(stations):
    text += f'\n[[transmission.stations]]\nid = "{station}{n:03d}"\nsite = "bench"\nsensors = ["{sensor}{n}"]\n'
open(f"{work}/envmon.toml", "w", encoding="utf-8").write(text)
PY
}

# start_transmit_rig WORK PORT FTP_PORT STATIONS FACILITY SENSOR_PREFIX STATION_PREFIX TARGET_LINES:
# start_broker on PORT, start_ftp on FTP_PORT, write_transmit_config, and start_daemon on them with
# DB = WORK/envmon.db. Everything started is stopped when the script exits.
start_transmit_rig() {
    local work=$1 port=$2 ftp_port=$3
    start_broker "$port" "$work"
    start_ftp "$work" "$ftp_port"
    write_transmit_config "$work" "$4" "$ftp_port" "$5" "$6" "$7" "$8"
    DB="$work/envmon.db"
    start_daemon "$DB" "$work/envmon.toml"
}

# --- PostgreSQL: start_postgres DIR [PORT]: a real PostgreSQL 15 with its data, socket and log in DIR
# (its own directory: DIR/data made by initdb on first use, DIR/postgres.log) on 127.0.0.1:PORT (the
# previous start's, else a free one), with a database and a role `envmon` whose password is in the
# libpq password file DIR/passfile (0600); polled until it takes logins (after crash recovery, if it
# crashed). Sets PG_URL (postgres://envmon@127.0.0.1:PORT/envmon, no password in it), PG_PASSFILE and
# PG_PID. Started again on the same DIR, it finds its data, port and password. fsync stays on (only
# initdb skips it): the fault scripts count on committed data being durable.
# stop_postgres [SIGNAL]: INT (fast shutdown) by default; KILL is a crash: the server and its children
# at once, as when the machine goes down. It is a cleanup hook too.
PG_BIN=/usr/lib/postgresql/15/bin
PG_PID=""
# initdb and postgres refuse to run as root; as root they run as nobody (setpriv: util-linux, in
# every Debian; it execs in place, so $! is the server's own PID).
PG_RUN_AS=()
if [ "$(id -u)" = 0 ]; then
    PG_RUN_AS=(setpriv "--reuid=$(id -u nobody)" "--regid=$(id -g nobody)" --clear-groups)
fi
start_postgres() {
    local dir=$1 port=${2:-} password before ready="" _
    [ -x "$PG_BIN/postgres" ] || fail "PostgreSQL 15 not found in $PG_BIN (make deps)"
    [ -n "$PG_PID" ] && fail "postgres already runs (PID $PG_PID)"
    [ -n "$port" ] || port=$(cat "$dir/port" 2>/dev/null || free_port)
    port_open "$port" && fail "port $port is in use (postgres)"
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        [ ${#PG_RUN_AS[@]} = 0 ] || chown nobody: "$dir"
        # Said here rather than as initdb's "Permission denied": mktemp -d makes 0700 directories.
        "${PG_RUN_AS[@]}" test -w "$dir" || fail "nobody cannot reach $dir (chmod 755 its parents)"
        # In DIR: as nobody, initdb may not be able to read the script's working directory.
        (cd "$dir" && exec "${PG_RUN_AS[@]}" "$PG_BIN/initdb" --pgdata "$dir/data" --username postgres \
            --auth-local trust --auth-host scram-sha-256 --encoding UTF8 --locale C.UTF-8 --no-sync \
            --no-instructions) >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; fail "initdb failed"; }
    fi
    before=$(grep -c "ready to accept connections" "$dir/postgres.log" 2>/dev/null || true)
    (cd "$dir" && exec "${PG_RUN_AS[@]}" "$PG_BIN/postgres" -D "$dir/data" -p "$port" \
        -c listen_addresses=127.0.0.1 -c unix_socket_directories="$dir") 2>>"$dir/postgres.log" &
    PG_PID=$!
    echo "$port" >"$dir/port"
    # Logged once recovery is over: before it, the port is open but logins are refused.
    for _ in $(seq 600); do
        if [ "$(grep -c "ready to accept connections" "$dir/postgres.log" 2>/dev/null || true)" -gt "${before:-0}" ] &&
            port_open "$port"; then
            ready=1
            break
        fi
        if ! kill -0 "$PG_PID" 2>/dev/null; then
            PG_PID=""
            tail -5 "$dir/postgres.log" >&2
            fail "postgres exited (log: $dir/postgres.log)"
        fi
        sleep 0.1
    done
    [ -n "$ready" ] || fail "postgres did not take logins on port $port within 60 s (log: $dir/postgres.log)"
    if [ ! -f "$dir/passfile" ]; then
        password=pg-$RANDOM$RANDOM$RANDOM
        # The password goes on psql's standard input, never on a command line; the server keeps a SCRAM verifier.
        "$PG_BIN/psql" -X -q -w -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >/dev/null <<SQL ||
SET password_encryption = 'scram-sha-256';
CREATE ROLE envmon LOGIN PASSWORD '$password';
CREATE DATABASE envmon OWNER envmon;
SQL
            fail "could not create the envmon role and database"
        # libpq ignores a password file that the group or others may read. Any port: a later start may get another.
        (umask 077 && printf '127.0.0.1:*:*:envmon:%s\n' "$password" >"$dir/passfile")
    fi
    PG_URL="postgres://envmon@127.0.0.1:$port/envmon"
    PG_PASSFILE="$dir/passfile"
}
stop_postgres() {
    [ -n "$PG_PID" ] || return 0
    local children pid _
    children=$(pgrep -P "$PG_PID" || true)
    if [ "${1:-INT}" = KILL ]; then
        # Its children too: alone, the postmaster's orphans hold its shared memory a while, and a new
        # postmaster on DIR refuses to start while they do.
        # shellcheck disable=SC2086  # one PID per word
        kill -KILL "$PG_PID" $children 2>/dev/null || true
    else
        kill "-${1:-INT}" "$PG_PID" 2>/dev/null || true
    fi
    wait "$PG_PID" 2>/dev/null || true
    for pid in $children; do
        # A zombie counts as gone: a killed server's orphans may never be reaped in a container.
        for _ in $(seq 100); do
            [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null || echo Z)" = Z ] && break
            sleep 0.1
        done
    done
    PG_PID=""
}
on_cleanup stop_postgres

# outbox_backlog DB CONFIG: files (and webhook bodies) still to send to any target, as `envmon
# transmit status` counts them; fails the script when envmon cannot read DB.
outbox_backlog() {
    local status
    status=$("$BIN/envmon" transmit status --db "$1" --config "$2" --format json) ||
        fail "envmon transmit status failed on $1"
    json_sum - backlog <<<"$status"
}
# outbox_entries DB FILE [ARG...]: every outbox entry of DB (`envmon transmit list --format json`,
# oldest first, with ARGs such as --bodies) written to FILE; [] when the outbox is empty. Fails
# the script when envmon cannot read DB.
outbox_entries() {
    local db=$1 file=$2 status=0
    shift 2
    "$BIN/envmon" transmit list --db "$db" --limit 1000000 --format json "$@" >"$file" 2>"$file.err" || status=$?
    case $status in
    0) ;;
    1) echo "[]" >"$file" ;; # nothing in the outbox
    *) cat "$file.err" >&2; fail "envmon transmit list failed on $db" ;;
    esac
}

# --- Figures
# json_get FILE KEY: the top-level member KEY of the JSON object in FILE (- for stdin): text as it
# is, numbers as written, true/false, nested values as JSON; nothing when KEY is missing or null,
# or when FILE is empty or not JSON (a tool that failed before its report; said on stderr).
json_get() {
    python3 -c '
import json, sys
path, key = sys.argv[1:3]
text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
try:
    value = json.loads(text, parse_float=str, parse_int=str).get(key) if text.strip() else None
except ValueError:
    sys.stderr.write(f"json_get: {path} is not JSON\n")
    value = None
if isinstance(value, (dict, list)):
    value = json.dumps(json.loads(text)[key], ensure_ascii=False)
print("" if value is None else value if isinstance(value, str) else json.dumps(value))
' "$1" "$2"
}
# json_figure FILE NAME: the value of the figure NAME in FILE (- for stdin), an array of
# {"name", "value"} objects as `envmon stats --format json` prints; printed as json_get prints;
# nothing when there is no such figure, or FILE is empty or not JSON.
json_figure() {
    python3 -c '
import json, sys
path, name = sys.argv[1:3]
text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
try:
    figures = json.loads(text, parse_float=str, parse_int=str) if text.strip() else []
except ValueError:
    sys.stderr.write(f"json_figure: {path} is not JSON\n")
    figures = []
value = next((f.get("value") for f in figures if isinstance(f, dict) and f.get("name") == name), None)
print("" if value is None else value if isinstance(value, str) else json.dumps(value))
' "$1" "$2"
}
# json_sum FILE KEY: the sum of the member KEY over the objects of the JSON array in FILE (- for
# stdin), e.g. the backlog over the targets of `envmon transmit status`; 0 for an empty array, an
# empty FILE (a command that found nothing) or one that is not JSON (said on stderr).
json_sum() {
    python3 -c '
import json, sys
path, key = sys.argv[1:3]
text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
try:
    items = json.loads(text) if text.strip() else []
except ValueError:
    sys.stderr.write(f"json_sum: {path} is not JSON\n")
    items = []
print(sum(item.get(key) or 0 for item in items))
' "$1" "$2"
}
# json_count FILE [KEY=VALUE | KEY!=VALUE]...: how many objects of the JSON array in FILE (- for
# stdin) have every member KEY equal (or not equal) to VALUE, compared as json_get prints them
# (null for a missing or null member), e.g. `json_count alerts.json kind=no_data raised_at!=null`;
# 0 for an empty FILE (a command that found nothing) or one that is not JSON (said on stderr).
json_count() {
    python3 -c '
import json, sys
path, conditions = sys.argv[1], sys.argv[2:]
text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
try:
    items = json.loads(text, parse_float=str, parse_int=str) if text.strip() else []
except ValueError:
    sys.stderr.write(f"json_count: {path} is not JSON\n")
    items = []
def shown(value):
    return "null" if value is None else value if isinstance(value, str) else json.dumps(value)
def holds(item, condition):
    negated = "!=" in condition
    key, value = condition.split("!=" if negated else "=", 1)
    return (shown(item.get(key)) == value) != negated
print(sum(1 for item in items if all(holds(item, c) for c in conditions)))
' "$@"
}
# num VALUE [DECIMALS]: VALUE rounded to DECIMALS (0) places; "-" when VALUE is empty.
num() { awk -v a="$1" -v d="${2:-0}" 'BEGIN { if (a == "") print "-"; else printf "%.*f", d, a }'; }
