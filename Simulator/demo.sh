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
WEB_PORT=${DEMO_WEB_PORT:-18080}

. Simulator/lib.sh
require_tools "run: make deps" mosquitto swift
port_open "$PORT" && fail "port $PORT is in use; set DEMO_PORT"
port_open "$WEB_PORT" && fail "port $WEB_PORT is in use; set DEMO_WEB_PORT"

BIN=$(swift build --show-bin-path)
if [ ! -x "$BIN/envmond" ] || [ ! -x "$BIN/envmon" ] || [ ! -x "$BIN/envmon-sim" ]; then
    echo "== building (swift build)"
    swift build
fi

mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
DB="$RUN_DIR/envmon.db"
DAEMON_LOG="$RUN_DIR/envmond.log"
rm -rf "$DB" "$DB-wal" "$DB-shm" "$RUN_DIR"/inbox* "$RUN_DIR/mosquitto/"*.db
: >"$DAEMON_LOG"

# The shipped broker config, on our port, with its state in ./run.
echo "== mosquitto on 127.0.0.1:$PORT ($RUN_DIR/mosquitto.conf)"
start_broker "$PORT" "$RUN_DIR"

echo "== envmond --config Config/envmon.toml --broker $BROKER --db $DB (log: $DAEMON_LOG)"
start_daemon "$DB"

# The web console over the same store (read-only), for the length of the demo.
echo "== envmon serve: http://127.0.0.1:$WEB_PORT/  (map, live values, charts, alerts, VN_AQI; ?lang=en) (log: $RUN_DIR/envmon-web.log)"
"$BIN/envmon" serve --config Config/envmon.toml --db "$DB" --listen "127.0.0.1:$WEB_PORT" \
    --users-file "$RUN_DIR/web-users" 2>"$RUN_DIR/envmon-web.log" &
WEB_PID=$!
track "$WEB_PID"

# Replay the last 3 hours in about three quarters of the run, then go on in real time.
SCALE=$((10800 * 4 / (DEMO_SECONDS * 3)))
echo "== envmon-sim: 16 sensors at 10 sites, 3 h replayed ${SCALE}x then real time, for ${DEMO_SECONDS} s"
"$BIN/envmon-sim" run --config Config/envmon.toml --broker "$BROKER" --seed "$SEED" --start=-3h \
    --time-scale "$SCALE" --duration "${DEMO_SECONDS}s" --scenario Simulator/scenarios/demo.json \
    --manifest "$RUN_DIR/manifest.json" &
SIM_PID=$!
track "$SIM_PID"
wait_process "$SIM_PID" || true
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
"${ENVMON[@]}" query --sensor lh-do-02 --metric "do" --from=-4h --every 1h --agg min "${OPTS[@]}" || true
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
grep -E '^<[0-4]>' "$DAEMON_LOG" | tail -n 10 || echo "(none)"
echo
echo "== what the simulator sent: $RUN_DIR/manifest.json"
for key in messagesPublished readingsSent; do echo "  $key: $(json_get "$RUN_DIR/manifest.json" "$key")"; done
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
