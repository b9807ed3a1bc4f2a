/**
 * Every number back out: `process --out` and `predict --out` files read back by our own readers and
 * by numpy equal the JSON; provenance hashes recomputed independently (Python hashlib); the noise
 * estimate against Larch's estimate_noise (skipped without Larch; a pinned number always); the χ(R)
 * σ against a Monte-Carlo of white noise through the transform; failed writes leave nothing behind.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTinyModel } from '../web/tiny-model.js';
import { parseColumns, processSpectrum, xftf } from '../../src/xas/index.js';
import { readSpectrumFile } from '../../src/xas/node-io.js';
import { estimateNoise, chirSigma } from '../../src/xas/noise.js';
import { ftwindow } from '../../src/xas/window.js';
import { Rng } from '../../src/util/rng.js';

const root = process.cwd();
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const ni = join(root, 'test', 'fixtures', 'xas', 'Ni_foil_LISA_300K.xdi');
const run = (args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
const py = (code: string, args: string[]) =>
  spawnSync('/usr/bin/python3', ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const hasNumpy = () => py('import numpy', []).status === 0;
const hasLarch = () => py('import larch.xafs', []).status === 0;

let model = '';
before(async () => {
  model = await makeTinyModel();
});

const eq = (a: ArrayLike<number>, b: ArrayLike<number | null>, what: string) => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++)
    assert.ok(a[i] === b[i] || (Number.isNaN(a[i]) && b[i] === null), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

// numpy reads each column file / CSV and compares with the JSON arrays; prints "ok N"
const NUMPY_CHECK = `
import sys, json, numpy as np
spec = json.load(open(sys.argv[1]))
n = 0
for path, cols in spec.items():
    if path.endswith('.csv'):
        d = np.genfromtxt(path, delimiter=',', names=True)
        names = d.dtype.names
        arrs = {k: d[k] for k in names}
    else:
        d = np.loadtxt(path, comments='#', ndmin=2)
        arrs = {k: d[:, i] for i, k in enumerate(cols['names'])}
    for k, ref in cols['columns'].items():
        ref = np.array([np.nan if v is None else v for v in ref], dtype=float)
        got = arrs[k]
        assert got.shape == ref.shape, (path, k, got.shape, ref.shape)
        assert np.array_equal(got, ref, equal_nan=True), (path, k)
        n += 1
print('ok', n)
`;

test('process --out: column files read back by our readers and numpy equal the JSON', (t) => {
  const out = mkdtempSync(join(tmpdir(), 'exafsnn-pout-'));
  const r = run([
    'process',
    ni,
    '--out',
    out,
    '--json',
    '--ft-kmin',
    '3',
    '--ft-kmax',
    '12',
    '--ft-window',
    'kaiser',
    '--ft-dk',
    '2',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const stdoutJson = JSON.parse(r.stdout);
  const stem = 'Ni_foil_LISA_300K';
  const j = JSON.parse(readFileSync(join(out, `${stem}_process.json`), 'utf8'));
  assert.deepEqual(stdoutJson.chi, j.chi);
  assert.deepEqual(
    [j.params.ft_kmin, j.params.ft_kmax, j.params.ft_window, j.params.ft_dk],
    [3, 12, 'kaiser', 2],
  );
  // the Athena-style header: a dashed line, then the column names
  const mu = readFileSync(join(out, `${stem}_mu.dat`), 'utf8').split('\n');
  const i = mu.findIndex((l) => l.startsWith('# ---'));
  assert.equal(mu[i + 1], '#  energy  mu  norm  pre_edge  post_edge  bkg');
  assert.ok(mu.some((l) => /^# E0: 8332\.8933 /.test(l)));
  // our readers
  const m = readSpectrumFile(join(out, `${stem}_mu.dat`));
  assert.ok(m.kind === 'mu');
  eq(m.energy, j.energy, 'energy');
  eq(m.mu, j.mu, 'mu');
  const c = readSpectrumFile(join(out, `${stem}_chik.dat`));
  assert.ok(c.kind === 'chi');
  eq(c.k, j.k, 'k');
  eq(c.chi, j.chi, 'chi');
  const tab = parseColumns(readFileSync(join(out, `${stem}_chir.dat`), 'utf8'), 'chir');
  assert.deepEqual(tab.names, ['r', 'chir_mag', 'chir_re', 'chir_im']);
  for (const [ci, key] of ['r', 'chir_mag', 'chir_re', 'chir_im'].entries()) eq(tab.columns[ci], j[key], key);
  const all = parseColumns(readFileSync(join(out, `${stem}_mu.dat`), 'utf8'), 'mu');
  for (const [ci, key] of ['energy', 'mu', 'norm', 'pre_edge', 'post_edge', 'bkg'].entries())
    eq(all.columns[ci], j[key], key);
  if (!hasNumpy()) {
    t.skip('numpy not installed');
    return;
  }
  const spec = {
    [join(out, `${stem}_mu.dat`)]: {
      names: ['energy', 'mu', 'norm', 'pre_edge', 'post_edge', 'bkg'],
      columns: {
        energy: j.energy,
        mu: j.mu,
        norm: j.norm,
        pre_edge: j.pre_edge,
        post_edge: j.post_edge,
        bkg: j.bkg,
      },
    },
    [join(out, `${stem}_chik.dat`)]: { names: ['k', 'chi'], columns: { k: j.k, chi: j.chi } },
    [join(out, `${stem}_chir.dat`)]: {
      names: ['r', 'chir_mag', 'chir_re', 'chir_im'],
      columns: { r: j.r, chir_mag: j.chir_mag, chir_re: j.chir_re, chir_im: j.chir_im },
    },
  };
  const p = py(NUMPY_CHECK, [writeTmpJson(spec)]);
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /^ok 12/);
});

test('predict --out: every curve as CSV with σ, equal to the JSON (our reader and numpy); provenance; --csv = first_shell.csv', (t) => {
  const out = mkdtempSync(join(tmpdir(), 'exafsnn-prout-'));
  const csv = join(out, 'series.csv');
  const r = run(['predict', ni, '--model', model, '--out', out, '--csv', csv, '--no-png']);
  assert.equal(r.status, 0, r.stderr);
  const stem = 'Ni_foil_LISA_300K';
  const j = JSON.parse(readFileSync(join(out, `${stem}_prediction.json`), 'utf8'));
  // provenance
  assert.equal(j.input.sha256, createHash('sha256').update(readFileSync(ni)).digest('hex'));
  assert.equal(j.exafsnn_version, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  assert.match(j.command, /^exafsnn predict /);
  for (const k of [
    'ft_kmin',
    'ft_kmax',
    'ft_dk',
    'ft_window',
    'ft_kweight',
    'rbkg',
    'kweight',
    'pre1',
    'norm2',
  ])
    assert.ok(k in j.processing.settings, k);
  assert.ok(j.noise.epsilon_k > 0 && j.noise.chir_std > 0);
  assert.ok(Number.isFinite(j.prediction.first_shell.r));
  // the model hash, recomputed independently
  const h = py(
    `import sys, os, hashlib
d = sys.argv[1]
fs = sorted(os.path.relpath(os.path.join(a, f), d) for a, _, fl in os.walk(d) for f in fl)
fs = sorted(fs, key=lambda p: p.split('/'))
print(hashlib.sha256(''.join(p + '  ' + hashlib.sha256(open(os.path.join(d, p), 'rb').read()).hexdigest() + '\\n' for p in fs).encode()).hexdigest())`,
    [model],
  );
  assert.equal(h.status, 0, h.stderr);
  assert.equal(j.model.files_sha256, h.stdout.trim());
  // each curve file equals the JSON's curves, and the curves equal the prediction's numbers
  const curves = j.curves as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(curves).sort(), [
    'chi_k',
    'chi_r',
    'chi_resim',
    'chi_resim_r',
    'g_r',
    'n_theta',
  ]);
  assert.deepEqual(curves.chi_resim_r.chir_re_resim, j.prediction.resimulated.chir.sim_re);
  assert.deepEqual(curves.g_r.g, j.prediction.g);
  assert.deepEqual(curves.g_r.g_std, j.prediction.g_std);
  assert.deepEqual(curves.n_theta.n_theta_std, j.prediction.bad_std);
  assert.deepEqual(curves.chi_resim.chi, j.prediction.resimulated.chi);
  // σ columns present and finite (the tiny model has several members)
  for (const [name, std] of [
    ['g_r', 'g_std'],
    ['n_theta', 'n_theta_std'],
    ['chi_k', 'chi_std'],
    ['chi_r', 'chir_std'],
    ['chi_resim', 'chi_std'],
  ])
    assert.ok(
      (curves[name][std] as number[]).every((x) => Number.isFinite(x) && x >= 0),
      `${name}.${std}`,
    );
  const spec: Record<string, { columns: Record<string, unknown> }> = {};
  for (const c of Object.values(curves)) {
    const { file, ...cols } = c as { file: string } & Record<string, number[]>;
    const text = readFileSync(join(out, file), 'utf8');
    const tab = parseColumns(text, file);
    assert.deepEqual(tab.names, Object.keys(cols), file);
    Object.keys(cols).forEach((k, ci) => eq(tab.columns[ci], cols[k], `${file} ${k}`));
    spec[join(out, file)] = { columns: cols };
  }
  // one column set: --csv and first_shell.csv are the same table, with the element
  const fsCsv = readFileSync(join(out, 'first_shell.csv'), 'utf8');
  assert.equal(readFileSync(csv, 'utf8'), fsCsv);
  const [head, row] = fsCsv.trim().split('\n');
  const cols = head.split(',');
  const vals = row.split(',');
  assert.deepEqual(cols.slice(0, 5), ['file', 'element', 'edge', 'temperature_K', 'e0_eV']);
  assert.equal(vals[cols.indexOf('element')], 'Ni');
  assert.equal(Number(vals[cols.indexOf('first_shell.r')]), j.prediction.first_shell.r);
  // (null in the JSON, NaN in the CSV when σ is unknown: the tiny model's members mostly find no shell)
  assert.equal(Number(vals[cols.indexOf('first_shell.cn_std')]), j.prediction.first_shell.cn_std ?? NaN);
  assert.equal(Number(vals[cols.indexOf('temperature_K')]), 300);
  if (!hasNumpy()) {
    t.skip('numpy not installed');
    return;
  }
  const p = py(NUMPY_CHECK, [writeTmpJson(spec)]);
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /^ok \d+/);
});

test('nothing half-written: a bad input or an unusable --out leaves no files and exits 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-bad-'));
  const bad = join(dir, 'bad.dat');
  writeFileSync(bad, '8000 0.1\n8001 0.2x\n');
  const out = join(dir, 'out');
  const r = run(['process', bad, '--out', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.dat:2: column 2 \(col2\): expected a number, got "0\.2x"/);
  assert.ok(!existsSync(out) || readdirSync(out).length === 0);
  const asFile = join(dir, 'file');
  writeFileSync(asFile, 'x');
  const r2 = run(['process', ni, '--out', asFile]);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /--out .*file: (exists and is not a folder|cannot create the folder)/);
  assert.deepEqual(readdirSync(dir).sort(), ['bad.dat', 'file']);
  // a bad FT option names the option
  const r3 = run(['process', ni, '--ft-window', 'boxcar']);
  assert.equal(r3.status, 2);
  assert.match(r3.stderr, /--ft-window boxcar: expected one of hanning/);
  const r4 = run(['process', ni, '--ft-kmax', '40']);
  assert.equal(r4.status, 2);
  assert.match(r4.stderr, /--ft-kmax 40: the spectrum's χ\(k\) ends at k = 22\.01/);
});

test('noise: ε_k pinned for the Ni foil, equal to Larch estimate_noise; χ(R) σ equals a Monte-Carlo', (t) => {
  const res = processSpectrum(readFileSync(ni, 'utf8'), 'ni.xdi');
  const ne = estimateNoise(res.k, res.chi);
  // 1.7412315756658363e-4 before the one k↔E constant (CODATA 2018, src/util/physics.ts): +3.1e-6
  assert.ok(Math.abs(ne.epsilon_k / 1.7412369661678323e-4 - 1) < 1e-9, `ε_k ${ne.epsilon_k}`);
  // white noise of known ε through our FT: the spread of Re χ(R) at R = 2–8 Å equals chirSigma
  const rng = new Rng(7);
  const win = ftwindow(res.k, { xmin: 3, xmax: 14, dx: 1, window: 'hanning' });
  const sigma = chirSigma(0.01, res.k, win, 2);
  const idx = [70, 120, 200, 260];
  const acc = idx.map(() => 0);
  const N = 400;
  for (let n = 0; n < N; n++) {
    const noise = Float64Array.from(res.k, () => 0.01 * rng.normal());
    const f = xftf(res.k, noise, { kmin: 3, kmax: 14, dk: 1, window: 'hanning', kweight: 2 });
    idx.forEach((ir, j) => (acc[j] += f.chir_re[ir] ** 2 + f.chir_im[ir] ** 2));
  }
  for (let j = 0; j < idx.length; j++) {
    const mc = Math.sqrt(acc[j] / (2 * N));
    assert.ok(Math.abs(mc / sigma - 1) < 0.08, `R index ${idx[j]}: MC ${mc} vs ${sigma}`);
  }
  if (!hasLarch()) {
    t.skip('Larch not installed');
    return;
  }
  const p = py(
    `import sys, json, warnings
warnings.filterwarnings('ignore')
import numpy as np
import larch
from larch import Group
from larch.xafs import estimate_noise
d = json.load(open(sys.argv[1]))
g = Group()
estimate_noise(np.array(d['k']), np.array(d['chi']), group=g, _larch=larch.Interpreter())
print(json.dumps({'epsilon_k': float(g.epsilon_k), 'epsilon_r': float(g.epsilon_r)}))`,
    [writeTmpJson({ k: Array.from(res.k), chi: Array.from(res.chi) })],
  );
  assert.equal(p.status, 0, p.stderr);
  const l = JSON.parse(p.stdout.trim().split('\n').pop()!);
  console.log(`noise: ours ε_k ${ne.epsilon_k} ε_R ${ne.epsilon_r}; Larch ${l.epsilon_k} ${l.epsilon_r}`);
  assert.ok(Math.abs(ne.epsilon_k / l.epsilon_k - 1) < 1e-6, `ε_k ${ne.epsilon_k} vs Larch ${l.epsilon_k}`);
  assert.ok(Math.abs(ne.epsilon_r / l.epsilon_r - 1) < 1e-6, `ε_R ${ne.epsilon_r} vs Larch ${l.epsilon_r}`);
});

function writeTmpJson(o: unknown): string {
  const p = join(mkdtempSync(join(tmpdir(), 'exafsnn-n-')), 'd.json');
  writeFileSync(p, JSON.stringify(o));
  return p;
}

test('predict --group all: every record of an Athena project is one row of the series, labelled', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-all-'));
  const rows = readFileSync(ni, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/));
  const q = (i: number) => rows.map((r) => `'${r[i]}'`).join(',');
  const rec = (g: string, label: string) =>
    [
      `$old_group = '${g}';`,
      `@args = ('label','${label}','bkg_z','Ni','is_xmu','1');`,
      `@x = (${q(0)});`,
      `@y = (${q(1)});`,
      '[record]',
    ].join('\n');
  const prj = join(dir, 'series.prj');
  writeFileSync(
    prj,
    [
      '# Athena project file -- Athena version 0.8.056',
      rec('aa', 'Ni 300K'),
      rec('bb', 'Ni 600K'),
      '1;',
    ].join('\n'),
  );
  const csv = join(dir, 'fs.csv');
  const r = run(['predict', prj, '--model', model, '--group', 'all', '--csv', csv, '--no-resimulate']);
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[1], /^series\.prj \[Ni 300K\],Ni,K,300,/);
  assert.match(lines[2], /^series\.prj \[Ni 600K\],Ni,K,600,/);
  const bad = run(['predict', ni, '--model', model, '--group', 'all']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--group all: .*Ni_foil_LISA_300K\.xdi is not an Athena project/);
});
