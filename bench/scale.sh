#!/bin/sh
# The whole registry and a whole centre (issue 15; run by hand, not in CI).
#
# In one run, on N trial records made from the real ones and P generated
# patients (default 500,000 x 26,000, the issue's sizes):
#   1. writes the N records (../shared/tools/make-scale-corpus.py: each copy
#      of a real record gets a new id) and the P patients (gen_patients);
#   2. `xmllint --stream --noout` over the same files, then `ctmatch ingest`
#      of them (the map starts at $MAPSIZE, 64 MiB, so it grows under load);
#   3. `ctmatch batch` (on a copy of the index) over the P patients with 2 threads (its own anonymous
#      memory sampled from /proc), the same batch over P/10 patients, and over
#      the P patients on an index of the first N/5 records (100,000 of
#      500,000): batch's memory must grow with the trials, not the patients;
#   4. 20 whole `ctmatch match` commands (the median), and the same 20 on a
#      `ctmatch copy` of the index (compacted), with the copy's time;
#   5. `ctmatch ingest` again over the same, unchanged files;
#   6. `ctmatch reparse --all` when this build has it;
# and prints each figure with its peak memory, the index size and the ratios
# of the issue's table. Everything is written under WORK_DIR (a new folder
# in it, removed at the end, KEEP=1 to keep it); about 19 KB of records and
# 8 KB of index a trial (500,000: 9.5 GB and 4 GB, and the N/5 index).
#
# usage: bench/scale.sh [BUILD_DIR] [N_TRIALS] [N_PATIENTS] [WORK_DIR]
#   e.g. bench/scale.sh build 20000 1000      (a quick run)
# shellcheck disable=SC2046 # set -- $(...) splits the figures on purpose
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
nt=${2:-500000}
np=${3:-26000}
work=${4:-/work/scale-tmp}
ctm=$(cd "$(dirname "$build/cli/ctmatch")" && pwd)/ctmatch
shared=../shared
today=2026-11-26
threads=2
export CTM_INDEX_MAPSIZE=${MAPSIZE:-67108864}

for t in bc xmllint python3 /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "scale.sh: needs $t" >&2; exit 2; }
done
[ -x "$ctm" ] || { echo "scale.sh: no $ctm: build first" >&2; exit 2; }
[ -d "$shared/corpus/ctgov-xml" ] || { echo "scale.sh: $shared/corpus/ctgov-xml is absent" >&2; exit 2; }

mkdir -p "$work"
# disk: records, the index, the N/5 index (hard links share the records)
# (records 18 KB, index 7 KB and its batch copy 8 KB a trial, at 20,000)
need_kb=$((nt * 34 + nt / 5 * 8 + 1048576))
free_kb=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
if [ "$free_kb" -lt "$need_kb" ]; then
	printf 'scale.sh: %s has %.1f GiB free, this run needs about %.1f GiB\n' "$work" \
		"$(echo "$free_kb / 1048576" | bc -l)" "$(echo "$need_kb / 1048576" | bc -l)" >&2
	exit 3
