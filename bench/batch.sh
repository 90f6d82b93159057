#!/bin/sh
# Nightly-batch benchmark (run by hand, not in CI).
#
# Generates N trials (default 100000) and P patients (default 10000), ingests
# the trials, then in the same run:
#   - batch over all P patients with 2 threads: wall time (target <= 60 s);
#   - batch over the first P/10 and all P patients: peak memory (it must not
#     grow with the number of patients);
#   - throughput with 1 and with 2 threads over the same patients (target:
#     2 threads >= 1.7x 1 thread).
# Each batch runs against a fresh copy of the index, so none resumes another.
#
# usage: bench/batch.sh [BUILD_DIR] [N_TRIALS] [N_PATIENTS]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
nt=${2:-100000}
np=${3:-10000}
ctm=$build/cli/ctmatch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$build/bench/gen_trials" "$nt" "$tmp/trials" --per-file 1000 >/dev/null
"$build/bench/gen_patients" "$np" "$tmp/p.ndjson" >/dev/null
head -n $((np / 10)) "$tmp/p.ndjson" >"$tmp/p10.ndjson"
"$ctm" ingest --db "$tmp/base.lmdb" "$tmp/trials" 2>&1 | tail -n 1
rm -rf "$tmp/trials"

run() { # run THREADS ROSTER -> "wall_seconds peak_kib"
	rm -rf "$tmp/idx"
	cp -r "$tmp/base.lmdb" "$tmp/idx"
	/usr/bin/env time -f '%e %M' -o "$tmp/t" "$ctm" batch --db "$tmp/idx" \
		--patients "$2" --threads "$1" --out "$tmp/out.csv" --today 2026-11-26 \
		2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
	cat "$tmp/t"
}

set -- $(run 2 "$tmp/p.ndjson"); w2=$1; m2=$2
rows=$(($(wc -l <"$tmp/out.csv") - 1))
set -- $(run 1 "$tmp/p.ndjson"); w1=$1
set -- $(run 2 "$tmp/p10.ndjson"); m10=$2
printf 'batch: %s patients x %s trials, %s rows\n' "$np" "$nt" "$rows"
printf '  2 threads        %.1f s (target <= 60 s)\n' "$w2"
printf '  1 thread         %.1f s\n' "$w1"
printf '  speed-up         %.2fx (target >= 1.70)\n' "$(echo "$w1 / $w2" | bc -l)"
printf '  peak memory      %.0f MiB at %s patients, %.0f MiB at %s patients\n' \
	"$(echo "$m10 / 1024" | bc -l)" $((np / 10)) "$(echo "$m2 / 1024" | bc -l)" "$np"
