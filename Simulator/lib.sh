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
