import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { syntheticData, LOCAL_ORDER_COLUMNS } from '../../src/nn/index.js';
import { writeDataset, type DatasetData } from '../../src/dataset/index.js';

const main = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

async function writeSynthetic(path: string, n: number, nanAt?: number, seed = 21): Promise<void> {
  const s = syntheticData({ n, seed, nk: 30, nr: 30, ntheta: 18 });
  if (nanAt !== undefined) s.chi[nanAt] = NaN;
  const d: DatasetData = {
    n,
    k: s.k,
    chi: s.chi,
    r: s.r,
    gr: s.gr,
    theta: s.theta,
    bad: s.bad,
    meta: {
      structure: s.structure,
      // liquids at 1000–1900 K (below and above a Tm of 1500 K), crystals at 300 K
      temperature: Float64Array.from(s.structure, (c, i) => (c === 'liquid' ? 1000 + 100 * (i % 10) : 300)),
      // local-order labels (a liquid's 1551 share, an fcc's 1421 share)
      ...Object.fromEntries(
        LOCAL_ORDER_COLUMNS.map((c) => [
          c,
          Float64Array.from(s.structure, (st) =>
            c === 'pairs_1551' && st === 'liquid'
              ? 0.15
              : c === 'pairs_1421' && st === 'fcc'
                ? 1
                : c === 'cna_other'
                  ? 1
                  : 0,
          ),
        ]),
      ),
      lattice: new Float64Array(n).fill(3.52),
      density: Float64Array.from(s.density),
      dE: new Float64Array(n),
      seed: Uint32Array.from({ length: n }, (_, i) => i),
    },
    attrs: { generator: 'test/nn/cli.test.ts (synthetic)' },
  };
  await writeDataset(path, d);
}

function run(args: string[]) {
  return spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
}

test('exafsnn train / evaluate on an HDF5 dataset (--json, report, progress on stderr)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-cli-nn-'));
  try {
    const ds = join(dir, 'd.h5');
    await writeSynthetic(ds, 100);
    const out = join(dir, 'm');
    const t = run([
      'train',
      ds,
      '--out',
      out,
      '--folds',
      '3',
      '--epochs',
      '6',
      '--patience',
      '4',
      '--hidden',
      '32x2',
      '--batch',
      '16',
      '--lr',
      '3e-3',
      '--engine',
      'js',
      '--json',
    ]);
    assert.equal(t.status, 0, t.stderr);
    const summary = JSON.parse(t.stdout);
    assert.equal(summary.members.length, 3);
    assert.equal(summary.n_test, 20);
    assert.match(t.stderr, /member 1\/3 epoch 1\/6: loss .* val .* ETA/);
    assert.ok(existsSync(join(out, 'member-2', 'weights.bin')));
    const rep = join(dir, 'rep');
    const e = run(['evaluate', out, ds, '--report', rep, '--json', '--melting-point', '1500']);
    assert.equal(e.status, 0, e.stderr);
    const ev = JSON.parse(e.stdout);
    assert.equal(ev.n_test, 20);
    // the dataset holds local-order labels, so train added the local_order head
    assert.deepEqual(
      ev.heads.map((h: { name: string }) => h.name),
      ['g', 'bad', 'density', 'local_order'],
    );
    // per phase: liquids below Tm are undercooled; every phase scores the 1551 share
    assert.equal(ev.phases.melting_point, 1500);
    assert.equal(
      ev.phases.phases.reduce((a: number, p: { n: number }) => a + p.n, 0),
      20,
    );
    for (const p of ev.phases.phases) {
      assert.ok(['crystal', 'liquid', 'undercooled'].includes(p.name), p.name);
      assert.equal(p.pairs_1551.n, p.n);
      if (p.name === 'undercooled') assert.ok(p.temperature[1] < 1500);
    }
    assert.match(readFileSync(join(rep, 'report.html'), 'utf8'), /Test error per phase/);
    assert.ok(ev.heads[0].mse < ev.heads[0].baseline_mse, 'g(r) beats the baseline even after 6 epochs');
    assert.ok(ev.calibration[0].observed.length === 6);
    assert.ok(
      existsSync(join(rep, 'evaluation.json')) &&
        existsSync(join(rep, 'worst.csv')) &&
        existsSync(join(rep, 'report.html')),
    );
    assert.match(readFileSync(join(rep, 'worst.csv'), 'utf8'), /^rank,index,structure,mse_g,mse_bad\n1,/);

    // a different dataset of the same size does not silently reuse the stored split
    const ds2 = join(dir, 'd2.h5');
    await writeSynthetic(ds2, 100, undefined, 22);
    const e2 = run(['evaluate', out, ds2, '--json']);
    assert.equal(e2.status, 2);
    assert.match(e2.stderr, /d2\.h5: \/chi differs from the dataset the model was trained on/);

    // NaN in the dataset: a clear error naming the file and the element
    const ds3 = join(dir, 'nan.h5');
    await writeSynthetic(ds3, 20, 3 * 30 + 4);
    const t3 = run([
      'train',
      ds3,
      '--out',
      join(dir, 'm3'),
      '--folds',
      '2',
      '--epochs',
      '1',
      '--hidden',
      '8',
      '--engine',
      'js',
    ]);
    assert.equal(t3.status, 2);
    assert.match(t3.stderr, /nan\.h5: \/chi\[3, 4\] is NaN/);
    assert.ok(!existsSync(join(dir, 'm3')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
