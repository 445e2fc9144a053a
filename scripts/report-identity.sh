#!/usr/bin/env bash
# Checks that a refactoring left the report unchanged: builds `envmon` at REV in a git worktree of
# its own, renders every edition of one period's report (vi and en, Markdown, HTML and JSON) from
# the same database with REV's binary and with the working tree's, and compares them byte for byte.
#
#   scripts/report-identity.sh REV [DATABASE]
#
# DATABASE defaults to the demo month (run/report-demo/demo.db, made by scripts/render-report.sh).
# The period, the generation time, the config and the indicators are fixed, so the only thing that
# differs between the two runs is the code. Exits 1 naming every edition that differs.
set -euo pipefail
cd "$(dirname "$0")/.."
. Simulator/lib.sh

[ $# -ge 1 ] || { echo "usage: $0 REV [DATABASE]" >&2; exit 2; }
rev=$(git rev-parse --verify "$1^{commit}") || fail "$1 is not a commit"
database=${2:-run/report-demo/demo.db}
[ -f "$database" ] || fail "$database does not exist (scripts/render-report.sh makes the demo month)"

out=run/report-identity
fresh_dir "$out"
before=$PWD/.build-report-identity/${rev:0:12}
if [ ! -x "$before/.build/debug/envmon" ]; then
    rm -rf "$before"
    git worktree prune
    git worktree add --detach "$before" "$rev" >/dev/null
    echo "building envmon at ${rev:0:12} in $before"
    (cd "$before" && swift build --product envmon >/dev/null)
fi
swift build --product envmon >/dev/null

render() { # BINARY DIR
    local binary=$1 dir=$2 lang format
    mkdir -p "$dir"
    for lang in vi en; do
        for format in md html json; do
            "$binary" report --period 2026-11 --now 2026-12-01T06:00:00+07:00 --config Config/envmon.toml \
                --indicators Config/indicators.toml --db "$database" --lang "$lang" --format "$format" \
                --number 15/BC-UBND --signer "Nguyễn Văn A" --out "$dir/report.$lang.$format" >/dev/null
        done
    done
}
render "$before/.build/debug/envmon" "$out/before"
render .build/debug/envmon "$out/after"

differ=0
for file in "$out"/before/*; do
    name=$(basename "$file")
    if cmp -s "$file" "$out/after/$name"; then
        echo "identical  $name  $(wc -c <"$file") bytes  sha256 $(sha256sum "$file" | cut -c1-16)"
    else
        echo "DIFFERS    $name"
        differ=1
    fi
done
[ "$differ" = 0 ] || fail "the report changed between ${rev:0:12} and the working tree (files in $out)"
echo "every edition byte-identical between ${rev:0:12} and the working tree"
