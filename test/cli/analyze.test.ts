import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildLattice,
  writeXyz,
  writeLammpsDump,
  type Configuration,
  type LatticeName,
} from '../../src/structure/index.js';
import { coordinationNumber } from '../../src/analysis/index.js';
import { Rng } from '../../src/util/rng.js';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'exafsnn-analyze-'));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'analyze', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function frames(
  name: LatticeName,
  a: number,
  cells: number,
  nf: number,
  sigma: number,
  seed: number,
): Configuration[] {
  const rng = new Rng(seed);
  return Array.from({ length: nf }, (_, k) => {
    const c = buildLattice(name, a, cells, { element: 'Ni' });
    for (let i = 0; i < c.positions.length; i++) c.positions[i] += sigma * rng.normal();
    c.props = { Time: k };
    return c;
  });
}

test('analyze --json on an extended XYZ trajectory of thermal fcc Ni', () => {
  const p = join(dir, 'ni.xyz');
  writeXyz(p, frames('fcc', 3.524, 5, 3, 0.05, 1));
  const r = run(p, '--json');
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  for (const k of ['r', 'g', 'theta', 'bad', 'cn', 'cutoff', 'fingerprint', 'atoms', 'density', 'frames'])
    assert.ok(k in d, k);
  assert.equal(d.frames, 3);
  assert.equal(d.atoms, 500);
  assert.ok(Math.abs(d.density - 4 / 3.524 ** 3) < 1e-12);
  assert.equal(d.r.length, 600);
  assert.equal(d.g.length, 600);
  assert.equal(d.theta.length, 180);
  assert.ok(d.cutoff > 2.8 && d.cutoff < 3.2, `cutoff ${d.cutoff}`);
  assert.ok(Math.abs(d.cn - 12) < 1e-6, `cn ${d.cn}`);
  const integral = d.bad.reduce((s: number, v: number) => s + v, 0);
  assert.ok(Math.abs(integral - 66) < 1e-9, `∫N dθ = ${integral}`);
  assert.deepEqual(d.fingerprint, { fcc: 1, hcp: 0, bcc: 0, diamond: 0, other: 0 });
  // local order at the cutoff: thermal fcc keeps every first-shell pair 1421, no 1551
  assert.equal(d.local_order.pairs_1421, 1);
  assert.equal(d.local_order.pairs_1551, 0);
  assert.equal(d.local_order.cna_fcc, 1);
  // ∫4πr²ρg to 5.8 Å counts the first five fcc shells: 12 + 6 + 24 + 12 + 24 = 78
  const cn5 = coordinationNumber(d.r, d.g, d.density, 5.8);
  assert.ok(Math.abs(cn5 - 78) < 0.05, `CN(5.8 Å) = ${cn5}`);
});

test('analyze reads LAMMPS dumps, takes a given cutoff and prints a readable summary', () => {
  const p = join(dir, 'fe.dump');
  writeLammpsDump(p, frames('bcc', 2.8665, 5, 2, 0.03, 2));
  const j = run(p, '--cutoff', '2.7', '--format', 'lammps', '--rmax', '5', '--dr', '0.02', '--json');
  assert.equal(j.status, 0, j.stderr);
  const d = JSON.parse(j.stdout);
  assert.equal(d.cutoff, 2.7);
  assert.equal(d.g.length, 250);
  assert.ok(Math.abs(d.cn - 8) < 0.05, `cn ${d.cn}`);
  assert.ok(d.fingerprint.bcc > 0.99);
  const t = run(p);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /atoms\s+250 per frame, 2 frames/);
  assert.match(t.stdout, /CN\s+8\.\d+/);
  assert.match(t.stdout, /fingerprint fcc 0\.0 %, hcp 0\.0 %, bcc 100\.0 %/);
  assert.match(t.stdout, /pairs\s+1551 0\.0 %, 1421 0\.0 %, 1422 0\.0 % of first-shell pairs/);
  assert.match(t.stdout, /CNA atoms\s+fcc 0\.0 %/);
  assert.match(t.stdout, /N\(θ\) peaks .*70\.5°.*109\.5°/);
});

test('analyze lowers rmax beyond half the box with a warning on stderr, keeping stdout one JSON document', () => {
  const p = join(dir, 'small.xyz');
  writeXyz(p, frames('fcc', 3.524, 3, 1, 0.0, 3));
  const r = run(p, '--json', '--rmax', '8');
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /warning: rmax 8 Å exceeds half the shortest box edge \(5\.286 Å\); using rmax = 5\.28/,
  );
  const d = JSON.parse(r.stdout);
  assert.ok(Math.abs(d.r.at(-1) - 5.275) < 1e-9);
  assert.ok(Math.abs(d.cn - 12) < 1e-9);
});

test('analyze: bad input exits with status 2 and names the file and line; plain XYZ needs --box', () => {
  const bad = join(dir, 'bad.xyz');
  writeFileSync(bad, '2\nLattice="10 0 0 0 10 0 0 0 10"\nNi 0 0 0\nNi 1 x 1\n');
  const r = run(bad, '--json');
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    new RegExp(
      `${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: atom 2: y coordinate: expected a number, got "x"`,
    ),
  );
  const plain = join(dir, 'plain.xyz');
  const c = buildLattice('fcc', 3.524, 4);
  const lines = [String(c.n), 'no box here'];
  for (let i = 0; i < c.n; i++)
    lines.push(`Ni ${c.positions[3 * i]} ${c.positions[3 * i + 1]} ${c.positions[3 * i + 2]}`);
  writeFileSync(plain, lines.join('\n') + '\n');
  const m = run(plain, '--json');
  assert.equal(m.status, 2);
  assert.match(m.stderr, /plain\.xyz:2: missing box/);
  const ok = run(plain, '--json', '--box', c.box.join(','));
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).fingerprint.fcc, 1);
  const empty = join(dir, 'empty.xyz');
  writeFileSync(empty, '');
  const e = run(empty);
  assert.equal(e.status, 2);
  assert.match(e.stderr, /empty\.xyz: empty file/);
  assert.equal(run(plain, '--rmax', 'abc').status, 2);
});
