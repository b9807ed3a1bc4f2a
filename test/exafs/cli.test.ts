import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildLattice, writeXyz } from '../../src/structure/index.js';
import { computeChi, kGrid, loadTables } from '../../src/exafs/index.js';
import { packageRoot } from '../../src/theory/index.js';

const MAIN = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');

test('exafsnn chi TRAJ --json averages frames and matches computeChi', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-chi-'));
  try {
    const c = buildLattice('fcc', 3.524, 3);
    const f = join(dir, 'ni.xyz');
    writeXyz(f, [c, c]);
    const r = spawnSync(
      process.execPath,
      [
        MAIN,
        'chi',
        f,
        '--element',
        'Ni',
        '--de',
        '2',
        '--s02',
        '0.9',
        '--rmax2',
        '5.2',
        '--dk',
        '0.1',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      k: number[];
      chi: number[];
      chi2: number[];
      chi3: number[];
      absorbers: number;
      frames: number;
    };
    assert.equal(out.frames, 2);
    assert.equal(out.absorbers, 216);
    const ref = computeChi(c, loadTables('Ni', 'K'), {
      kGrid: kGrid(0, 20, 0.1),
      dE: 2,
      s02: 0.9,
      rmax2: 5.2,
    });
    assert.equal(out.k.length, ref.k.length);
    for (let i = 0; i < ref.k.length; i++) {
      assert.ok(Math.abs(out.chi[i] - ref.chi[i]) < 1e-5 * (1 + Math.abs(ref.chi[i])), `k=${ref.k[i]}`);
      assert.ok(Math.abs(out.chi2[i] + out.chi3[i] - out.chi[i]) < 1e-9);
    }
    const bad = spawnSync(process.execPath, [MAIN, 'chi', f, '--element', 'Zz', '--json'], {
      encoding: 'utf8',
    });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /unknown element "Zz"/);
    assert.equal(bad.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exafsnn chi LIQUID --cutoff3 3.4 runs on a liquid (its whole first shell fits the γ3 tables)', () => {
  const file = join(packageRoot(), 'test', 'analysis', 'fixtures', 'ni-liquid-2000K.dump');
  const r = spawnSync(
    process.execPath,
    [MAIN, 'chi', file, '--element', 'Ni', '--cutoff3', '3.4', '--kmin', '2', '--kmax', '16', '--json'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { chi3: number[]; absorbers: number };
  assert.equal(out.absorbers, 2048);
  assert.ok(out.chi3.some((x) => Math.abs(x) > 1e-3));
});
