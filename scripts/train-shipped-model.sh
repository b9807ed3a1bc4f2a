#!/usr/bin/env bash
# Rebuild a shipped K-edge ensemble (data/models/<el>-k) from a clean checkout, exactly as it was made:
#
#   scripts/train-shipped-model.sh ni|cu|co|fe [WORKDIR]     (after `npm ci && npm run build`)
#
# 1. Dataset: scripts/specs/<el>-k.json — the element's own sweep (ZJW 2004 EAM, builtin engine, the
#    element's FEFF 8.5 γ tables): ground-state crystal and its neighbours from 10 K, lattice
#    a0 + i × 0.02 Å (i ∈ {−10, −5, 0, 5, 10}; Ni: every second step of ±10), liquid and undercooled melt
#    around the potential's melting point, 256–384-atom crystal boxes (the smallest that keep g(r) to
#    6 Å; Ni liquids 864 atoms, so the 1551 share of one snapshot is a property of the melt, not of the
#    box: docs/local-order.md), 10 snapshots 100 steps apart per MD run, ΔE ∈ [−5, 10] eV.
#    Resumable (--resume): rerun the script after an interruption.
# 2. Training (docs/nn.md, "Shipped models"): 5 members of 4 × 600 ReLU units, input k²χ on
#    4–14 Å⁻¹ (below 4 Å⁻¹ measured spectra differ most from the γ(2)+γ(3) theory: docs/nn.md,
#    "Amplitudes"), S0² augmentation 0.6–1.2 with an S0² head, extra ΔE draws ±7.5 eV, χ noise 0.001,
#    10 % of the samples held out to calibrate σ; float32, then stored as float16 (scripts/quantize-model.mjs
#    measures what that changes).
# 3. Evaluation on the test split (per head and class, calibration) and predictions of the LISA foil.
set -euo pipefail
cd "$(dirname "$0")/.."
el=${1:?usage: scripts/train-shipped-model.sh ni|cu|co|fe [WORKDIR]}
el=$(echo "$el" | tr 'A-Z' 'a-z')
spec=scripts/specs/$el-k.json
[ -f "$spec" ] || { echo "no spec $spec" >&2; exit 2; }
work=${2:-work-$el-k}
mkdir -p "$work"
data="$work/$el-k.h5"
# SHARDS=i,j of PARTS (default all): make only those shards (round-robin over MD runs, so shard 1 of 2 is
# every other run of the sweep: a uniform half) and merge them; the shipped models say which they used.
PARTS=${PARTS:-1}
SHARDS=${SHARDS:-$(seq -s, 1 "$PARTS")}
if [ ! -f "$data" ]; then
  files=()
  for s in ${SHARDS//,/ }; do
    [ -f "$work/$el-k-s$s.h5" ] ||
      node dist/src/cli/main.js dataset generate --spec "$spec" --shard "$s/$PARTS" --out "$work/$el-k-s$s.h5" --workers 2 --resume
    files+=("$work/$el-k-s$s.h5")
  done
  node dist/src/cli/main.js dataset merge "${files[@]}" --out "$data" --allow-incomplete
fi
node dist/src/cli/main.js dataset info "$data" > "$work/dataset-info.txt" || true
node dist/src/cli/main.js train "$data" --out "$work/model-f32" --hidden 600x4 --epochs 200 --patience 25 \
  --lr 3e-4 --batch 64 --kmin 4 --kmax 14 --workers 2 --aug-s02 0.6:1.2 --weight-s02 0.1 --aug-de 7.5 \
  --aug-noise 0.001 --seed 2021
node scripts/quantize-model.mjs "$work/model-f32" "data/models/$el-k" float16 --dataset "$data" \
  test/fixtures/xas/*.xdi > "$work/quantization.json"
node dist/src/cli/main.js evaluate "data/models/$el-k" "$data" --report "$work/evaluation" --json > "$work/evaluation.json"
cp "$spec" "data/models/$el-k/dataset-spec.json"
El=$(echo "${el:0:1}" | tr 'a-z' 'A-Z')${el:1}
foil=$(ls test/fixtures/xas/${El}_foil_LISA*.xdi | head -1)
node dist/src/cli/main.js predict "$foil" --model "data/models/$el-k" --json --out "$work/foil-report" > "$work/foil.json"
node scripts/model-readme.mjs "$el" "$work"
# 4. Model-form term (scripts/calibrate-shipped-model.sh): when scripts/<el>-modelform-spec.json exists,
#    recalibrate σ with the error measured on another potential's configurations (calibration split,
#    plus half the test split when the split is < 200 spectra), re-evaluate, rewrite the README.
scripts/calibrate-shipped-model.sh "$el" "$work"
