#!/usr/bin/env node
// Write data/models/<el>-k/README.md from what scripts/train-shipped-model.sh measured: the dataset
// (spec, counts), the training settings (model.json), test-set MSE per head and structure class and the
// calibration (evaluate --json), the quantization change (quantize-model.mjs) and the LISA foil result
// (predict --json). Every number comes from those files; nothing is typed in by hand.
//
//   node scripts/model-readme.mjs EL WORKDIR
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [elArg, work, dirArg] = process.argv.slice(2);
if (!elArg || !work) {
  console.error('usage: model-readme.mjs EL WORKDIR');
  process.exit(2);
}
const el = elArg.toLowerCase();
const El = el[0].toUpperCase() + el.slice(1);
const dir = dirArg ?? `data/models/${el}-k`;
const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const spec = JSON.parse(readFileSync(`scripts/specs/${el}-k.json`, 'utf8'));
const ev = JSON.parse(readFileSync(join(work, 'evaluation.json'), 'utf8'));
const q = JSON.parse(readFileSync(join(work, 'quantization.json'), 'utf8'));
const foil = JSON.parse(readFileSync(join(work, 'foil.json'), 'utf8'));
const info = (() => {
  try {
    return readFileSync(join(work, 'dataset-info.txt'), 'utf8');
  } catch {
    return '';
  }
})();
const e = (x, d = 2) => (Number.isFinite(x) ? x.toExponential(d) : '–');
const f = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const size = (d) =>
  readdirSync(d).reduce((s, n) => {
    const p = join(d, n);
    return s + (statSync(p).isDirectory() ? size(p) : statSync(p).size);
  }, 0);

const t = meta.training;
const aug = t.augmentation ?? {};
const heads = meta.architecture.heads.map((h) => h.name);
const lines = [];
lines.push(`# ${el}-k: the shipped ${El} K-edge ensemble`, '');
const parts = process.env.PARTS ?? '1';
const shards = process.env.SHARDS ?? '';
const envs = parts !== '1' ? `PARTS=${parts} SHARDS=${shards || '1'} ` : '';
lines.push(
  `Made by \`${envs}scripts/train-shipped-model.sh ${el}\` (${meta.created.slice(0, 10)}, ${meta.generator}) on the 2-core development machine;`,
  'the script rebuilds it from a clean checkout (dataset, training, quantization, evaluation).' +
    (envs
      ? ` Only shard(s) ${shards || '1'} of ${parts} of the spec's MD runs were made (round-robin: a uniform subset of the sweep), because the shared machine was loaded; \`PARTS=1\` makes the whole sweep.`
      : ''),
  '',
);
lines.push('## Dataset', '');
lines.push(
  `\`dataset-spec.json\` (= \`scripts/specs/${el}-k.json\`, name \`${spec.name}\`, seed ${spec.seed}), ZJW 2004 EAM (${spec.engine} engine), ` +
    `χ(k) = χ2 + χ3 from \`data/tables/${El}-K.gamma\` (FEFF 8.5), ΔE uniform in [${spec.dE.min}, ${spec.dE.max}] eV, ` +
    `${spec.md.snapshots} snapshots ${spec.md.interval} steps (${(spec.md.interval * spec.md.dt).toFixed(1)} ps) apart per MD run:`,
  '',
);
lines.push('| class | T (K) | lattice a0 (Å), a0 + i·0.02 Å | cells |', '|---|---|---|---|');
for (const s of spec.structures) {
  const T = s.temperature;
  lines.push(
    `| ${s.structure} | ${T.from}–${T.to} every ${T.step} | ${s.lattice.a0}, i = ${s.lattice.i.join(', ')} | ${JSON.stringify(s.cells)} |`,
  );
}
lines.push('', `${meta.dataset.n} samples in the file (\`dataset info\` in the work folder:`, '');
lines.push('```', info.trim().split('\n').slice(0, 14).join('\n'), '```', '');
lines.push('## Networks', '');
lines.push(
  `${meta.members.length} members, input k^${meta.kweight}·χ(k) on ${meta.k[0]}–${meta.k[meta.k.length - 1]} Å⁻¹ (${meta.k.length} points), ` +
    `hidden ${meta.architecture.hidden.join('×')} ReLU, heads ${heads.join(', ')}; Adam lr ${t.optimizer.lr}, batch ${t.batch}, ` +
    `≤ ${t.epochs} epochs, patience ${t.patience}; augmentation: S0² ∈ [${aug.s02?.join(', ') ?? '–'}], extra ΔE ±${aug.dE} eV, ` +
    `χ noise σ = ${aug.noise}; split: ${meta.split.test.length} test samples, ${meta.split.calibration?.length ?? 0} calibration samples; ` +
    `training took ${Math.round(t.seconds)} s. Weights stored as ${meta.weights.dtype}: ${(size(dir) / 1e6).toFixed(1)} MB.`,
  '',
);
lines.push('## Test set (samples no member trained on)', '');
lines.push('| head | MSE | baseline (training mean) |', '|---|---|---|');
for (const h of ev.heads) lines.push(`| ${h.name} | ${e(h.mse)} | ${e(h.baseline_mse)} |`);
if (heads.includes('s02'))
  lines.push(
    '',
    "s02: test spectra are unaugmented theory (S0² = the dataset's 1), so its MSE is the mean (predicted S0² − 1)² and its baseline 0.",
  );
