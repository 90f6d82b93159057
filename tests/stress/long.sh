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
# Prints one line of figures per step; exits non-zero on the first failure.
set -eu
cd "$(dirname "$0")/../.."
kills=${1:-50}
fuzz_s=${2:-300}
start=$(date +%s)

cmake -S . -B build-long -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCTM_WERROR=ON -DCTM_TESTS=ON >/dev/null
cmake --build build-long -j2 --target ctmatch test_cli_crash test_index_growth >/dev/null
export CTMATCH_BIN="$PWD/build-long/cli/ctmatch" CTM_FIXTURES="$PWD/fixtures"

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

if ! command -v clang >/dev/null; then
	echo "fuzz: skipped, no clang"
	exit 0
fi
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	-DCTM_FUZZ=ON -DCTM_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j2 >/dev/null
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	corpus=tests/fuzz/corpus/${name#fuzz_}
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
	build-fuzz/tests/fuzz/"$name" "$work" -max_total_time="$fuzz_s" \
		-print_final_stats=1 >"/tmp/ctm-long-$name.log" 2>&1 ||
		{ tail -30 "/tmp/ctm-long-$name.log"; exit 1; }
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "/tmp/ctm-long-$name.log")
	echo "fuzz: $name $runs runs in $fuzz_s s, no finding"
	rm -rf "$work"
done
echo "long.sh passed in $(( $(date +%s) - start )) s"
