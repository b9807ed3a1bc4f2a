import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'exafsnn-md-'));

function md(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, 'md', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('exafsnn md --json writes extended XYZ frames and one JSON document', () => {
  const out = join(dir, 'traj.xyz');
  const r = md([
    '--structure',
    'fcc',
    '--element',
    'Ni',
    '--temperature',
    '300',
    '--lattice',
    '3.52',
    '--cells',
    '4',
    '--steps',
    '400',
    '--every',
    '200',
    '--equilibrate',
    '200',
    '--dt',
    '0.002',
    '--seed',
    '4',
    '--out',
    out,
    '--json',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.atoms, 256);
  assert.equal(doc.frames, 2);
  assert.equal(doc.fingerprints.length, 2);
  assert.equal(doc.fingerprints[1].dominant, 'fcc');
  for (const k of ['temperature', 'pe', 'pressure']) assert.ok(Number.isFinite(doc.averages[k].mean), k);
  assert.ok(doc.timing.atomStepsPerSecond > 0);
  const text = readFileSync(out, 'utf8').split('\n');
  assert.equal(text[0], '256');
  assert.match(text[1], /Lattice="14\.08 0 0 0 14\.08 0 0 0 14\.08".*step=400 .*temperature=.*phase=fcc/);
  assert.match(text[2], /^Ni /);
});

test('exafsnn md refuses bad input with clear messages (exit 2, nothing on stdout)', () => {
  const cases: [string[], RegExp, NodeJS.ProcessEnv?][] = [
    [
      ['--structure', 'bct'],
      /--structure: unknown structure "bct", expected one of fcc, hcp, bcc, diamond, sc/,
    ],
    [['--element', 'Xq'], /unknown element "Xq": shipped potentials cover Ni, Cu, Co, Fe/],
    [['--temperature', '-10'], /--temperature: must be ≥ 0, got -10/],
    [['--cells', '2'], /box too small for the potential cutoff 5\.900 Å/],
    [['--potential', join(dir, 'nope.eam.alloy')], /cannot read potential file .*nope\.eam\.alloy: ENOENT/],
    [
      ['--engine', 'lammps'],
      /LAMMPS executable "\/nonexistent\/lmp" not found/,
      { EXAFSNN_LMP: '/nonexistent/lmp' },
    ],
    [['--engine', 'gromacs'], /--engine: unknown engine "gromacs"/],
  ];
  for (const [args, re, env] of cases) {
    const out = join(dir, 'never.xyz');
    const r = md([...args, '--steps', '10', '--every', '10', '--out', out, '--json'], env);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stdout, '');
    assert.ok(!existsSync(out), 'no partial output file');
  }
});
