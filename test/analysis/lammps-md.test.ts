// Checks against real LAMMPS output (test/analysis/fixtures/README.md): g(r) against LAMMPS's own
// compute rdf, and the fingerprint of hot fcc and liquid Ni from EAM molecular dynamics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigurations } from '../../src/structure/index.js';
import {
  radialDistribution,
  coordinationNumber,
  firstShell,
  fingerprint,
  bondAngleDistribution,
} from '../../src/analysis/index.js';

const FIX = join(process.cwd(), 'test', 'analysis', 'fixtures');

test('g(r) of a liquid Ni frame matches LAMMPS compute rdf (normalisation N² vs N(N−1)) and its coordination', async () => {
  const [c] = await readConfigurations(join(FIX, 'ni-liquid-2000K.dump'));
  assert.equal(c.n, 2048);
  assert.equal(c.props?.timestep, 19000);
  const g = radialDistribution(c, { rmax: 6, dr: 0.01 });
  const rows = readFileSync(join(FIX, 'ni-liquid-2000K.lammps-rdf.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .slice(1)
    .map((l) => l.trim().split(/\s+/).map(Number));
  assert.equal(rows.length, 600);
  const f = c.n / (c.n - 1);
  for (let k = 0; k < 600; k++) {
    assert.ok(Math.abs(g.r[k] - rows[k][1]) < 1e-9);
    // LAMMPS prints 6 significant digits
    assert.ok(
      Math.abs(g.g[k] * f - rows[k][2]) <= 1e-5 * Math.max(1, rows[k][2]),
      `r=${g.r[k]}: ${g.g[k] * f} vs ${rows[k][2]}`,
    );
    const cn = coordinationNumber(g.r, g.g, g.density, (k + 1) * 0.01);
    assert.ok(Math.abs(cn - rows[k][3]) <= 1e-5 * Math.max(1, rows[k][3]));
  }
});

test('liquid Ni at 2000 K: first shell and CN in the known range, fingerprint "other"', async () => {
  const [c] = await readConfigurations(join(FIX, 'ni-liquid-2000K.dump'));
  const g = radialDistribution(c, { rmax: 6, dr: 0.01 });
  const fs = firstShell(g.r, g.g);
  // liquid Ni: first peak ≈ 2.45 Å, first minimum ≈ 3.4 Å, CN ≈ 12 (e.g. Waseda & Ohtani 1974)
  assert.ok(fs.peak_r > 2.35 && fs.peak_r < 2.55, `peak ${fs.peak_r}`);
  assert.ok(fs.cutoff > 3.2 && fs.cutoff < 3.6, `cutoff ${fs.cutoff}`);
  assert.notEqual(fs.rule, 'gap');
  const cn = coordinationNumber(g.r, g.g, g.density, fs.cutoff);
  assert.ok(cn > 11 && cn < 13.5, `CN ${cn}`);
  const b = bondAngleDistribution(c, fs.cutoff);
  assert.ok(Math.abs(b.meanNeighbours - cn) < 0.02, `direct ${b.meanNeighbours} vs ∫ ${cn}`);
  const fp = fingerprint(c);
  assert.equal(fp.dominant, 'other');
  assert.ok(fp.fractions.other > 0.98, JSON.stringify(fp.fractions));
});

test('hot fcc Ni at ~1450 K: many atoms leave the a-CNA classes, but the phase is still fcc', async () => {
  const [c] = await readConfigurations(join(FIX, 'ni-fcc-1480K.dump'));
  const fp = fingerprint(c);
  assert.ok(fp.fractions.fcc > 0.3, JSON.stringify(fp.fractions));
  assert.ok(fp.fractions.bcc + fp.fractions.diamond < 0.02, JSON.stringify(fp.fractions));
  assert.equal(fp.dominant, 'fcc');
});
