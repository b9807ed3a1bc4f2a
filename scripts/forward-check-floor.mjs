#!/usr/bin/env node
// The forward check's floor: re-simulate TRUE dataset samples (their own g(r), ρ, N(θ)) against their own χ(k)
// (R-space R-factor over forwardCheckRWindow of the sample's R1, and the k-space one).
//   node scripts/forward-check-floor.mjs DATA.h5 EL CLASS [ROW ...]   (default: up to 6 samples of CLASS at 250–400 K)
import { readDataset } from '/work/main/dist/src/dataset/index.js';
import { forwardCheck, forwardCheckRWindow } from '/work/main/dist/src/exafs/resimulate.js';
import { loadTables } from '/work/main/dist/src/theory/table.js';
import { firstShell } from '/work/main/dist/src/analysis/firstShell.js';
const [h5, el, want, ...rows] = process.argv.slice(2);
const d = await readDataset(h5); const tables = loadTables(el, 'K');
const nk = d.k.length, nr = d.r.length, nt = d.theta.length;
let idx = rows.map(Number);
if (!idx.length) idx = d.meta.structure.map((s, i) => [s, i]).filter(([s, i]) => s === want && d.meta.temperature[i] >= 250 && d.meta.temperature[i] <= 400).map(([, i]) => i).slice(0, 6);
for (const i of idx) {
  const g = Float64Array.from(d.gr.subarray(i * nr, (i + 1) * nr)); const bad = Float64Array.from(d.bad.subarray(i * nt, (i + 1) * nt));
  const fs = firstShell(d.r, g, { density: d.meta.density[i] });
  const chi = Array.from(d.chi.subarray(i * nk, (i + 1) * nk));
  const fc = forwardCheck({ r: d.r, g, density: d.meta.density[i], theta: d.theta, bad, shell: { from: fs.r_lower, to: fs.cutoff } }, tables, d.k, chi, { kweight: 2, kmin: 4, kmax: 14, rRange: forwardCheckRWindow(fs.r1, d.r[d.r.length - 1]) });
  console.log(`row ${i} ${d.meta.structure[i]} T ${d.meta.temperature[i]} a ${d.meta.lattice[i]}: cutoff ${fs.cutoff} R-factor ${fc.r_factor.toFixed(4)} (R ${fc.r_range.map((x) => x.toFixed(2)).join('–')} Å; k-space ${fc.r_factor_k.toFixed(3)}) s02 ${fc.s02.toFixed(3)} dE ${fc.dE.toFixed(2)} (true dE ${d.meta.dE[i].toFixed(2)})`);
}
