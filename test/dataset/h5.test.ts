import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  readDataset,
  writeDataset,
  DatasetReader,
  DatasetWriter,
  type DatasetData,
} from '../../src/dataset/index.js';
import { Rng } from '../../src/util/rng.js';

function fakeData(n: number, seed = 1): DatasetData {
  const rng = new Rng(seed);
  const nk = 7,
    nr = 5,
    nt = 4;
  const k = Float64Array.from({ length: nk }, (_, i) => 2 + 0.5 * i);
  const r = Float64Array.from({ length: nr }, (_, i) => 1 + i);
  const theta = Float64Array.from({ length: nt }, (_, i) => 45 * i);
  const f32 = (m: number) => Float32Array.from({ length: m }, () => rng.normal());
  const structures = ['fcc', 'hcp', 'bcc', 'diamond', 'liquid'];
  return {
    n,
    k,
    r,
    theta,
    chi: f32(n * nk),
    gr: f32(n * nr),
    bad: f32(n * nt),
    meta: {
      structure: Array.from({ length: n }, (_, i) => structures[i % 5]),
      temperature: Float64Array.from({ length: n }, (_, i) => 60 + 20 * i),
      lattice: Float64Array.from({ length: n }, () => 3.5 + rng.uniform()),
      density: Float64Array.from({ length: n }, () => 0.09 + 0.001 * rng.uniform()),
      dE: Float64Array.from({ length: n }, () => rng.range(-5, 10)),
      seed: Uint32Array.from({ length: n }, (_, i) => Rng.derive(42, i)),
      relabelled: Uint8Array.from({ length: n }, (_, i) => i % 2),
      task: Int32Array.from({ length: n }, (_, i) => i),
    },
    attrs: { generator: 'exafsnn', version: '0.1.0', spec: JSON.stringify({ element: 'Ni' }), n_refused: 3 },
  };
}

test('writeDataset → readDataset round-trips every array, column and attribute exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-h5-'));
  try {
    const d = fakeData(300);
    const p = join(dir, 'd.h5');
    await writeDataset(p, d);
    const e = await readDataset(p);
    assert.equal(e.n, 300);
    assert.deepEqual(e.k, d.k);
    assert.deepEqual(e.r, d.r);
    assert.deepEqual(e.theta, d.theta);
    assert.deepEqual(e.chi, d.chi);
    assert.deepEqual(e.gr, d.gr);
    assert.deepEqual(e.bad, d.bad);
    for (const key of Object.keys(d.meta)) assert.deepEqual(e.meta[key], d.meta[key], key);
    assert.equal(e.attrs.spec, d.attrs.spec);
    assert.equal(e.attrs.n_refused, 3);
    assert.equal(e.attrs.n_samples, 300);
    // only the target is left: no temporary files
    assert.deepEqual(readdirSync(dir), ['d.h5']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('streamed blocks equal one write; row slices read back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-h5-'));
  try {
    const d = fakeData(1000, 5);
    const whole = join(dir, 'whole.h5');
    await writeDataset(whole, d);
    const rd = await DatasetReader.open(whole);
    const w = await DatasetWriter.create(join(dir, 'streamed.h5'), rd.schema, d.attrs);
    for (let a = 0; a < rd.n; a += 333) w.append(rd.rows(a, Math.min(rd.n, a + 333)));
    rd.close();
    w.close();
    const s = await readDataset(join(dir, 'streamed.h5'));
    assert.deepEqual(s.chi, d.chi);
    assert.deepEqual(s.meta.structure, d.meta.structure);
    const rd2 = await DatasetReader.open(join(dir, 'streamed.h5'));
    const block = rd2.rows(10, 12);
    rd2.close();
    assert.deepEqual(block.chi, d.chi.subarray(10 * 7, 12 * 7));
    assert.deepEqual(block.meta.temperature, d.meta.temperature.subarray(10, 12));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('aborted writer leaves nothing behind; unwritable folder is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-h5-'));
  try {
    const d = fakeData(3);
    const w = await DatasetWriter.create(
      join(dir, 'x.h5'),
      { k: d.k, r: d.r, theta: d.theta, meta: [['structure', 'str']] },
      {},
    );
    w.append({
      n: 1,
      chi: d.chi.subarray(0, 7),
      gr: d.gr.subarray(0, 5),
      bad: d.bad.subarray(0, 4),
      meta: { structure: ['fcc'] },
    });
    w.abort();
    assert.deepEqual(readdirSync(dir), []);
    await assert.rejects(writeDataset(join(dir, 'no', 'such', 'x.h5'), d), /folder .* does not exist/);
    await assert.rejects(readDataset(join(dir, 'missing.h5')), /no such file/);
    await assert.rejects(async () => {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'junk.h5'), 'not hdf5');
      await readDataset(join(dir, 'junk.h5'));
    }, /junk\.h5: not an HDF5 file/);
    assert.ok(!existsSync(join(dir, 'x.h5')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Debian's h5py opens the file with the docs/design.md layout", async (t) => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import h5py'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('python3-h5py is not installed (apt-get install python3-h5py)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-h5-'));
  try {
    const d = fakeData(20, 9);
    const p = join(dir, 'd.h5');
    await writeDataset(p, d);
    const py = [
      'import h5py, json, sys',
      'f = h5py.File(sys.argv[1], "r")',
      'out = {k: list(f[k].shape) for k in ("chi", "k", "gr", "r", "bad", "theta")}',
      'out["dtype_chi"] = str(f["chi"].dtype)',
      'out["chi01"] = float(f["chi"][0, 1])',
      'out["structure"] = [s.decode() for s in f["meta/structure"][:]]',
      'out["seed"] = [int(x) for x in f["meta/seed"][:3]]',
      'out["T"] = float(f["meta/temperature"][4])',
      'a = f.attrs["spec"]',
      'out["spec"] = json.loads(a.decode() if isinstance(a, bytes) else a)',
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-c', py, p], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.deepEqual(o.chi, [20, 7]);
    assert.deepEqual(o.gr, [20, 5]);
    assert.deepEqual(o.bad, [20, 4]);
    assert.deepEqual(o.k, [7]);
    assert.equal(o.dtype_chi, 'float32');
    assert.equal(o.chi01, d.chi[1]);
    assert.deepEqual(o.structure, d.meta.structure);
    assert.deepEqual(o.seed, Array.from(d.meta.seed.subarray(0, 3)));
    assert.equal(o.T, d.meta.temperature[4]);
    assert.deepEqual(o.spec, { element: 'Ni' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
