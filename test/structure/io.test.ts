import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildLattice,
  readXyzFrames,
  readLammpsDumpFrames,
  readFrames,
  readConfigurations,
  detectFormat,
  writeXyz,
  writeLammpsDump,
  XyzWriter,
  LammpsDumpWriter,
  type Configuration,
} from '../../src/structure/index.js';
import { LineCursor } from '../../src/structure/lines.js';
import { FileFormatError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'exafsnn-io-'));
let fileNo = 0;
function file(text: string, ext = 'txt'): string {
  const p = join(dir, `f${fileNo++}.${ext}`);
  writeFileSync(p, text);
  return p;
}

function thermal(seed: number, name: 'fcc' | 'hcp' = 'fcc'): Configuration {
  const rng = new Rng(seed);
  const c = buildLattice(name, 3.524, 3, { element: 'Ni' });
  for (let i = 0; i < c.positions.length; i++) c.positions[i] += 0.1 * rng.normal();
  return c;
}

function assertSameConf(a: Configuration, b: Configuration, tol = 1e-7): void {
  assert.equal(a.n, b.n);
  for (let d = 0; d < 3; d++) assert.ok(Math.abs(a.box[d] - b.box[d]) < 1e-12);
  for (let i = 0; i < a.n; i++)
    for (let d = 0; d < 3; d++) {
      // compare modulo the box (readers wrap)
      let diff = a.positions[3 * i + d] - b.positions[3 * i + d];
      diff -= a.box[d] * Math.round(diff / a.box[d]);
      assert.ok(
        Math.abs(diff) < tol,
        `atom ${i} axis ${d}: ${a.positions[3 * i + d]} vs ${b.positions[3 * i + d]}`,
      );
    }
}

async function collect(it: AsyncIterable<Configuration>): Promise<Configuration[]> {
  const out: Configuration[] = [];
  for await (const c of it) out.push(c);
  return out;
}

/** Assert that reading rejects with a FileFormatError naming the file (and line when given). */
async function rejectsAt(
  p: string,
  line: number | null,
  re: RegExp,
  read = (f: string) => readConfigurations(f),
): Promise<void> {
  await assert.rejects(read(p), (e: unknown) => {
    assert.ok(e instanceof FileFormatError, `expected FileFormatError, got ${e}`);
    assert.equal(e.file, p);
    if (line !== null) assert.equal(e.line, line, e.message);
    assert.match(e.message, re);
    return true;
  });
}

test('extended XYZ round trip keeps positions, box, element and extra properties over several frames', async () => {
  const frames = [thermal(1), thermal(2), thermal(3)];
  frames.forEach((c, k) => (c.props = { Time: 0.5 * k, Temperature: 300, note: 'two words' }));
  const p = join(dir, 'rt.xyz');
  writeXyz(p, frames);
  const back = await collect(readXyzFrames(p));
  assert.equal(back.length, 3);
  for (let k = 0; k < 3; k++) {
    assertSameConf(frames[k], back[k]);
    assert.equal(back[k].element, 'Ni');
    assert.deepEqual(back[k].props, { Time: 0.5 * k, Temperature: 300, note: 'two words' });
  }
  assert.equal(await detectFormat(p), 'xyz');
});

test('XyzWriter appends frames to a temporary file and renames atomically on close', async () => {
  const p = join(dir, 'append.xyz');
  writeFileSync(p, 'old content\n');
  const w = new XyzWriter(p).open();
  w.append(thermal(4));
  w.append(thermal(5));
  assert.equal(readFileSync(p, 'utf8'), 'old content\n', 'target untouched until close');
  w.close();
  w.close(); // a second close is a no-op, not an empty file
  assert.throws(() => w.append(thermal(5)), /already closed/);
  assert.equal((await readConfigurations(p)).length, 2);
  // abort leaves the old file and no temporary file
  const w2 = new XyzWriter(p).open();
  w2.append(thermal(6));
  w2.abort();
  assert.equal((await readConfigurations(p)).length, 2);
  assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')));
});

test('plain XYZ needs a box from the caller; species map to types; Origin is subtracted', async () => {
  const p = file('3\nplain comment\nNi 0 0 0\nCu 1.5 0 0\nNi 0 1.5 9.5\n');
  await rejectsAt(p, 2, /missing box.*Lattice/);
  const [c] = await readConfigurations(p, { box: [10, 10, 10] });
  assert.deepEqual(Array.from(c.types!), [1, 2, 1]);
  assert.equal(c.element, 'Ni');
  const q = file(
    '1\nLattice="4 0 0 0 4 0 0 0 4" Origin="-2 -2 -2" Properties=species:S:1:pos:R:3:forces:R:3\nNi -1 0.5 1 0 0 0\n',
  );
  const [d] = await readConfigurations(q);
  assert.deepEqual(Array.from(d.positions), [1, 2.5, 3]);
});

