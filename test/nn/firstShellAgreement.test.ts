// predict (combine: per member and for the mean g(r)) and analyze use the same first-shell
// definition: on the same g(r) they give the same R1 and CN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readConfigurations } from '../../src/structure/index.js';
import { analyzeTrajectory } from '../../src/analysis/index.js';
import { combine, type EnsembleShape } from '../../src/nn/combine.js';
import { Rng } from '../../src/util/rng.js';

const FIX = join(process.cwd(), 'test', 'analysis', 'fixtures');

function fakeEnsemble(r: Float64Array, theta: Float64Array): EnsembleShape {
  const nOut = r.length + theta.length + 1;
  return {
    arch: {
      nIn: 1,
      hidden: [],
      heads: [
        { name: 'g', size: r.length, weight: 1 },
        { name: 'bad', size: theta.length, weight: 1 },
        { name: 'density', size: 1, weight: 1 },
      ],
    },
    r,
    theta,
    members: [0, 1, 2, 3].map(() => ({
      norm: { x_mean: [0], x_std: [1], y_mean: new Array(nOut).fill(0), y_scale: [1, 1, 1] },
    })),
  };
}

function output(g: ArrayLike<number>, bad: ArrayLike<number>, rho: number): Float32Array {
  const y = new Float32Array(g.length + bad.length + 1);
  y.set(Array.from(g), 0);
  y.set(Array.from(bad), g.length);
  y[g.length + bad.length] = rho;
  return y;
}

const frames = await readConfigurations(join(FIX, 'ni-liquid-2000K.dump'));

test('analyze and predict give the same first shell on the same g(r) (liquid Ni from LAMMPS)', async () => {
  const res = await analyzeTrajectory(() => frames, {
    rmax: 6,
    dr: 0.01,
  });
  const ens = fakeEnsemble(res.r, res.theta);
  const y = output(res.g, res.bad, res.density);
  const p = combine(ens, [y, y, y, y], 0);
  assert.ok(Math.abs(p.first_shell.r - res.r1!) < 1e-5, `R1 predict ${p.first_shell.r} vs analyze ${res.r1}`);
  assert.ok(Math.abs(p.first_shell.cn - res.cn) < 1e-4, `CN predict ${p.first_shell.cn} vs analyze ${res.cn}`);
  assert.ok(Math.abs(p.first_shell.cutoff - res.cutoff) < 1e-9);
  assert.equal(p.first_shell.r_std, 0);
  assert.equal(p.uncertainty.calibrated, false);
  assert.match(p.uncertainty.sigma, /spread of the ensemble members only/);
});

test('members with wiggles: the headline comes from the mean g(r), σ from the members, no member ends its shell early', async () => {
  const res = await analyzeTrajectory(() => frames, {
    rmax: 6,
    dr: 0.02,
  });
  const ens = fakeEnsemble(res.r, res.theta);
  const rng = new Rng(3);
  const outs = [0, 1, 2, 3].map((m) =>
    output(
      res.g.map((v, i) => v + 0.03 * rng.normal() + (m === 1 ? 0.15 * Math.exp(-0.5 * ((res.r[i] - 2.9) / 0.04) ** 2) : 0)),
      res.bad,
      res.density,
    ),
  );
  const p = combine(ens, outs, 0);
  assert.ok(Math.abs(p.first_shell.cn - res.cn) < 0.5, `CN ${p.first_shell.cn} vs ${res.cn}`);
  for (const m of p.members) assert.ok(m.first_shell && Math.abs(m.first_shell.cn - res.cn) < 0.6, `member CN ${m.first_shell?.cn}`);
  assert.ok(p.first_shell.cn_std > 0 && p.first_shell.cn_std < 0.5, `σ(CN) ${p.first_shell.cn_std}`);
  assert.equal(p.first_shell.members_without_shell, 0);
});
