#!/usr/bin/env bash
# EnvMon demo: a local mosquitto on loopback, envmond on Config/envmon.toml, and envmon-sim feeding
# the whole Cát Hải network (the last 3 hours replayed fast, then real time) with a few faults and
# one alert-worthy event (DO below 5 mg/L at the Lan Hạ cages); then what an operator looks at.
# Everything it starts is stopped on exit. State goes to ./run/ (RUN_DIR).
#
#   bash Simulator/demo.sh                 # 60 s
#   DEMO_SECONDS=120 bash Simulator/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO_SECONDS=${DEMO_SECONDS:-60}
RUN_DIR=${RUN_DIR:-./run}
PORT=${DEMO_PORT:-18830}
SEED=${DEMO_SEED:-2026}
BROKER="mqtt://127.0.0.1:$PORT"

for tool in mosquitto swift; do
    command -v "$tool" >/dev/null || { echo "demo: $tool not found (run: make deps)" >&2; exit 1; }
done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "demo: port $PORT is in use; set DEMO_PORT" >&2
    exit 1
fi

BIN=$(swift build --show-bin-path)
if [ ! -x "$BIN/envmond" ] || [ ! -x "$BIN/envmon" ] || [ ! -x "$BIN/envmon-sim" ]; then
    echo "== building (swift build)"
    swift build
fi

mkdir -p "$RUN_DIR/mosquitto"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
DB="$RUN_DIR/envmon.db"
rm -rf "$DB" "$DB-wal" "$DB-shm" "$RUN_DIR"/inbox* "$RUN_DIR/mosquitto/"*.db

# The shipped broker config, on our port, with its state in ./run.
sed -e "s|^listener 1883 127.0.0.1|listener $PORT 127.0.0.1|" \
    -e "s|^persistence_location .*|persistence_location $RUN_DIR/mosquitto/|" \
    Config/mosquitto.conf >"$RUN_DIR/mosquitto.conf"
echo "log_dest file $RUN_DIR/mosquitto.log" >>"$RUN_DIR/mosquitto.conf"
# As root mosquitto would switch to user "mosquitto", which cannot write ./run.
if [ "$(id -u)" = 0 ]; then echo "user root" >>"$RUN_DIR/mosquitto.conf"; fi

PIDS=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill "${PIDS[i]}" 2>/dev/null || true
        wait "${PIDS[i]}" 2>/dev/null || true
    done
    exit "$status"
}
trap cleanup EXIT INT TERM

echo "== mosquitto on 127.0.0.1:$PORT ($RUN_DIR/mosquitto.conf)"
mosquitto -c "$RUN_DIR/mosquitto.conf" 2>>"$RUN_DIR/mosquitto.log" &
PIDS+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

echo "== envmond --config Config/envmon.toml --broker $BROKER --db $DB (log: $RUN_DIR/envmond.log)"
"$BIN/envmond" --config Config/envmon.toml --broker "$BROKER" --db "$DB" 2>"$RUN_DIR/envmond.log" &
DAEMON=$!
PIDS+=($DAEMON)
for _ in $(seq 200); do grep -qE "MQTT subscribed|session resumed" "$RUN_DIR/envmond.log" 2>/dev/null && break; sleep 0.1; done

# The web console over the same store (read-only), for the length of the demo.
WEB_PORT=${DEMO_WEB_PORT:-18080}
if (exec 3<>"/dev/tcp/127.0.0.1/$WEB_PORT") 2>/dev/null; then
    echo "demo: port $WEB_PORT is in use; set DEMO_WEB_PORT" >&2
    exit 1
fi
echo "== envmon serve: http://127.0.0.1:$WEB_PORT/  (map, live values, charts, alerts, VN_AQI; ?lang=en) (log: $RUN_DIR/envmon-web.log)"
"$BIN/envmon" serve --config Config/envmon.toml --db "$DB" --listen "127.0.0.1:$WEB_PORT" \
    --users-file "$RUN_DIR/web-users" 2>"$RUN_DIR/envmon-web.log" &
WEB_PID=$!
PIDS+=($WEB_PID)

# Replay the last 3 hours in about three quarters of the run, then go on in real time.
SCALE=$((10800 * 4 / (DEMO_SECONDS * 3)))
echo "== envmon-sim: 16 sensors at 10 sites, 3 h replayed ${SCALE}x then real time, for ${DEMO_SECONDS} s"
"$BIN/envmon-sim" run --config Config/envmon.toml --broker "$BROKER" --seed "$SEED" --start=-3h \
    --time-scale "$SCALE" --duration "${DEMO_SECONDS}s" --scenario Simulator/scenarios/demo.json \
    --manifest "$RUN_DIR/manifest.json" &
SIM=$!
PIDS+=($SIM)
wait "$SIM" || true
sleep 1

ENVMON=("$BIN/envmon")
OPTS=(--db "$DB" --config Config/envmon.toml)
echo
echo "== envmon sensors"
"${ENVMON[@]}" sensors "${OPTS[@]}" || true
echo
echo "== envmon latest --site lan_ha"
"${ENVMON[@]}" latest --site lan_ha "${OPTS[@]}" || true
echo
echo "== envmon query --sensor lh-do-02 --metric do --every 1h --agg min   (the DO event at the cages)"
"${ENVMON[@]}" query --sensor lh-do-02 --metric do --from=-4h --every 1h --agg min "${OPTS[@]}" || true
echo
echo "== envmon rejects --limit 10"
"${ENVMON[@]}" rejects --limit 10 "${OPTS[@]}" || true
echo
echo "== envmon stats"
"${ENVMON[@]}" stats "${OPTS[@]}"
if "${ENVMON[@]}" --help 2>/dev/null | grep -qE "^ +alerts "; then
    echo
    echo "== envmon alerts"
    "${ENVMON[@]}" alerts "${OPTS[@]}" || true
fi
echo
echo "== alert lines in the daemon's log (journal priority <0>..<4>)"
grep -E '^<[0-4]>' "$RUN_DIR/envmond.log" | tail -n 10 || echo "(none)"
echo
echo "== what the simulator sent: $RUN_DIR/manifest.json"
sed -n 's/^  "\(messagesPublished\|readingsSent\)".*/&/p' "$RUN_DIR/manifest.json"
echo
echo "== the console's view of the sites (GET /api/v1/sites)"
curl -fsS "http://127.0.0.1:$WEB_PORT/api/v1/sites" | python3 -c '
import json, sys
for site in json.load(sys.stdin):
    print("  %-14s %-12s %d active alert(s)" % (site["id"], site["state"], site["active_alerts"]))
' || echo "(the console did not answer: $RUN_DIR/envmon-web.log)"
if [ -n "${DEMO_KEEP_WEB:-}" ]; then
    echo "== the console stays up at http://127.0.0.1:$WEB_PORT/ until Ctrl-C (DEMO_KEEP_WEB)"
    wait "$WEB_PID" || true
fi
echo "== the full operator view: envmon latest --db $DB   (everything started here is now stopped)"
