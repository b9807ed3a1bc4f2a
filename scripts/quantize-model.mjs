#!/usr/bin/env node
// Re-store a trained model's weights as float16/uint16/uint8 (tfjs manifest quantization) and measure
// what that changes: for each measured spectrum given and for the model's test split of its dataset,
// the change of g(r), R1 and CN against the quantized model's own σ (the limit: < 10 % of σ).
//
//   node scripts/quantize-model.mjs SRC_DIR DST_DIR DTYPE [--dataset DATA.h5] [SPECTRUM ...]
//
// Prints one JSON document on stdout (sizes, per-spectrum and test-set changes in units of σ).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelDir, saveModelDir, loadEnsemble, predictChi } from '../dist/src/nn/index.js';
import { readDataset } from '../dist/src/dataset/index.js';
import { processSpectrumFile } from '../dist/src/xas/node-io.js';

const args = process.argv.slice(2);
const di = args.indexOf('--dataset');
const dataset = di >= 0 ? args.splice(di, 2)[1] : null;
const [src, dst, dtype, ...spectra] = args;
if (!src || !dst || !['float16', 'uint16', 'uint8', 'float32'].includes(dtype)) {
  console.error('usage: quantize-model.mjs SRC_DIR DST_DIR float16|uint16|uint8 [--dataset DATA.h5] [SPECTRUM ...]');
  process.exit(2);
}
const m = loadModelDir(src);
if (m.meta.weights.dtype !== 'float32') console.error(`note: ${src} is stored as ${m.meta.weights.dtype}, not float32`);
saveModelDir(dst, { ...m.meta, weights: { dtype } }, m.params);

const bytes = (d) =>
  readdirSync(d).reduce((s, f) => {
    const p = join(d, f);
    return s + (statSync(p).isDirectory() ? bytes(p) : statSync(p).size);
  }, 0);
const a = loadEnsemble(src);
const b = loadEnsemble(dst);

/** change of the prediction from a → b in units of b's σ: max over r of |Δg|/σ_g, and R1, CN */
function change(k, chi) {
  const p = predictChi(a, k, chi);
  const q = predictChi(b, k, chi);
  let g = 0;
  let gRel = 0;
  for (let i = 0; i < q.g.length; i++) {
    const d = Math.abs(p.g[i] - q.g[i]);
    g = Math.max(g, d);
    if (q.g_std[i] > 0) gRel = Math.max(gRel, d / q.g_std[i]);
  }
  const fp = p.first_shell;
  const fq = q.first_shell;
  return {
    g_max_abs: g,
    g_max_over_sigma: gRel,
    r1: Math.abs(fp.r - fq.r),
    r1_over_sigma: Math.abs(fp.r - fq.r) / fq.r_std,
    cn: Math.abs(fp.cn - fq.cn),
    cn_over_sigma: Math.abs(fp.cn - fq.cn) / fq.cn_std,
  };
}

const out = { src, dst, dtype, bytes_src: bytes(src), bytes_dst: bytes(dst), spectra: {}, test: null };
for (const f of spectra) {
  const pr = processSpectrumFile(f, {});
  out.spectra[f] = change(pr.k, pr.chi);
}
if (dataset) {
  const d = await readDataset(dataset);
  const nk = d.k.length;
  const idx = m.meta.split.test.slice(0, 200);
  const worst = { g_max_over_sigma: 0, r1_over_sigma: 0, cn_over_sigma: 0 };
  const mean = { g_max_over_sigma: 0, r1_over_sigma: 0, cn_over_sigma: 0 };
  for (const i of idx) {
    const c = change(d.k, d.chi.subarray(i * nk, (i + 1) * nk));
    for (const key of Object.keys(worst)) {
      if (Number.isFinite(c[key])) {
        worst[key] = Math.max(worst[key], c[key]);
        mean[key] += c[key] / idx.length;
      }
    }
  }
  out.test = { n: idx.length, mean, worst };
}
console.log(JSON.stringify(out, null, 1));