test('XYZ bad input: each case is a FileFormatError naming the file, the line and what was expected', async () => {
  const good = '2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3\nNi 0 0 0\nNi 1 1 1\n';
  // empty file (also only blank lines)
  await rejectsAt(file(''), null, /empty file/);
  await rejectsAt(file('\n  \n'), null, /empty file/);
  // truncated frame: fewer atom lines than announced, at the end of the file
  await rejectsAt(
    file(good + '3\nLattice="5 0 0 0 5 0 0 0 5"\nNi 0 0 0\n'),
    7,
    /truncated frame.*1 of 3 atom lines.*line 5/,
  );
  await rejectsAt(file('2\n'), 1, /truncated frame/);
  // wrong atom count: more atom lines than announced
  await rejectsAt(
    file('1\nLattice="5 0 0 0 5 0 0 0 5"\nNi 0 0 0\nNi 1 1 1\n'),
    4,
    /more atom lines than its atom count/,
  );
  // wrong atom count: fewer atom lines than announced, followed by another frame
  await rejectsAt(
    file('3\nLattice="5 0 0 0 5 0 0 0 5"\nNi 0 0 0\nNi 1 1 1\n' + good),
    5,
    /atom 3 of 3.*atom count of this frame is too large/,
  );
  // non-numeric coordinates
  await rejectsAt(
    file('2\nLattice="5 0 0 0 5 0 0 0 5"\nNi 0 0 0\nNi 1 abc 1\n'),
    4,
    /atom 2: y coordinate: expected a number, got "abc"/,
  );
  // missing box
  await rejectsAt(file('2\nTime=1\nNi 0 0 0\nNi 1 1 1\n'), 2, /missing box/);
  // non-orthogonal box
  await rejectsAt(
    file('2\nLattice="5 0 0 1 5 0 0 0 5"\nNi 0 0 0\nNi 1 1 1\n'),
    2,
    /non-orthogonal.*unsupported/,
  );
  // malformed Lattice
  await rejectsAt(file('2\nLattice="5 0 0"\nNi 0 0 0\nNi 1 1 1\n'), 2, /expected 9 numbers/);
  // not an atom count at all
  await rejectsAt(file('two\nx\n'), 1, /cannot tell the format/);
  await rejectsAt(file('two\nx\n'), 1, /atom count of frame 1/, (f) =>
    readConfigurations(f, { format: 'xyz' }),
  );
});

test('LAMMPS dump round trip, and reading x/xu/xs columns with and without image flags, ids unsorted', async () => {
  const frames = [thermal(7, 'hcp'), thermal(8, 'hcp')];
  const p = join(dir, 'rt.dump');
  writeLammpsDump(p, frames);
  assert.equal(await detectFormat(p), 'lammps');
  const back = await collect(readLammpsDumpFrames(p));
  assert.equal(back.length, 2);
  assertSameConf(frames[0], back[0]);
  assertSameConf(frames[1], back[1]);
  assert.equal(back[1].props?.timestep, 1);

  // a hand-written frame: box from -2 to 8, atoms out of id order, image flags, scaled and unwrapped variants
  const header = (cols: string) =>
    `ITEM: TIMESTEP\n500\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n-2 8\n-2 8\n0 5\nITEM: ATOMS ${cols}\n`;
  const expect = [
    [1, 2, 3],
    [4, 5, 1],
    [9, 0.5, 4.5],
  ]; // positions relative to (xlo, ylo, zlo) for ids 1, 2, 3 after wrapping
  const wrapped = file(
    header('id type x y z ix iy iz') + '3 1 7 -1.5 4.5 1 0 0\n1 2 -1 0 3 0 0 -1\n2 1 2 3 1 0 0 0\n',
  );
  const scaled = file(header('type id xs ys zs') + '1 3 0.9 0.05 0.9\n2 1 0.1 0.2 0.6\n1 2 0.4 0.5 0.2\n');
  const unwrapped = file(
    header('id type element xu yu zu') + '3 1 Ni 17 -1.5 4.5\n1 2 Cu -1 0 -2\n2 1 Ni 2 3 1\n',
  );
  for (const f of [wrapped, scaled, unwrapped]) {
    const [c] = await readConfigurations(f);
    assert.deepEqual(c.box, [10, 10, 5]);
    for (let i = 0; i < 3; i++)
      for (let d = 0; d < 3; d++)
        assert.ok(Math.abs(c.positions[3 * i + d] - expect[i][d]) < 1e-12, `${f} atom ${i}`);
    assert.deepEqual(Array.from(c.types!), [2, 1, 1]);
    assert.equal(c.props?.timestep, 500);
  }
  assert.equal((await readConfigurations(unwrapped))[0].element, 'Ni');
  // unwrapped coordinates from x + image flags when wrapping is off
  const [u] = await readConfigurations(wrapped, { wrap: false });
  assert.deepEqual(Array.from(u.positions), [1, 2, -2, 4, 5, 1, 19, 0.5, 4.5]);
});

