#!/bin/sh
# One shard of the nightly batch as a task of a Slurm job array
# (README.md, "Beyond one machine"). Submit it from the coordinator after
# the night's ingest into the main index, with the same TODAY for every
# shard (a night that crosses midnight stays one night):
#
#   export CTM_HOME=/shared/ctmatch TODAY=$(date -u +%F)
#   jid=$(sbatch --parsable --array=1-8 docs/slurm-batch.sh)
#   sbatch --dependency=afterany:$jid docs/merge-night.sh
#
# (afterany: a shard that exits 1, because some profiles were rejected or
# had warnings, still finished its run.) The array is numbered from 1.
# Each task copies the main index to the node's own disk, matches its
# shard there (K = SLURM_ARRAY_TASK_ID of N = SLURM_ARRAY_TASK_COUNT), and
# leaves its copy, which now holds the shard's run, in $CTM_HOME/night/
# for `ctmatch import-run`. The main index is only read.
#
#SBATCH --job-name=ctmatch-batch
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=ctmatch-batch-%a.log
set -eu

: "${CTM_HOME:?set CTM_HOME to the shared directory holding trials.lmdb and roster.csv}"
: "${TODAY:?set TODAY=YYYY-MM-DD once for the whole array}"
k=$SLURM_ARRAY_TASK_ID
n=${SHARDS:-$SLURM_ARRAY_TASK_COUNT}
if [ "$k" -lt 1 ] || [ "$k" -gt "$n" ]; then
	echo "slurm-batch.sh: task $k is not a shard of 1..$n: submit with --array=1-N" >&2
	exit 2
fi
scratch=${TMPDIR:-/tmp}/ctmatch-$SLURM_ARRAY_JOB_ID-$k
night=$CTM_HOME/night

umask 077 # the copies and the output hold patient data
mkdir -p "$night" "$scratch"
trap 'rm -rf "$scratch"' EXIT
rm -rf "$night/shard-$k.lmdb" "$scratch/trials.lmdb"
cp -r "$CTM_HOME/trials.lmdb" "$scratch/trials.lmdb"

# exit 1 (some profiles rejected or with warnings) still finishes the run
st=0
ctmatch batch --db "$scratch/trials.lmdb" --patients "$CTM_HOME/roster.csv" \
	--shard "$k/$n" --today "$TODAY" --threads "${SLURM_CPUS_PER_TASK:-2}" \
	--out "$night/matches-$k.csv" || st=$?
[ "$st" -le 1 ] || exit "$st"

# the copy with this shard's run, for the coordinator's import-run
cp -r "$scratch/trials.lmdb" "$night/shard-$k.lmdb.tmp"
mv "$night/shard-$k.lmdb.tmp" "$night/shard-$k.lmdb"
exit "$st"