lines.push('', '| class | n | MSE g(r) | MSE N(θ) | MSE ρ |', '|---|---|---|---|---|');
for (const c of ev.classes) lines.push(`| ${c.name} | ${c.n} | ${e(c.mse.g)} | ${e(c.mse.bad)} | ${e(c.mse.density)} |`);
const fs = ev.first_shell ?? {};
lines.push(
  '',
  `First shell against the dataset's own g(r) and ρ: mean |ΔCN| = ${f(fs.cn_mae, 2)}, mean |ΔR1| = ${f(fs.r_mae, 4)} Å, ` +
    `|ΔCN| within ±1σ for ${f(100 * fs.cn_within_1sigma, 0)} % (n = ${fs.n}).`,
  '',
);
lines.push('## Calibration of σ', '');
lines.push(`${ev.uncertainty?.sigma ?? ''}`, '', '| quantity | n | within ±1σ / ±2σ before | after |', '|---|---|---|---|');
for (const c of ev.coverage ?? [])
  lines.push(
    `| ${c.quantity} | ${c.n} | ${f(100 * c.before[0], 0)} % / ${f(100 * c.before[1], 0)} % | ${f(100 * c.after[0], 0)} % / ${f(100 * c.after[1], 0)} % |`,
  );
lines.push('', '(a Gaussian: 68 % / 95 %)', '');
lines.push('## Quantization', '');
lines.push(
  `float32 ${(q.bytes_src / 1e6).toFixed(1)} MB → ${q.dtype} ${(q.bytes_dst / 1e6).toFixed(1)} MB. Change of the prediction in units of the stored model's σ ` +
    `(\`scripts/quantize-model.mjs\`), on ${q.test?.n ?? 0} test spectra: mean max|Δg|/σ ${f(q.test?.mean.g_max_over_sigma)}, ` +
    `|ΔR1|/σ ${f(q.test?.mean.r1_over_sigma)}, |ΔCN|/σ ${f(q.test?.mean.cn_over_sigma)} (worst ${f(q.test?.worst.g_max_over_sigma)}, ` +
    `${f(q.test?.worst.r1_over_sigma)}, ${f(q.test?.worst.cn_over_sigma)}); on the LISA foils:`,
  '',
  '| spectrum | max|Δg|/σ | |ΔR1|/σ | |ΔCN|/σ |',
  '|---|---|---|---|',
);
for (const [file, c] of Object.entries(q.spectra))
  lines.push(`| ${file.split('/').pop()} | ${f(c.g_max_over_sigma)} | ${f(c.r1_over_sigma)} | ${f(c.cn_over_sigma)} |`);
lines.push('', '## Measured foil', '');
const fsh = foil.first_shell;
const comb = fsh.combined;
lines.push(
  `\`exafsnn predict ${foil.file.replace(/^.*test\//, 'test/')} --model ${dir} --json\`:`,
  '',
  `- R1 = ${f(fsh.r, 4)} ± ${f(fsh.r_std, 4)} Å, CN = ${f(fsh.cn, 2)} ± ${f(fsh.cn_std, 2)}` +
    (comb ? `; combined shell (to ${f(comb.r_upper, 2)} Å): R1 = ${f(comb.r, 4)} ± ${f(comb.r_std, 4)} Å, CN = ${f(comb.cn, 2)} ± ${f(comb.cn_std, 2)}` : ''),
  `- S0² from the network: ${foil.s02 ? `${f(foil.s02.mean)} ± ${f(foil.s02.std)}` : '–'}; forward check: R-factor ${f(foil.resimulated?.r_factor, 4)} ` +
    `(χ(R) over R ${f(foil.resimulated?.r_range?.[0], 2)}–${f(foil.resimulated?.r_range?.[1], 2)} Å; on k-weighted χ(k) over all shells ${f(foil.resimulated?.r_factor_k)}), ` +
    `fitted S0² ${f(foil.resimulated?.s02)}, ΔE ${f(foil.resimulated?.dE, 2)} eV`,
  '',
);
writeFileSync(join(dir, 'README.md'), lines.join('\n') + '\n');
console.log(`wrote ${join(dir, 'README.md')}`);
