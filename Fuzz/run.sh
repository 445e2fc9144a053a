#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (-sanitize=fuzzer,address, LeakSanitizer on) of issue 7.
#
#   bash Fuzz/run.sh <target>...        # one or more of: payload plain json senml line config
#   bash Fuzz/run.sh all                # every target, one after the other (the default)
#   bash Fuzz/run.sh build <target>...  # only build $FUZZ_DIR/bin/fuzz-<target>
#   bash Fuzz/run.sh crashes            # rerun every Fuzz/crashes/<target>-* reproducer (no skips)
#   FUZZ_SECONDS=600 bash Fuzz/run.sh config
#
# Targets (see Fuzz/README.md):
#   payload  every decoder + the validator, format chosen by the first byte (PayloadDecoderFuzz.swift)
#   plain    PlainNumberDecoder                      (FormatDecoderFuzz.swift -D FUZZ_PLAIN)
#   json     JSONObjectDecoder                       (FormatDecoderFuzz.swift -D FUZZ_JSON)
#   senml    SenMLDecoder                            (FormatDecoderFuzz.swift -D FUZZ_SENML)
#   line     LineProtocolDecoder (InfluxDB)          (FormatDecoderFuzz.swift -D FUZZ_LINE)
#   config   EnvMonConfiguration.load over TOMLKit/toml++ (ConfigLoaderFuzz.swift)
#
# Each run fuzzes for FUZZ_SECONDS (default 60) starting from Fuzz/corpus/<target>, then merges
# the committed corpus and the new inputs (-merge=1) into a fresh minimized directory that
# replaces Fuzz/corpus/<target>, so the corpus only keeps inputs that add coverage. It prints the
# libFuzzer summary (executions, cov/ft, corpus size) and appends it to $FUZZ_DIR/runs.tsv. A
# crash, trap, leak, timeout or OOM leaves its input in $FUZZ_DIR/<target>/ (crash-*, leak-*,
# timeout-*, oom-*), the log in $FUZZ_DIR/<target>/fuzz*.log, and the script exits 1.
#
# Leaks: the decoders run with libFuzzer's per-input leak check (-detect_leaks=1) and LSan at
# exit. The config target cannot: TOMLKit leaks on every parse (upstream bug, see Fuzz/lsan.supp),
# so a per-input check would run on every input (~10 exec/s) and the process would reach the RSS
# limit within minutes. It runs with -detect_leaks=0 (no per-input check) in segments of
# FUZZ_SEGMENT seconds (default 60), each a fresh process ending with a full LeakSanitizer pass
# (ASAN_OPTIONS=detect_leaks=1; TOMLKit's own stacks suppressed by Fuzz/lsan.supp), so any other
# leak fails the segment.
#
# Environment: FUZZ_SECONDS (60), FUZZ_SEGMENT (config: 60), FUZZ_DIR work/build directory
# (/tmp/envmon-fuzz), FUZZ_NICE niceness (10), FUZZ_ARGS extra libFuzzer flags, TOMLKIT_DIR
# (.build/checkouts/TOMLKit; run `swift package resolve` first), FUZZ_SKIP_KNOWN: known findings
# in our code whose inputs the harnesses do not run, so fuzzing goes on past them (default none;
# "rfc3339-fraction" was the one skip until that trap was fixed; see Fuzz/README.md), FUZZ_TOMLPP_ASSERT: "report" (default:
# a failed toml++ assertion is recorded as a finding, its input saved as
# $FUZZ_DIR/config/tomlpp-assert-<line>.toml, and fuzzing goes on; see Fuzz/tomlpp_assert.hpp) or
# "abort" (toml++ built exactly as shipped).
# Reproduce a finding:
#   SWIFT_BACKTRACE=enable=no LSAN_OPTIONS=suppressions=Fuzz/lsan.supp $FUZZ_DIR/bin/fuzz-<target> <file>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NICE=${FUZZ_NICE:-10}
if [[ -z "${ENVMON_FUZZ_NICED:-}" ]]; then
    exec env ENVMON_FUZZ_NICED=1 nice -n "$NICE" bash "$0" "$@"
fi
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}
WORK=${FUZZ_DIR:-/tmp/envmon-fuzz}
TOMLKIT=${TOMLKIT_DIR:-$ROOT/.build/checkouts/TOMLKit}
ALL_TARGETS=(payload plain json senml line config)
BIN="$WORK/bin"
mkdir -p "$BIN"