test('LammpsDumpWriter appends frames atomically', async () => {
  const p = join(dir, 'append.dump');
  const w = new LammpsDumpWriter(p).open();
  for (let k = 0; k < 4; k++) w.append(thermal(10 + k));
  assert.ok(!existsSync(p));
  w.close();
  const back = await readConfigurations(p);
  assert.equal(back.length, 4);
  assert.deepEqual(
    back.map((c) => c.props?.timestep),
    [0, 1, 2, 3],
  );
});

test('LAMMPS dump bad input: truncated, wrong count, non-numeric, missing box, triclinic, empty', async () => {
  const head = (n: number) =>
    `ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n${n}\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5\nITEM: ATOMS id type x y z\n`;
  const atoms = '1 1 0 0 0\n2 1 1 1 1\n';
  await rejectsAt(file(''), null, /empty file/, (f) => readConfigurations(f, { format: 'lammps' }));
  await rejectsAt(file(head(3) + atoms), 11, /truncated frame.*2 of 3 atom lines/);
  await rejectsAt(file(head(3) + atoms + head(2) + atoms), 12, /atom 3 of 3.*NUMBER OF ATOMS is larger/);
  await rejectsAt(file(head(1) + atoms), 11, /more atom lines than its NUMBER OF ATOMS/);
  await rejectsAt(
    file(head(2) + '1 1 0 0 0\n2 1 1 nan? 1\n'),
    11,
    /atom 2: y: expected a number, got "nan\?"/,
  );
  await rejectsAt(
    file('ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n'),
    5,
    /missing box/,
  );
  await rejectsAt(
    file(
      'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS xy xz yz pp pp pp\n0 5 0.5\n0 5 0\n0 5 0\nITEM: ATOMS id type x y z\n1 1 0 0 0\n',
    ),
    6,
    /triclinic.*non-orthogonal boxes are unsupported/,
  );
  await rejectsAt(
    file(head(2).replace('id type x y z', 'id type vx vy vz') + atoms),
    9,
    /no coordinate columns/,
  );
  await rejectsAt(file(head(2).replace('0 5\n0 5\n0 5', '0 5\n0 5\n0 x')), 8, /zhi: expected a number/);
});

test('readFrames streams: a consumer can stop early, and a bad later frame is reported only when reached', async () => {
  const good = '1\nLattice="5 0 0 0 5 0 0 0 5"\nNi 0 0 0\n';
  const p = file(good + good + '1\nLattice="5 0 0 0 5 0 0 0 5"\nNi 0 zz 0\n');
  let n = 0;
  for await (const c of readFrames(p)) {
    assert.equal(c.n, 1);
    if (++n === 2) break;
  }
  assert.equal(n, 2);
  await rejectsAt(p, 9, /y coordinate/);
});

test('reading crosses block boundaries (split lines, split UTF-8 characters) and accepts CRLF line endings', async () => {
  const c = buildLattice('fcc', 3.524, 4, { element: 'Ni' });
  c.props = { note: 'Å-grid ✓ ÅÅÅÅ' };
  const p = join(dir, 'blocks.xyz');
  writeXyz(p, [c, c, c]);
  const crlf = join(dir, 'blocks-crlf.xyz');
  writeFileSync(crlf, readFileSync(p, 'utf8').replace(/\n/g, '\r\n'));
  const saved = LineCursor.blockSize;
  try {
    for (const bs of [7, 64, 4096]) {
      LineCursor.blockSize = bs;
      for (const f of [p, crlf]) {
        const back = await readConfigurations(f);
        assert.equal(back.length, 3);
        assertSameConf(c, back[2]);
        assert.equal(back[2].props?.note, 'Å-grid ✓ ÅÅÅÅ', `block ${bs}`);
      }
    }
  } finally {
    LineCursor.blockSize = saved;
  }
});
