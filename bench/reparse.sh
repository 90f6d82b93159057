#!/bin/sh
# Reparse benchmark (run by hand, not in CI; see README "ctmatch reparse").
#
# ../shared/corpus/ctgov-xml: `ctmatch ingest` into a new index, then
# `ctmatch reparse --all` of every trial of it, in the same run, each the
# best of ROUNDS (default 2). Target (issue 15): reparse <= 1.0x the first
# ingest.
#
# usage: bench/reparse.sh [BUILD_DIR] [ROUNDS]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
rounds=${2:-2}
ctm=$build/cli/ctmatch
corpus=../shared/corpus/ctgov-xml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -d "$corpus" ]; then
	echo "corpus: $corpus absent, skipped"
	exit 0
fi

secs() { # prints the wall seconds a command takes
	s=$(date +%s.%N); "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
	e=$(date +%s.%N); echo "$e - $s" | bc -l
}

# warm the page cache once so neither side pays for the first read
find "$corpus" -name '*.xml' -print0 | xargs -0 cat >/dev/null
best_i=999; best_r=999; i=0
while [ "$i" -lt "$rounds" ]; do
	rm -rf "$tmp/r.lmdb"
	t=$(secs "$ctm" ingest --db "$tmp/r.lmdb" "$corpus")
	best_i=$(echo "if ($t < $best_i) $t else $best_i" | bc -l)
	t=$(secs "$ctm" reparse --all --db "$tmp/r.lmdb")
	best_r=$(echo "if ($t < $best_r) $t else $best_r" | bc -l)
	i=$((i + 1))
done
trials=$("$ctm" stats --db "$tmp/r.lmdb" --format json | sed -n 's/.*"trials": \([0-9]*\).*/\1/p')
printf 'corpus: %s trials\n' "$trials"
printf '  ctmatch ingest (first)    %.2f s (best of %s)\n' "$best_i" "$rounds"
printf '  ctmatch reparse --all     %.2f s (best of %s)\n' "$best_r" "$rounds"
printf '  ratio reparse/ingest      %.2f (target <= 1.00)\n' "$(echo "$best_r / $best_i" | bc -l)"