fi
tmp=$(mktemp -d "$work/scale.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
echo "scale.sh: $nt trials x $np patients in $tmp ($(nproc) cores, $(date -u +%FT%TZ))"

num() { printf '%.2f' "$1"; }
mib() { echo "$1 / 1024" | bc -l | xargs printf '%.0f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
size_mib() { du -sk "$1" | awk '{printf "%.0f", $1 / 1024}'; }

# timed CMD... -> "wall_seconds peak_rss_kib" (GNU time), output to $tmp/out
timed() {
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" ||
		{ st=$?; [ "$st" -le 1 ] || { cat "$tmp/err" >&2; exit 1; }; }
	cat "$tmp/time"
}

# batch DB ROSTER -> "wall_seconds peak_rss_kib peak_anon_kib cpu_seconds"
# Peak RSS (VmHWM) counts the index pages mapped (file pages); the
# anonymous peak (RssAnon), sampled every 0.1 s, is batch's own memory.
# The CPU time (user + system of all its threads, from /proc/PID/stat at
# the last sample, so up to 0.1 s short) says what the batch needs when
# other work shares the cores.
batch() {
	s=$(date +%s.%N)
	"$ctm" batch --db "$1" --patients "$2" --threads "$threads" --today "$today" \
		--out "$tmp/batch.csv" 2>"$tmp/err" &
	pid=$!
	anon=0 hwm=0 ticks=0
	while grep -qs '^State:[[:space:]]*[^Z]' "/proc/$pid/status"; do
		set -- $(awk '/^RssAnon:/ {a = $2} /^VmHWM:/ {h = $2}
			END {print a + 0, h + 0}' "/proc/$pid/status" 2>/dev/null) 0 0
		[ "$1" -gt "$anon" ] && anon=$1
		[ "$2" -gt "$hwm" ] && hwm=$2
		t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
		[ "${t:-0}" -gt "$ticks" ] && ticks=$t
		sleep 0.1
	done
	st=0
	wait "$pid" || st=$?
	[ "$st" -le 1 ] || { cat "$tmp/err" >&2; exit 1; }
	e=$(date +%s.%N)
	echo "$(echo "$e - $s" | bc -l) $hwm $anon $(echo "$ticks / $(getconf CLK_TCK)" | bc -l)"
}

# ---- 1. the records and the patients ----
s=$(date +%s)
python3 "$shared/tools/make-scale-corpus.py" "$shared/corpus/ctgov-xml" "$tmp/trials" "$nt"
"$build/bench/gen_patients" "$np" "$tmp/patients.ndjson" >/dev/null
head -n $((np / 10 > 0 ? np / 10 : 1)) "$tmp/patients.ndjson" >"$tmp/p10.ndjson"
# the first N/5 records (ids NCT9000000 upward), as hard links
mkdir "$tmp/fifth"
find "$tmp/trials" -name '*.xml' | sort | head -n $((nt / 5)) >"$tmp/fifth.list"
xargs -a "$tmp/fifth.list" ln -t "$tmp/fifth"
corpus_mib=$(size_mib "$tmp/trials")
echo "  corpus: $nt records, $corpus_mib MiB, $(($(date +%s) - s)) s to write"

# ---- 2. xmllint, then ingest, over the same files ----
find "$tmp/trials" -name '*.xml' | sort >"$tmp/list"
# the page cache holds what it can; both sides read the files the same way
xargs cat <"$tmp/list" >/dev/null
set -- $(timed sh -c "xargs xmllint --stream --noout <'$tmp/list'")
x_wall=$1 x_kb=$2
set -- $(timed "$ctm" ingest --db "$tmp/idx.lmdb" "$tmp/trials")
i_wall=$1 i_kb=$2
tail -n 1 "$tmp/err" | sed 's/^/  /'
idx_mib=$(size_mib "$tmp/idx.lmdb")
"$ctm" ingest --db "$tmp/fifth.lmdb" "$tmp/fifth" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }

# ---- 3. batch: P patients, P/10 patients, P patients on N/5 trials ----
cp -r "$tmp/idx.lmdb" "$tmp/b.lmdb"
set -- $(batch "$tmp/b.lmdb" "$tmp/patients.ndjson")
b_wall=$1 b_rss=$2 b_anon=$3 b_cpu=$4
tail -n 1 "$tmp/err" | sed 's/^/  /'
b_rows=$(($(wc -l <"$tmp/batch.csv") - 1))
bidx_mib=$(size_mib "$tmp/b.lmdb")
rm -rf "$tmp/b.lmdb"
cp -r "$tmp/idx.lmdb" "$tmp/b.lmdb"
set -- $(batch "$tmp/b.lmdb" "$tmp/p10.ndjson")
b10_wall=$1 b10_anon=$3
rm -rf "$tmp/b.lmdb"
set -- $(batch "$tmp/fifth.lmdb" "$tmp/patients.ndjson")
bf_wall=$1 bf_anon=$3

# ---- 4. 20 whole match commands ----
mkdir "$tmp/one"
i=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	# spread over the roster: every (P/20)th patient
	sed -n "$(((i - 1) * (np / 20 > 0 ? np / 20 : 1) + 1))p" "$tmp/patients.ndjson" >"$tmp/one/$i.json"
done
"$ctm" match --db "$tmp/idx.lmdb" --patient "$tmp/one/1.json" --today "$today" >/dev/null 2>&1 || true
: >"$tmp/match.times"
m_kb=0
for f in "$tmp"/one/*.json; do
	set -- $(timed "$ctm" match --db "$tmp/idx.lmdb" --patient "$f" --today "$today" --format csv)
	echo "$1" >>"$tmp/match.times"
	[ "$2" -gt "$m_kb" ] && m_kb=$2
done
m_med=$(sort -n "$tmp/match.times" | awk '{v[NR] = $1} END {print (v[10] + v[11]) / 2}')
m_max=$(sort -n "$tmp/match.times" | tail -n 1)

# ---- 4b. the same 20 on a compacted copy (ctmatch copy), when this build has it:
# each database's pages in key order, so a lookup's candidates lie on
# neighbouring pages of the file ----
c_wall=
if "$ctm" --help 2>/dev/null | grep -q '^  copy '; then
	set -- $(timed "$ctm" copy --db "$tmp/idx.lmdb" --to "$tmp/s.lmdb")
	c_wall=$1
	"$ctm" match --db "$tmp/s.lmdb" --patient "$tmp/one/1.json" --today "$today" >/dev/null 2>&1 || true
	: >"$tmp/matchc.times"
	for f in "$tmp"/one/*.json; do
		set -- $(timed "$ctm" match --db "$tmp/s.lmdb" --patient "$f" --today "$today" --format csv)
		echo "$1" >>"$tmp/matchc.times"
	done
	mc_med=$(sort -n "$tmp/matchc.times" | awk '{v[NR] = $1} END {print (v[10] + v[11]) / 2}')
	mc_max=$(sort -n "$tmp/matchc.times" | tail -n 1)
	rm -rf "$tmp/s.lmdb"
fi

# ---- 5. ingest again, the same unchanged files ----
set -- $(timed "$ctm" ingest --db "$tmp/idx.lmdb" "$tmp/trials")
r_wall=$1 r_kb=$2
tail -n 1 "$tmp/err" | sed 's/^/  /'

# ---- 6. reparse, when this build has it ----
if "$ctm" --help 2>/dev/null | grep -q '^  reparse '; then
	# --all: every trial read again, not only stale ones (there are none)
	set -- $(timed "$ctm" reparse --all --db "$tmp/idx.lmdb")
	p_wall=$1 p_kb=$2
	tail -n 1 "$tmp/err" | sed 's/^/  /'
else
	p_wall=
fi

# ---- the figures ----
printf '\nscale: %s trials x %s patients, %s threads for batch\n' "$nt" "$np" "$threads"
printf '  %-44s %10s %12s  %s\n' figure value "peak memory" "against / target"
printf '  %-44s %8s s %8s MiB\n' "xmllint --stream --noout, $nt files" "$(num "$x_wall")" "$(mib "$x_kb")"
printf '  %-44s %8s s %8s MiB  %sx xmllint (<= 2.0)\n' "ingest of $nt records" "$(num "$i_wall")" \
	"$(mib "$i_kb")" "$(ratio "$i_wall" "$x_wall")"
printf '  %-44s %8s s %8s MiB  %sx xmllint (<= 1.2)\n' "re-ingest, same files unchanged" "$(num "$r_wall")" \
	"$(mib "$r_kb")" "$(ratio "$r_wall" "$x_wall")"
if [ -n "$p_wall" ]; then
	printf '  %-44s %8s s %8s MiB  %sx the first ingest (<= 1.0)\n' "reparse of $nt trials" \
		"$(num "$p_wall")" "$(mib "$p_kb")" "$(ratio "$p_wall" "$i_wall")"
else
	printf '  %-44s %10s\n' "reparse" "not available in this build"
fi
printf '  %-44s %8s s %8s MiB  anonymous; peak RSS %s MiB with mapped index pages (<= 300 s)\n' \
	"batch, $np patients x $nt trials" "$(num "$b_wall")" "$(mib "$b_anon")" "$(mib "$b_rss")"
printf '  %-44s %8s s  user + system, all threads (%s s on %s idle cores)\n' "batch's CPU time" \
	"$(num "$b_cpu")" "$(echo "$b_cpu / $threads" | bc -l | xargs printf '%.2f')" "$threads"
printf '  %-44s %8s s %8s MiB  anonymous\n' "batch, $((np / 10)) patients x $nt trials" \
	"$(num "$b10_wall")" "$(mib "$b10_anon")"
printf '  %-44s %8s s %8s MiB  anonymous; %sx the memory on %s trials (reported)\n' \
	"batch, $np patients x $((nt / 5)) trials" "$(num "$bf_wall")" "$(mib "$bf_anon")" \
	"$(ratio "$b_anon" "$bf_anon")" "$((nt / 5))"
printf '  %-44s %8s s %8s MiB  slowest %s s (<= 0.050 s)\n' "match, median of 20 whole commands" \
	"$(printf '%.3f' "$m_med")" "$(mib "$m_kb")" "$(printf '%.3f' "$m_max")"
if [ -n "$c_wall" ]; then
	printf '  %-44s %8s s  slowest %s s (<= 0.050 s); the copy took %s s\n' \
		"match on a ctmatch copy, median of 20" "$(printf '%.3f' "$mc_med")" \
		"$(printf '%.3f' "$mc_max")" "$(num "$c_wall")"
fi
printf '  %-44s %8s MiB, after the batch %s MiB (map started at %s MiB)\n' "index size" "$idx_mib" \
	"$bidx_mib" "$((CTM_INDEX_MAPSIZE / 1048576))"
printf '  %-44s %8s rows\n' "batch output" "$b_rows"
if [ "$nt" -ne 500000 ] || [ "$np" -ne 26000 ]; then
	# candidates grow with the trials, the work with the patients
	printf '  %-44s %8s s  (this wall time x %s/%s patients x 500000/%s trials)\n' \
		"estimate: batch, 26000 x 500000" \
		"$(echo "$b_wall * 26000 / $np * 500000 / $nt" | bc -l | xargs printf '%.0f')" \
		26000 "$np" "$nt"
	printf '  %-44s %8s s  (the same from the CPU time, on %s idle cores)\n' \
		"estimate: batch, 26000 x 500000" \
		"$(echo "$b_cpu / $threads * 26000 / $np * 500000 / $nt" | bc -l | xargs printf '%.0f')" \
		"$threads"
fi
printf '  %-44s %8s MiB\n' "records on disk" "$corpus_mib"
