#!/usr/bin/env bash
# Learning curve of a dataset (docs/nn.md, "Learning curve"): a run-disjoint test set (20 % of the MD
# runs), nested training subsets of the other runs, a 2-member ensemble per point trained with the
# shipped recipe (scripts/train-shipped-model.sh) but no test/calibration split of its own, each scored
# with `evaluate --all` on the common test set.
#
#   scripts/learning-curve.sh DATA.h5 WORKDIR SIZES [WIDTHS [HELDOUT.h5]]   e.g. ni-k.h5 lc 1000,2000,4000 600
#   (a size "pool" = every non-test sample; HELDOUT.h5: a dataset of other MD runs — other seed, other
#   temperatures and lattice parameters — on which every point is scored as well, and on which a model
#   trained on the whole dataset can be scored too)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: learning-curve.sh DATA.h5 WORKDIR SIZES [WIDTHS]}
work=${2:?WORKDIR}
sizes=${3:?SIZES}
widths=${4:-600}
heldout=${5:-}
mkdir -p "$work"
numeric=$(echo "$sizes" | tr ',' '\n' | { grep -v pool || true; } | paste -sd, -)
[ -f "$work/test.h5" ] || node scripts/dataset-subset.mjs "$data" "$work" --test 0.2 --sizes "$numeric" --seed 7
for w in ${widths//,/ }; do
  for n in ${sizes//,/ }; do
    if [ "$n" = pool ]; then train="$work/pool.h5"; else train="$work/train-$n.h5"; fi
    out="$work/m-$n-w$w"
    [ -f "$work/eval-$n-w$w.json" ] && continue
    start=$(date +%s)
    node dist/src/cli/main.js train "$train" --out "$out" --members 2 --folds 5 --test-fraction 0 \
      --calibration-fraction 0 --hidden "${w}x4" --epochs 200 --patience 25 --lr 3e-4 --batch 64 \
      --kmin 4 --kmax 14 --workers 2 --aug-s02 0.6:1.2 --weight-s02 0.1 --aug-de 7.5 --aug-noise 0.001 \
      --seed 2021 2> "$work/train-$n-w$w.log"
    echo "size $n width $w: trained in $(( $(date +%s) - start )) s" >> "$work/times.txt"
    node dist/src/cli/main.js evaluate "$out" "$work/test.h5" --all --json \
      > "$work/eval-$n-w$w.json.tmp" && mv "$work/eval-$n-w$w.json.tmp" "$work/eval-$n-w$w.json"
    if [ -n "$heldout" ]; then
      node dist/src/cli/main.js evaluate "$out" "$heldout" --all --json > "$work/heldout-$n-w$w.json.tmp" &&
        mv "$work/heldout-$n-w$w.json.tmp" "$work/heldout-$n-w$w.json"
    fi
  done
done