# The package builds in Swift 6 mode with these upcoming features; the fuzzers do the same.
SWIFT_MODE=(-swift-version 6 -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault)
SANITIZE=(-sanitize=fuzzer,address -O -g)
SKIP_KNOWN=${FUZZ_SKIP_KNOWN-}  # none: the RFC 3339 fraction trap is fixed
TOMLPP_ASSERT=${FUZZ_TOMLPP_ASSERT:-report}

# -D flags of the known findings skipped by target $1's harness (see FUZZ_SKIP_KNOWN).
skip_flags() {
    local id
    for id in $SKIP_KNOWN; do
        case "$1:$id" in
            json:rfc3339-fraction | payload:rfc3339-fraction) echo "-D SKIP_RFC3339_FRACTION_TRAP" ;;
        esac
    done
}

quiet() { grep -v "Cannot export local symbol" || true; }

# True if $1 is missing or older than any of the other files.
stale() {
    local target=$1 file
    shift
    [[ -e "$target" ]] || return 0
    for file in "$@"; do [[ "$file" -nt "$target" ]] && return 0; done
    return 1
}

build_decoder() { # target, -D flag (empty for payload), source
    local target=$1 define=$2 source=$3 flags=()
    [[ -n "$define" ]] && flags=(-D "$define")
    # shellcheck disable=SC2207
    flags+=($(skip_flags "$target"))
    swiftc "${SANITIZE[@]}" "${SWIFT_MODE[@]}" -parse-as-library -module-name EnvMonCore "${flags[@]}" \
        "$ROOT"/Sources/EnvMonCore/*.swift "$ROOT/Fuzz/$source" "$ROOT/Fuzz/KnownFindings.swift" \
        -o "$BIN/fuzz-$target" 2>&1 | quiet
}

# The config loader: toml++ (C++, behind TOMLKit's C API) with clang++ -fsanitize=fuzzer-no-link,address;
# TOMLKit, EnvMonCore and EnvMonConfig as Swift modules with -sanitize=fuzzer,address; one binary.
# Objects are rebuilt only when their sources changed (toml++ alone takes minutes).
build_config() {
    local ctoml="$TOMLKIT/Sources/CTOML" out="$WORK/config-build"
    [[ -d "$ctoml" ]] || { echo "no TOMLKit checkout at $TOMLKIT (run: swift package resolve)" >&2; exit 2; }
    mkdir -p "$out/ctoml-$TOMLPP_ASSERT"
    local objects=() sources=("$ctoml"/Sources/*.cpp) source object report=()
    if [[ $TOMLPP_ASSERT == report ]]; then
        sources+=("$ROOT/Fuzz/tomlpp_assert.cpp")
        report=(-include "$ROOT/Fuzz/tomlpp_assert.hpp" -I "$ctoml/Sources")
    fi
    for source in "${sources[@]}"; do
        object="$out/ctoml-$TOMLPP_ASSERT/$(basename "$source" .cpp | tr -c 'A-Za-z0-9\n' _).o"
        objects+=("$object")
        stale "$object" "$source" "$ctoml"/Sources/*.hpp "$ctoml/include/CTOML/CTOML.h" "$ROOT"/Fuzz/tomlpp_assert.* ||
            continue
        # As SwiftPM builds CTOML (-DTOML_EXCEPTIONS=1, no -DNDEBUG: toml++'s assertions are on).
        clang++ -fsanitize=fuzzer-no-link,address -O1 -g -fno-omit-frame-pointer -std=c++17 -fPIC -w \
            -DTOML_EXCEPTIONS=1 -I "$ctoml/include" "${report[@]}" -c "$source" -o "$object"
    done
    local ctoml_map=(-Xcc -fmodule-map-file="$ctoml/include/CTOML/module.modulemap" -I "$ctoml/include/CTOML")
    local tomlkit_sources=()
    mapfile -d '' tomlkit_sources < <(find "$TOMLKIT/Sources/TOMLKit" -name '*.swift' -print0)
    if stale "$out/TOMLKit.o" "${tomlkit_sources[@]}" "$ctoml/include/CTOML/CTOML.h"; then
        # TOMLKit is Swift 5 code.
        swiftc "${SANITIZE[@]}" -swift-version 5 -suppress-warnings -parse-as-library -module-name TOMLKit -wmo -c \
            "${ctoml_map[@]}" -emit-module -emit-module-path "$out/TOMLKit.swiftmodule" \
            "${tomlkit_sources[@]}" -o "$out/TOMLKit.o" 2>&1 | quiet
    fi
    if stale "$out/EnvMonCore.o" "$ROOT"/Sources/EnvMonCore/*.swift "$ROOT"/Sources/EnvMonCore; then
        swiftc "${SANITIZE[@]}" "${SWIFT_MODE[@]}" -parse-as-library -module-name EnvMonCore -wmo -c \
            -emit-module -emit-module-path "$out/EnvMonCore.swiftmodule" \
            "$ROOT"/Sources/EnvMonCore/*.swift -o "$out/EnvMonCore.o" 2>&1 | quiet
    fi
    if stale "$out/EnvMonConfig.o" "$ROOT"/Sources/EnvMonConfig/*.swift "$ROOT"/Sources/EnvMonConfig \
        "$out/EnvMonCore.o" "$out/TOMLKit.o"; then
        swiftc "${SANITIZE[@]}" "${SWIFT_MODE[@]}" -parse-as-library -module-name EnvMonConfig -wmo -c -I "$out" \
            "${ctoml_map[@]}" -emit-module -emit-module-path "$out/EnvMonConfig.swiftmodule" \
            "$ROOT"/Sources/EnvMonConfig/*.swift -o "$out/EnvMonConfig.o" 2>&1 | quiet
    fi
    swiftc "${SANITIZE[@]}" "${SWIFT_MODE[@]}" -parse-as-library -module-name ConfigLoaderFuzz -I "$out" \
        "${ctoml_map[@]}" "$ROOT/Fuzz/ConfigLoaderFuzz.swift" \
        "$out/EnvMonConfig.o" "$out/EnvMonCore.o" "$out/TOMLKit.o" "${objects[@]}" -lstdc++ \
        -o "$BIN/fuzz-config" 2>&1 | quiet
}

build() {
    rm -f "$BIN/fuzz-$1"
    case $1 in
        payload) build_decoder payload "" PayloadDecoderFuzz.swift ;;
        plain) build_decoder plain FUZZ_PLAIN FormatDecoderFuzz.swift ;;
        json) build_decoder json FUZZ_JSON FormatDecoderFuzz.swift ;;
        senml) build_decoder senml FUZZ_SENML FormatDecoderFuzz.swift ;;
        line) build_decoder line FUZZ_LINE FormatDecoderFuzz.swift ;;
        config) build_config ;;
        *) echo "unknown target '$1' (one of: ${ALL_TARGETS[*]} all)" >&2; exit 2 ;;
    esac
    [[ -x "$BIN/fuzz-$1" ]] || { echo "build of $1 failed" >&2; exit 2; }
}

max_len() { case $1 in config) echo 32768 ;; *) echo 4096 ;; esac; }

run() {
    local target=$1 dir="$WORK/$1" corpus="$ROOT/Fuzz/corpus/$1" status=0
    echo "== $target: building"
    build "$target"
    rm -rf "$dir/new" "$dir/min" "$dir"/fuzz*.log "$dir"/tomlpp-assert-*.toml "$dir"/crash-* "$dir"/leak-* \
        "$dir"/timeout-* "$dir"/oom-* "$dir"/slow-unit-*
    mkdir -p "$dir/new" "$dir/min" "$corpus"
    export LSAN_OPTIONS="suppressions=$ROOT/Fuzz/lsan.supp:print_suppressions=0"
    export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
    export FUZZ_SCRATCH="$dir"
    # The Swift runtime's crash backtracer would catch the signal before libFuzzer (and trips ASan).
    export SWIFT_BACKTRACE=enable=no
    local segment=$SECONDS_TO_RUN per_input_leaks=1
    if [[ $target == config ]]; then
        segment=${FUZZ_SEGMENT:-60}
        per_input_leaks=0
    fi
    echo "== $target: fuzzing for ${SECONDS_TO_RUN}s from $(ls "$corpus" | wc -l) inputs"
    local left=$SECONDS_TO_RUN part=0 executed=0 peak=0 now log
    while ((left > 0 && status == 0)); do
        now=$((left < segment ? left : segment))
        part=$((part + 1))
        log="$dir/fuzz-$part.log"
        (cd "$dir" && "$BIN/fuzz-$target" -max_total_time="$now" -max_len="$(max_len "$target")" \
            -timeout=10 -rss_limit_mb=2048 -detect_leaks=$per_input_leaks -print_final_stats=1 \
            -artifact_prefix="$dir/" ${FUZZ_ARGS:-} new "$corpus") >"$log" 2>&1 || status=$?
        executed=$((executed + $(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 | grep . || echo 0)))
        local rss
        rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1 | grep . || echo 0)
        ((rss > peak)) && peak=$rss
        left=$((left - now))
    done
    # Merge committed + new into a minimized copy, then replace the committed corpus with it.
    (cd "$dir" && "$BIN/fuzz-$target" -merge=1 -max_len="$(max_len "$target")" -timeout=10 \
        -rss_limit_mb=2048 -detect_leaks=0 min "$corpus" new) >"$dir/merge.log" 2>&1 || true
    rm -f "$dir"/envmon-fuzz-config-*.toml # the config target's scratch files
    if [[ -n "$(ls "$dir/min")" ]]; then
        find "$corpus" -maxdepth 1 -type f -delete
        cp "$dir/min"/* "$corpus"/
    fi
    local done_line cov ft findings
    done_line=$(grep -hE '^#[0-9]+.*cov:' "$log" | tail -1 || true)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$done_line")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$done_line")
    echo "   last segment: $done_line"
    grep '^stat::' "$log" | sed 's/^/   /' || true
    findings=$(cd "$dir" && ls -d crash-* leak-* timeout-* oom-* slow-unit-* 2>/dev/null | tr '\n' ' ' || true)
    if [[ $status -ne 0 ]] && grep -q "ERROR: LeakSanitizer" "$log"; then findings+="leak-at-exit(see $log) "; fi
    # toml++ assertions recorded in report mode: each aborts envmond, so each is a finding.
    local asserts
    asserts=$(cd "$dir" && ls tomlpp-assert-*.toml 2>/dev/null | tr '\n' ' ' || true)
    if [[ -n "$asserts" ]]; then
        findings+="$asserts"
        grep -h "^ENVMON-FUZZ toml++ assertion" "$dir"/fuzz-*.log | sort -u | sed 's/^/   /'
        [[ $status -eq 0 ]] && status=1
    fi
    echo "== $target: $executed inputs executed in ${part} process(es), cov ${cov:-?}, ft ${ft:-?}," \
        "peak RSS ${peak} MB, corpus $(ls "$corpus" | wc -l) inputs ($(du -sb "$corpus" | cut -f1) bytes)," \
        "libFuzzer exit $status${findings:+, findings: $findings}"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$SECONDS_TO_RUN" "$executed" \
        "${cov:-?}" "${ft:-?}" "$(ls "$corpus" | wc -l)" "$peak" "exit=$status ${findings}" >>"$WORK/runs.tsv"
    if [[ $status -ne 0 ]]; then
        echo "!! $target: libFuzzer failed (exit $status); see $log" >&2
        return 1
    fi
}

# Reruns every reproducer Fuzz/crashes/<target>-* on its target built without skips; a finding
# that still fails is listed as such. Only TOMLKit's own leaks are suppressed here.
check_crashes() {
    local supp="$WORK/lsan-tomlkit-only.supp" file target status targets=()
    grep '^leak:TOMLKit' "$ROOT/Fuzz/lsan.supp" >"$supp"
    for file in "$ROOT"/Fuzz/crashes/*; do targets+=("$(basename "$file" | cut -d- -f1)"); done
    SKIP_KNOWN=""
    TOMLPP_ASSERT=abort
    for target in $(printf '%s\n' "${targets[@]}" | sort -u); do build "$target"; done
    for file in "$ROOT"/Fuzz/crashes/*; do
        target=$(basename "$file" | cut -d- -f1)
        status=0
        (cd "$WORK" && SWIFT_BACKTRACE=enable=no FUZZ_SCRATCH="$WORK" LSAN_OPTIONS="suppressions=$supp" \
            timeout 120 "$BIN/fuzz-$target" "$file") >"$WORK/crash-check.log" 2>&1 || status=$?
        if [[ $status -eq 0 ]]; then
            echo "fixed        $(basename "$file")"
        else
            local why
            why=$(grep -m1 -oE 'Assertion .*|Swift runtime failure: [^/]*' "$WORK/crash-check.log" ||
                grep -m1 -oE 'ERROR: [A-Za-z]+: .*' "$WORK/crash-check.log" || true)
            echo "still fails  $(basename "$file") (exit $status): $why"
        fi
    done
    rm -f "$WORK"/envmon-fuzz-config-*.toml
}

main() {
    if [[ "${1:-}" == crashes ]]; then
        check_crashes
        exit 0
    fi
    if [[ "${1:-}" == build ]]; then
        shift
        targets=("$@")
        [[ ${#targets[@]} -eq 0 || "${targets[0]}" == all ]] && targets=("${ALL_TARGETS[@]}")
        for target in "${targets[@]}"; do build "$target" && echo "built $BIN/fuzz-$target"; done
        exit 0
    fi
    targets=("$@")
    [[ ${#targets[@]} -eq 0 || "${targets[0]}" == all ]] && targets=("${ALL_TARGETS[@]}")
    failed=0
    for target in "${targets[@]}"; do run "$target" || failed=1; done
    exit $failed
}

# In a function, so that bash has read the whole script before running it (editing a running
# script is then harmless).
main "$@"; exit
