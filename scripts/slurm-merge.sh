#!/bin/bash
# Merge the shards written by scripts/slurm-dataset.sh into one dataset, then check it.
#   sbatch --dependency=afterok:<ARRAY_JOBID> scripts/slurm-merge.sh OUTDIR N [FINAL.h5]
#SBATCH --job-name=exafsnn-merge
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=exafsnn-merge-%j.log
set -euo pipefail
OUTDIR=${1:?usage: scripts/slurm-merge.sh OUTDIR N [FINAL.h5]}
N=${2:?usage: scripts/slurm-merge.sh OUTDIR N [FINAL.h5]}
FINAL=${3:-$OUTDIR/dataset.h5}
EXAFSNN=${EXAFSNN:-exafsnn}
FILES=()
for ((i = 1; i <= N; i++)); do
  f="$OUTDIR/shard-$(printf '%04d' "$i")-of-$(printf '%04d' "$N").h5"
  if [ ! -f "$f" ] || [ -f "$f.partial" ]; then
    echo "shard $i/$N is missing or unfinished ($f); resubmit it: sbatch --array=$i ..." >&2
    exit 1
  fi
  FILES+=("$f")
done
$EXAFSNN dataset merge "${FILES[@]}" --out "$FINAL"
$EXAFSNN dataset info "$FINAL"
