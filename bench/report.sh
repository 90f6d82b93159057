#!/bin/sh
# Report benchmark (run by hand, not in CI): `ctmatch report` over a whole
# night must take less time than the batch that produced it.
#
# Generates N trials (default 20000) and P patients (default 1000), ingests
# the trials, runs one batch (2 threads) over the patients, then `report`
# of that night to a file; prints both wall times and the ratio
# report / batch (target < 1), and the report's size.
#
# usage: bench/report.sh [BUILD_DIR] [N_TRIALS] [N_PATIENTS]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
nt=${2:-20000}
np=${3:-1000}
ctm=$build/cli/ctmatch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$build/bench/gen_trials" "$nt" "$tmp/trials" --per-file 1000 >/dev/null
"$build/bench/gen_patients" "$np" "$tmp/p.ndjson" >/dev/null
"$ctm" ingest --db "$tmp/idx" "$tmp/trials" 2>&1 | tail -n 1
rm -rf "$tmp/trials"

s=$(date +%s.%N)
"$ctm" batch --db "$tmp/idx" --patients "$tmp/p.ndjson" --threads 2 \
	--out "$tmp/out.csv" --today 2026-11-26 2>"$tmp/err" || [ $? -eq 1 ]
e=$(date +%s.%N)
tb=$(echo "$e - $s" | bc -l)
tail -n 1 "$tmp/err"

s=$(date +%s.%N)
"$ctm" report --db "$tmp/idx" --out "$tmp/report.html"
e=$(date +%s.%N)
tr=$(echo "$e - $s" | bc -l)

printf 'batch %.2f s, report %.2f s (%s bytes) for %s patients: ratio report/batch %.3f (target < 1)\n' \
	"$tb" "$tr" "$(wc -c <"$tmp/report.html")" "$np" "$(echo "$tr / $tb" | bc -l)"
