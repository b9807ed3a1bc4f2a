#!/bin/bash
# Generate one shard of an exafsnn dataset as one task of a Slurm job array.
# Submit (16 shards, at most 8 running at once):
#   sbatch --array=1-16%8 scripts/slurm-dataset.sh paper OUTDIR 16
# then, when all have finished:
#   sbatch --dependency=afterok:<JOBID> scripts/slurm-merge.sh OUTDIR 16
# SPEC is a preset name (quick, paper) or a spec file (JSON/YAML); N is the number of shards (give
# it explicitly: resubmitting one shard with --array=5 must still mean "shard 5 of 16"). Each array
# task runs shard $SLURM_ARRAY_TASK_ID of N with one worker per allocated core; a task that is
# preempted, times out or fails is simply resubmitted: --resume continues from its journal.
#
# Engine: by default the spec's (the paper preset: builtin). For LAMMPS as the engine, write a spec
# with `engine: lammps` (see docs/cluster.md); with `lammps: {mpi: N}` every MD run is
# `mpirun -np N lmp`, so give each array task N × workers cores.
#SBATCH --job-name=exafsnn-ds
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=32
#SBATCH --mem-per-cpu=1G
#SBATCH --time=04:00:00
#SBATCH --output=exafsnn-ds-%A_%a.log
#SBATCH --requeue
set -euo pipefail

USAGE="usage: sbatch --array=1-N scripts/slurm-dataset.sh SPEC OUTDIR N [WORKERS]"
SPEC=${1:?$USAGE}
OUTDIR=${2:?$USAGE}
N=${3:?$USAGE}
I=${SLURM_ARRAY_TASK_ID:?not running inside a Slurm job array}
WORKERS=${4:-${SLURM_CPUS_PER_TASK:-1}}
EXAFSNN=${EXAFSNN:-exafsnn}          # or: node /path/to/exafsnn/dist/src/cli/main.js

mkdir -p "$OUTDIR"
OUT="$OUTDIR/shard-$(printf '%04d' "$I")-of-$(printf '%04d' "$N").h5"
if [ -f "$OUT" ] && [ ! -f "$OUT.partial" ]; then
  echo "shard $I/$N already complete: $OUT"
  exit 0
fi
if [ -f "$SPEC" ]; then SRC=(--spec "$SPEC"); else SRC=(--preset "$SPEC"); fi
# one OpenMP thread per process: the parallelism is in the workers (and MPI ranks, if any)
export OMP_NUM_THREADS=1
exec $EXAFSNN dataset generate "${SRC[@]}" --shard "$I/$N" --workers "$WORKERS" --out "$OUT" --resume
