// The fingerprint's a-CNA against LAMMPS's conventional CNA (compute cna/atom) on the same frames
// (test/analysis/fixtures/README.md). a-CNA adapts the cutoff to each atom, so it should classify
// at least the atoms that fixed-cutoff CNA classifies, and never put an atom in another crystal class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigurations } from '../../src/structure/index.js';
import { fingerprint } from '../../src/analysis/index.js';

const FIX = join(process.cwd(), 'test', 'analysis', 'fixtures');
// LAMMPS cna/atom codes → ours (0 other, 1 fcc, 2 hcp, 3 bcc); icosahedral and unknown are "other"
const FROM_LAMMPS = [0, 1, 2, 3, 0, 0];

function lammpsCna(file: string): number[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(9)
    .map((l) => FROM_LAMMPS[Number(l.trim().split(/\s+/).at(-1))]);
}

for (const [name, minShared] of [
  ['bcc', 0.99],
  ['hcp', 0.99],
  ['fcc', 0.98],
  ['hot', 0.9],
] as const) {
  test(`a-CNA agrees with LAMMPS compute cna/atom on ${name === 'hot' ? 'MD fcc Ni at ~1450 K' : `thermal ${name}`}`, async () => {
    const file = join(FIX, `cna-${name}.dump`);
    const [conf] = await readConfigurations(file);
    const ref = lammpsCna(file);
    assert.equal(ref.length, conf.n);
    const ours = fingerprint(conf).perAtom;
    let refCrystal = 0,
      shared = 0,
      oursCrystal = 0,
      clash = 0;
    for (let i = 0; i < conf.n; i++) {
      if (ref[i] > 0) {
        refCrystal++;
        if (ours[i] === ref[i]) shared++;
      }
      if (ours[i] > 0) oursCrystal++;
      if (ref[i] > 0 && ours[i] > 0 && ours[i] !== ref[i]) clash++;
    }
    assert.equal(clash, 0, 'an atom put in two different crystal classes');
    assert.ok(
      shared / refCrystal >= minShared,
      `${shared} of the ${refCrystal} atoms LAMMPS classifies are ours too`,
    );
    assert.ok(
      oursCrystal >= refCrystal,
      `a-CNA classifies ${oursCrystal} atoms, fixed-cutoff CNA ${refCrystal}`,
    );
  });
}
