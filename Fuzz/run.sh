#!/usr/bin/env bash
# Builds the libFuzzer target for the payload decoders (plain, JSON, SenML, line protocol, auto,
# plus validation) with AddressSanitizer and runs it on the committed corpus.
#
#   bash Fuzz/run.sh            # 10 minutes
#   FUZZ_SECONDS=60 bash Fuzz/run.sh
#
# New inputs that reach new code are merged back into Fuzz/corpus/payload; a crash leaves its
# input as crash-* in the work directory and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${FUZZ_SECONDS:-600}
WORK=${FUZZ_DIR:-/tmp/envmon-fuzz}
mkdir -p "$WORK/new"
echo "== building the payload fuzzer (swiftc -sanitize=fuzzer,address)"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name EnvMonCore \
    Sources/EnvMonCore/*.swift Fuzz/PayloadDecoderFuzz.swift -o "$WORK/fuzz-payload" 2>&1 | grep -v "Cannot export local symbol" || true
echo "== fuzzing for ${SECONDS_TO_RUN}s"
cd "$WORK"
./fuzz-payload -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
    new "$OLDPWD/Fuzz/corpus/payload"
./fuzz-payload -merge=1 "$OLDPWD/Fuzz/corpus/payload" new >/dev/null 2>&1
echo "== corpus: $(ls "$OLDPWD/Fuzz/corpus/payload" | wc -l) inputs"
