/**
 * Unknown species in configuration files: refused with the file and line unless mapped explicitly
 * (--species Xx=Ni); a file whose element contradicts the one asked for is refused, not silently
 * computed as the other element. Command line: exit 2 with the message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfigurations, parseSpeciesMap } from '../../src/structure/index.js';
import { FileFormatError, UserError } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'exafsnn-species-'));
const fcc = (sp: string[]) =>
  [
    '4',
    'Lattice="3.52 0 0 0 3.52 0 0 0 3.52" Properties=species:S:1:pos:R:3',
    `${sp[0]} 0 0 0`,
    `${sp[1]} 1.76 1.76 0`,
    `${sp[2]} 1.76 0 1.76`,
    `${sp[3]} 0 1.76 1.76`,
    '',
  ].join('\n');
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('XYZ: a species that is no element is refused with its line, or mapped with --species', async () => {
  const xx = file('xx.xyz', fcc(['Ni', 'Ni', 'Xx', 'Ni']));
  await assert.rejects(
    readConfigurations(xx),
    (e: Error) =>
      e instanceof FileFormatError &&
      /xx\.xyz:5: atom 3: species "Xx" is not an element symbol; map it to one with --species Xx=SYMBOL/.test(
        e.message,
      ),
  );
  const all = file('all.xyz', fcc(['Xx', 'Xx', 'Xx', 'Xx']));
  const [c] = await readConfigurations(all, { speciesMap: parseSpeciesMap('Xx=ni') });
  assert.equal(c.element, 'Ni');
  // lower-case symbols are element symbols
  assert.equal((await readConfigurations(file('cu.xyz', fcc(['cu', 'cu', 'cu', 'cu']))))[0].element, 'Cu');
  assert.throws(() => parseSpeciesMap('Xx=Qq'), /"Qq" is not an element symbol/);
  assert.throws(() => parseSpeciesMap('Xx'), /expected NAME=SYMBOL pairs/);
});

test('a file of Cu atoms read for Ni is refused (not computed as Ni); mapping it is explicit', async () => {
  const cu = file('cu2.xyz', fcc(['Cu', 'Cu', 'Cu', 'Cu']));
  await assert.rejects(
    readConfigurations(cu, { element: 'Ni' }),
    (e: Error) =>
      e instanceof UserError && /the atoms are Cu \(type 1\) but Ni was asked for/.test(e.message),
  );
  const [c] = await readConfigurations(cu, { element: 'Ni', speciesMap: { Cu: 'Ni' } });
  assert.equal(c.element, 'Ni');
});

test('LAMMPS dump: an element column with an unknown name is refused with its line', async () => {
  const dump = file(
    'd.lammpstrj',
    [
      'ITEM: TIMESTEP',
      '0',
      'ITEM: NUMBER OF ATOMS',
      '2',
      'ITEM: BOX BOUNDS pp pp pp',
      '0 3.52',
      '0 3.52',
      '0 3.52',
      'ITEM: ATOMS id type element x y z',
      '1 1 Ni 0 0 0',
      '2 1 Zz 1.76 1.76 0',
      '',
    ].join('\n'),
  );
  await assert.rejects(
    readConfigurations(dump),
    /d\.lammpstrj:11: atom 2: species "Zz" is not an element symbol/,
  );
  assert.equal((await readConfigurations(dump, { speciesMap: { Zz: 'Ni' } }))[0].n, 2);
});

test('CLI: analyze refuses the unknown species with exit 2 and reads it with --species', () => {
  const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
  // fcc Ni, 3×3×3 cells of 3.52 Å (108 atoms), all named "Xx"
  const lines: string[] = [];
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 3; k++)
        for (const [a, b, c] of [
          [0, 0, 0],
          [0.5, 0.5, 0],
          [0.5, 0, 0.5],
          [0, 0.5, 0.5],
        ])
          lines.push(`Xx ${(i + a) * 3.52} ${(j + b) * 3.52} ${(k + c) * 3.52}`);
  const L = 3 * 3.52;
  const xx = file(
    'cli.xyz',
    [
      String(lines.length),
      `Lattice="${L} 0 0 0 ${L} 0 0 0 ${L}" Properties=species:S:1:pos:R:3`,
      ...lines,
      '',
    ].join('\n'),
  );
  const r = spawnSync(process.execPath, [cli, 'analyze', xx, '--rmax', '5'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /cli\.xyz:3: atom 1: species "Xx" is not an element symbol/);
  const ok = spawnSync(
    process.execPath,
    [cli, 'analyze', xx, '--rmax', '5', '--species', 'Xx=Ni', '--json'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(Math.round(JSON.parse(ok.stdout).first_shell.cn), 12);
});
