# Shared by the benchmark scripts: release binaries and a broker configuration for a work folder.
# Source it from the repository root.

# build_release PRODUCT...: builds the release products and sets BIN and SIM.
build_release() {
    echo "== swift build -c release"
    local product
    # As `make release` builds them (static Swift runtime): the binaries measured are the ones installed.
    for product in "$@"; do swift build -c release --static-swift-stdlib --product "$product" >/dev/null; done
    BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)
    SIM="$BIN/envmon-sim"
}

# write_broker_config WORK PORT: Config/mosquitto.conf on PORT with persistence and log in WORK.
write_broker_config() {
    local work=$1 port=$2
    rm -rf "$work"
    mkdir -p "$work/mosquitto"
    sed -e "s|^listener 1883 127.0.0.1|listener $port 127.0.0.1|" \
        -e "s|^persistence_location .*|persistence_location $work/mosquitto/|" \
        Config/mosquitto.conf >"$work/mosquitto.conf"
    echo "log_dest file $work/mosquitto.log" >>"$work/mosquitto.conf"
    if [ "$(id -u)" = 0 ]; then echo "user root" >>"$work/mosquitto.conf"; fi
}

# wait_port PORT: until something accepts connections on 127.0.0.1:PORT (10 s at most).
wait_port() {
    local _
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done
    return 1
}

# free_port: prints a TCP port nothing listens on at 127.0.0.1 now (the kernel's pick for port 0).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_ftp WORK PORT: a real pure-ftpd on 127.0.0.1:PORT with one virtual user `envmon` (made by
# pure-pw on first use, its password in WORK/ftp.pass), chrooted to WORK/ftp/home with an `inbox`;
# sets FTP_PID. stop_ftp ends it and the session processes it forked (a server going down drops
# its clients).
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
    pkill -KILL -P "$FTP_PID" 2>/dev/null || true
    kill "$FTP_PID" 2>/dev/null || true
    wait "$FTP_PID" 2>/dev/null || true
    FTP_PID=""
}

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
# the broker of write_broker_config on PORT, start_ftp on FTP_PORT, write_transmit_config, and
# envmond from BIN on them (sets DB and DAEMON_PID; returns once it has subscribed). Everything
# started is stopped when the script exits; a script adds its own background jobs to PIDS.
start_transmit_rig() {
    local work=$1 port=$2 ftp_port=$3 _
    PIDS=()
    FTP_PID=""
    trap stop_transmit_rig EXIT INT TERM
    mosquitto -c "$work/mosquitto.conf" 2>>"$work/mosquitto.log" &
    PIDS+=($!)
    wait_port "$port"
    start_ftp "$work" "$ftp_port"
    write_transmit_config "$work" "$4" "$ftp_port" "$5" "$6" "$7" "$8"
    DB="$work/envmon.db"
    "$BIN/envmond" --config "$work/envmon.toml" --broker "mqtt://127.0.0.1:$port" --db "$DB" 2>"$work/envmond.log" &
    DAEMON_PID=$!
    PIDS+=("$DAEMON_PID")
    for _ in $(seq 300); do grep -q "MQTT subscribed" "$work/envmond.log" && return; sleep 0.1; done
    echo "envmond did not subscribe: see $work/envmond.log" >&2
    return 1
}
stop_transmit_rig() {
    local status=$?
    trap - EXIT INT TERM
    [ -n "$FTP_PID" ] && stop_ftp
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    exit "$status"
}
