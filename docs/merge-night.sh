#!/bin/sh
# The coordinator's step after the shards (docs/slurm-batch.sh or
# docs/k8s-batch-job.yaml; README.md, "Beyond one machine"): brings every
# shard's run into the main index, then writes the night's CSV and the
# morning report from it. As a Slurm job after the array:
#
#   sbatch --dependency=afterany:$jid docs/merge-night.sh
#
# or on any machine that mounts $CTM_HOME: CTM_HOME=/data sh docs/merge-night.sh
#
#SBATCH --job-name=ctmatch-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=00:30:00
#SBATCH --output=ctmatch-merge.log
set -eu

: "${CTM_HOME:?set CTM_HOME to the shared directory holding trials.lmdb}"
night=$CTM_HOME/night
day=${TODAY:-$(date -u +%F)}

umask 077
# each copy's newest finished run; one already imported is skipped
ctmatch import-run --db "$CTM_HOME/trials.lmdb" "$night"/shard-*.lmdb
# every shard's lists of the night, as one unsharded run gives them; a
# missing shard is named on stderr and the exit status is 1
st=0
ctmatch export --db "$CTM_HOME/trials.lmdb" >"$CTM_HOME/matches-$day.csv" || st=$?
ctmatch report --db "$CTM_HOME/trials.lmdb" --out "$CTM_HOME/morning-$day.html" || st=$?
# the copies are in the main index now
[ "$st" -ne 0 ] || rm -rf "$night"/shard-*.lmdb
exit "$st"
