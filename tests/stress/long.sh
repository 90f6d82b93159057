#!/bin/sh
# long.sh - the long version of the crash and stress tests (issue 14); not
# part of CI. Run from the source tree:
#
#   sh tests/stress/long.sh [KILLS] [FUZZ_SECONDS]
#
# 1. tests/cli/test_crash.c with KILLS (default 50) kills that land mid-run
#    each for ingest and batch, plus batch on a 1 MiB map with 2 and 4
#    threads while an ingest runs;
# 2. tests/index/test_growth.c 20 times (map growth under 2 and 4 reading
#    threads);
# 3. a fuzz campaign: every tests/fuzz/fuzz_*.c built with clang and
#    libFuzzer (ASan + UBSan), FUZZ_SECONDS (default 300) each, on a copy
#    of its corpus (the checked-in corpus is left alone).
# Prints one line of figures per step. The crash and growth steps stop at
# the first failure; the fuzz campaign goes through every target, leaves
# what it finds in /tmp/ctm-long-findings/, and the script then exits 1.
# FUZZ_ONLY=1 runs the fuzz campaign alone.
set -eu
cd "$(dirname "$0")/../.."
kills=${1:-50}
fuzz_s=${2:-300}
start=$(date +%s)

cmake -S . -B build-long -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCTM_WERROR=ON -DCTM_TESTS=ON >/dev/null
cmake --build build-long -j2 --target ctmatch test_cli_crash test_index_growth >/dev/null
export CTMATCH_BIN="$PWD/build-long/cli/ctmatch" CTM_FIXTURES="$PWD/fixtures"

if [ -z "${FUZZ_ONLY:-}" ]; then
t0=$(date +%s)
CTM_CRASH_KILLS=$kills build-long/tests/test_cli_crash --jobs 1 >/tmp/ctm-long-crash.log 2>&1 ||
	{ tail -20 /tmp/ctm-long-crash.log; exit 1; }
echo "crash: $kills kills each of ingest and batch, resumed output identical; batch 2 and 4 threads on a 1 MiB map during an ingest: passed in $(( $(date +%s) - t0 )) s"

t0=$(date +%s)
i=0
while [ $i -lt 20 ]; do
	build-long/tests/test_index_growth --jobs 1 >/tmp/ctm-long-growth.log 2>&1 ||
		{ tail -20 /tmp/ctm-long-growth.log; exit 1; }
	i=$((i + 1))
done
echo "growth: 20 of 20 runs passed (2 and 4 reading threads) in $(( $(date +%s) - t0 )) s"
fi

if ! command -v clang >/dev/null; then
	echo "fuzz: skipped, no clang"
	exit 0
fi
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	-DCTM_FUZZ=ON -DCTM_SANITIZE=ON >/dev/null
targets=""
for src in tests/fuzz/fuzz_*.c; do targets="$targets $(basename "$src" .c)"; done
# shellcheck disable=SC2086
cmake --build build-fuzz -j2 --target $targets >/dev/null
findings=/tmp/ctm-long-findings
mkdir -p "$findings"
found=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	corpus=tests/fuzz/corpus/${name#fuzz_}
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
	if build-fuzz/tests/fuzz/"$name" "$work" -max_total_time="$fuzz_s" \
		-artifact_prefix="$findings/$name-" -print_final_stats=1 \
		>"/tmp/ctm-long-$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "/tmp/ctm-long-$name.log")
		echo "fuzz: $name $runs runs in $fuzz_s s, no finding"
	else
		found=1
		echo "fuzz: $name FOUND: $(grep -m1 -E 'runtime error|ERROR:' "/tmp/ctm-long-$name.log")"
	fi
	rm -rf "$work"
done
[ $found -eq 0 ] || { echo "long.sh: fuzz findings in $findings"; exit 1; }
echo "long.sh passed in $(( $(date +%s) - start )) s"
