// Element difference of the shipped Ni model: thermally displaced (σ = 0.06 Å) Ni, Cu, Co and Fe lattices,
// χ(k) from each element's own γ tables and from the Ni tables (S0² = 0.85), predicted with data/models/ni-k.
// Run after `npm run build`: node scripts/element-difference.mjs
import { buildLattice, repsForAtoms } from '../dist/src/structure/index.js';
import { computeChi, loadTables } from '../dist/src/exafs/index.js';
import { loadEnsemble, predictChi, firstShell } from '../dist/src/nn/index.js';
import { radialDistribution } from '../dist/src/analysis/index.js';
import { kGrid } from '../dist/src/exafs/kgrid.js';
import { Rng } from '../dist/src/util/rng.js';
const ens = loadEnsemble(new URL('../data/models/ni-k', import.meta.url).pathname);
const k = kGrid(0, 16, 0.05);
const cases = [['Ni','fcc',3.524],['Cu','fcc',3.615],['Co','hcp',2.507],['Fe','bcc',2.866]];
for (const [el, st, a] of cases) {
  const reps = repsForAtoms(st, 800);
  const conf = buildLattice(st, a, 0, { reps });
  const rng = new Rng(5);
  for (let i = 0; i < conf.positions.length; i++) conf.positions[i] += 0.06 * rng.normal();
  const own = computeChi(conf, loadTables(el,'K'), { kGrid: k, s02: 0.85 });
  const ni = computeChi(conf, loadTables('Ni','K'), { kGrid: k, s02: 0.85 });
  const po = predictChi(ens, k, own.chi), pn = predictChi(ens, k, ni.chi);
  const rdf = radialDistribution(conf, {rmax: 6, dr: 0.01});
  const fs = firstShell(rdf.r, rdf.g, rdf.density);
  console.log(el, st, 'true R1', fs.r.toFixed(3), 'CN', fs.cn.toFixed(2), '| own-element χ → R1', po.first_shell.r.toFixed(3), '±', po.first_shell.r_std.toFixed(3), 'CN', po.first_shell.cn.toFixed(2), '| Ni-table χ → R1', pn.first_shell.r.toFixed(3), 'CN', pn.first_shell.cn.toFixed(2));
}
