/**
 * Athena project files of every generation Larch reads, written here from the format description
 * (larch/io/athena_project.py, Demeter::Data::Prj): an Athena 0.8-style project (flags is_xmu,
 * is_chi, is_nor, no datatype), a Demeter 0.9-style project of merged scans (datatype, @stddev,
 * random group names), a one-record Athena 0.8.060 project and Larch's JSON layout. The data are the
 * LISA Ni foil (CC BY 4.0, test/fixtures/xas/README.md). Numbers are compared with Larch's
 * read_athena + pre_edge + autobk when Larch is installed, and with the pinned Larch reference
 * (larch-reference.json, same data) always.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  parseXdi,
  parseAthenaProject,
  readSpectrum,
  processSpectrum,
  prepareMu,
  xftf,
} from '../../src/xas/index.js';
import { processSpectrumFile } from '../../src/xas/node-io.js';
import { UserError } from '../../src/util/errors.js';
import { fixtureText, larchRef, relRms } from './helpers.js';

const xdi = parseXdi(fixtureText('Ni_foil_LISA_300K.xdi'), 'ni.xdi');
// the same sort/merge clean-up that the Larch reference applied, so both programs see one input
const ni = prepareMu(xdi.columns[0], xdi.columns[1], 'ni.xdi');
const E = Array.from(ni.energy);
const MU = Array.from(ni.mu);
// a χ(k) record: the Larch-reference χ(k) of the same foil
const ref = larchRef().results.find((r) => r.file === 'Ni_foil_LISA_300K.xdi')!;
const K = ref.k.slice(0, 300);
const CHI = ref.chi.slice(0, 300);
const NORM = (() => {
  // a normalised record, as Athena saves one (μ shifted and scaled; the step is then about 1)
  const r = processSpectrum(fixtureText('Ni_foil_LISA_300K.xdi'), 'ni.xdi');
  return Array.from(r.norm);
})();

const q = (a: ArrayLike<number>) => Array.from(a, (x) => `'${x}'`).join(',');
const args = (o: Record<string, string | number>) =>
  Object.entries(o)
    .map(([k, v]) => `'${k}','${v}'`)
    .join(',');

/** Athena 0.8.0xx: flags only, no datatype; a normalised record, a χ record and a detector record. */
export function athena08(version = '0.8.056'): string {
  return [
    `# Athena project file -- Athena version ${version}`,
    '# This file created at 14:02:11 on 3 March, 2009',
    '# Using Ifeffit 1.2.11 and perl 5.010000 on linux',
    '#',
    '# This file is compatible with Athena version 0.8.015 and later.',
    '#',
    '# -------------------------------------------------------------------------------',
    '#   This is the journal of the project',
    '# -------------------------------------------------------------------------------',
    '',
    "$old_group = 'moo3';",
    `@args = (${args({ bkg_z: 'Ni', fft_edge: 'K', is_xmu: 1, is_chi: 0, is_nor: 0, is_xmudat: 0, is_bkg: 0, is_diff: 0, is_proj: 0, is_pixel: 0, is_rsp: 0, label: 'moo3-defaults', bkg_e0: 8333, bkg_eshift: 0, bkg_rbkg: 1.0, bkg_kw: 2, bkg_clamp1: 'None', bkg_clamp2: 'Strong' })});`,
    `@x = (${q(E)});`,
    `@y = (${q(MU)});`,
    '[record] # create object and set arrays in ifeffit',
    '',
    "$old_group = 'norm1';",
    `@args = (${args({ bkg_z: 'Ni', is_xmu: 1, is_chi: 0, is_nor: 1, label: 'Ni norm' })});`,
    `@x = (${q(E)});`,
    `@y = (${q(NORM)});`,
    '[record] # create object and set arrays in ifeffit',
    '',
    "$old_group = 'chi1';",
    `@args = (${args({ bkg_z: 'Ni', is_xmu: 0, is_chi: 1, is_nor: 0, label: 'Ni chi' })});`,
    `@x = (${q(K)});`,
    `@y = (${q(CHI)});`,
    '[record] # create object and set arrays in ifeffit',
    '',
    "$old_group = 'det1';",
    `@args = (${args({ is_xmu: 0, is_chi: 0, is_xmudat: 1, label: 'I0 detector' })});`,
    `@x = (${q(E.slice(0, 50))});`,
    `@y = (${q(MU.slice(0, 50))});`,
    '[record] # create object and set arrays in ifeffit',
    '',
    '',
    '1;',
    '',
    '# Local Variables:',
    '# truncate-lines: t',
    '# End:',
    '',
  ].join('\n');
}

/** Demeter 0.9: datatype, random group names, two scans and their merge (with @stddev). */
export function demeter09(opts: { multilineTitle?: boolean } = {}): string {
  const scan = (g: string, label: string, scale: number) => [
    `$old_group = '${g}';`,
    `@args = (${args({ bkg_z: 'Ni', datatype: 'xmu', is_xmu: 1, is_merge: '', label, bkg_e0: 8333 })});`,
    `@x = (${q(E)});`,
    `@y = (${q(MU.map((m) => m * scale))});`,
    '[record] # create object and set arrays in ifeffit',
    '',
  ];
  const title = opts.multilineTitle ? "'titles','merge of\nscan 1 and scan 2'," : '';
  return [
    '# Athena project file -- Demeter version 0.9.26',
    '# This file created at 2019-05-02T10:11:12',
    '# Using Demeter 0.9.26 with perl 5.026001 and using Larch X on linux',
    '',
    ...scan('xqhbn', 'Zirconolite scan 1', 0.999),
    ...scan('plovk', 'Zirconolite scan 2', 1.001),
    "$old_group = 'zswpu';",
    `@args = (${title}${args({ bkg_z: 'Ni', datatype: 'xmu', is_xmu: 1, is_merge: 'xqhbn,plovk', label: 'Zirconolite', bkg_e0: 8333 })});`,
    `@x = (${q(E)});`,
    `@y = (${q(MU)});`,
    `@stddev = (${q(MU.map((m) => Math.abs(m) * 0.001))});`,
    '[record] # create object and set arrays in ifeffit',
    '',
    '@journal = {};',
    '',
    '1;',
    '',
  ].join('\n');
}

function larchJsonProject(): string {
  return JSON.stringify({
    _____header1: '# Athena project file -- Demeter version 0.9.24',
    _____header2: '# written as JSON',
    _____journal: [''],
    _____order: ['abcde'],
    abcde: { args: { label: 'Ni JSON', bkg_z: 'Ni', is_xmu: 1, datatype: 'xmu' }, x: E, y: MU },
  });
}

test('Athena 0.8 project: is_xmu / is_nor / is_chi / is_xmudat flags, records found by their label', () => {
  const recs = parseAthenaProject(athena08(), 'old.prj');
  assert.deepEqual(
    recs.map((r) => [r.label, r.kind, r.normalised]),
    [
      ['moo3-defaults', 'mu', false],
      ['Ni norm', 'mu', true],
      ['Ni chi', 'chi', false],
      ['I0 detector', 'other', false],
    ],
  );
  const d = readSpectrum(athena08(), 'old.prj', { group: 'moo3-defaults' });
  assert.equal(d.kind, 'mu');
  assert.equal(d.element, 'Ni');
  // the label is matched regardless of case and blanks, also by Larch's variable name and by number
  for (const g of ['MOO3-DEFAULTS', 'moo3_defaults', '1', 'moo3'])
    assert.equal(readSpectrum(athena08(), 'old.prj', { group: g }).label, 'moo3-defaults', g);
  assert.equal(readSpectrum(athena08(), 'old.prj', { group: 'ni  CHI' }).kind, 'chi');
  // a wrong --group lists the labels with what each record holds
  assert.throws(
    () => readSpectrum(athena08(), 'old.prj', { group: 'nope' }),
    (e: Error) =>
      e instanceof UserError &&
      /no record labelled "nope"; the records are 1: "moo3-defaults" \(μ\(E\)\); 2: "Ni norm" \(normalised μ\(E\)\); 3: "Ni chi" \(χ\(k\)\); 4: "I0 detector" \(not data: is_xmudat = 1\)/.test(
        e.message,
      ),
  );
  assert.throws(
    () => readSpectrum(athena08(), 'old.prj', { group: 'I0 detector' }),
    /is not μ\(E\) or χ\(k\) data \(is_xmudat = 1\)/,
  );
  // several records and no --group: the labels are listed
  assert.throws(() => readSpectrum(athena08(), 'old.prj'), /holds 3 records; choose one with --group LABEL/);
  // the normalised record processes as μ(E) with a step of about 1 and says so
  const n = processSpectrum(athena08(), 'old.prj', { group: 'Ni norm' });
  assert.ok(Math.abs(n.edge_step! - 1) < 0.02, `normalised step ${n.edge_step}`);
  assert.ok(n.warnings.some((w) => /normalised μ\(E\)/.test(w)));
});

test('one-record Athena 0.8.060 project is read without --group', () => {
  const one = athena08('0.8.060').split("$old_group = 'norm1';")[0] + '1;\n';
  const d = readSpectrum(one, 'one.prj');
  assert.equal(d.kind, 'mu');
  assert.equal(d.label, 'moo3-defaults');
});

test('Demeter 0.9 merged project: found by the label Athena shows, not the group name; multi-line args', () => {
  for (const text of [demeter09(), demeter09({ multilineTitle: true })]) {
    const recs = parseAthenaProject(text, 'zr.prj');
    assert.deepEqual(
      recs.map((r) => [r.label, r.group, r.merged]),
      [
        ['Zirconolite scan 1', 'xqhbn', false],
        ['Zirconolite scan 2', 'plovk', false],
        ['Zirconolite', 'zswpu', true],
      ],
    );
    assert.equal(recs[2].stddev?.length, E.length);
    const d = readSpectrum(text, 'zr.prj', { group: 'Zirconolite' });
    assert.ok(d.kind === 'mu' && d.label === 'Zirconolite' && d.warnings.some((w) => /merge/.test(w)));
    assert.throws(
      () => readSpectrum(text, 'zr.prj', { group: 'Zircon' }),
      /"Zirconolite scan 1" \(μ\(E\)\); 2: .*3: "Zirconolite" \(μ\(E\), merged\)/,
    );
  }
  assert.equal(
    parseAthenaProject(demeter09({ multilineTitle: true }), 'zr.prj')[2].args.titles,
    'merge of\nscan 1 and scan 2',
  );
});

test('Perl details: undef, double-quoted strings with \\x{…}, a cut-short file, JSON projects', () => {
  const t = [
    '# Athena project file -- Demeter version 0.9.20',
    "$old_group = 'a';",
    `@args = ('label',"Fe\\x{b2}\\x{207a} \\"ox\\"",'bkg_stan',undef,'is_xmu','1');`,
    `@x = (${q(E.slice(0, 30))});`,
    `@y = (${q(MU.slice(0, 30))});`,
    '[record]',
  ].join('\n');
  const r = parseAthenaProject(t, 'u.prj')[0];
  assert.equal(r.label, 'Fe²⁺ "ox"');
  assert.equal(r.args.bkg_stan, '');
  assert.throws(
    () => parseAthenaProject(t.replace("'1');", "'1')"), 'cut.prj'),
    /cut\.prj:3: statement "@args = \('label',"Fe\\x\{b2\}.*" is not terminated by ';'/,
  );
  // flags as Larch reads them: is_xmu 0 without other flags is still energy/μ; 'None' is not a set flag
  const flags = (a: string) =>
    parseAthenaProject(
      [
        '# Athena project file -- Athena version 0.8.061',
        "$old_group = 'f';",
        `@args = (${a});`,
        "@x = ('1','2');",
        "@y = ('1','2');",
        '[record]',
      ].join('\n'),
      'f.prj',
    )[0].kind;
  assert.equal(flags("'is_xmu','0'"), 'mu');
  // a nested list value keeps the key/value pairs aligned
  const nested = parseAthenaProject(
    [
      '# Athena project file -- Demeter version 0.9.26',
      "$old_group = 'n';",
      "@args = ('titles',['a, b','c'],'detectors',[],'label','Nested','is_chi','1', 'x' => 'y');",
      "@x = ('1','2');",
      "@y = ('1','2');",
      '[record]',
    ].join('\n'),
    'n.prj',
  )[0];
  assert.deepEqual(
    [nested.label, nested.kind, nested.args.titles, nested.args.detectors, nested.args.x],
    ['Nested', 'chi', "['a, b','c']", '[]', 'y'],
  );
  assert.equal(flags("'is_xanes','1','is_xmu','0'"), 'mu');
  assert.equal(flags("'is_bkg','None','is_diff',''"), 'mu');
  assert.equal(flags("'is_diff','1'"), 'other');
  assert.equal(flags("'datatype','detector','is_xmu','1'"), 'other');
  const j = readSpectrum(larchJsonProject(), 'j.prj');
  assert.ok(j.kind === 'mu' && j.label === 'Ni JSON' && j.energy.length === E.length && j.element === 'Ni');
});

test('processing an Athena 0.8 record gives the pinned Larch numbers (same data as larch-reference.json)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-prj-'));
  try {
    const p = join(dir, 'old.prj');
    writeFileSync(p, gzipSync(Buffer.from(athena08())));
    const r = processSpectrumFile(p, { group: 'moo3-defaults' });
    assert.equal(r.e0, ref.e0);
    assert.ok(Math.abs(r.edge_step! / ref.edge_step - 1) < 1e-5, `step ${r.edge_step} vs ${ref.edge_step}`);
    assert.ok(relRms(r.k, r.chi, ref.chi) < 1e-4);
    // the χ(k) record gives the χ(R) of the same χ(k)
    const c = processSpectrumFile(p, {
      group: 'Ni chi',
      ft: { kmin: 3, kmax: 12, dk: 1, window: 'hanning', kweight: 2 },
    });
    const f = xftf(K, CHI, { kmin: 3, kmax: 12, dk: 1, window: 'hanning', kweight: 2 });
    for (let i = 0; i < 100; i++)
      assert.ok(Math.abs(c.chir_mag[i] - f.chir_mag[i]) < 1e-9 * Math.max(...f.chir_mag));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const LARCH_PY = `
import sys, json, warnings
warnings.filterwarnings('ignore')
from larch.io import read_athena
from larch.xafs import pre_edge, autobk
out = {}
for path in sys.argv[1:]:
    prj = read_athena(path, do_preedge=False, do_bkg=False, do_fft=False)
    recs = []
    for name, g in prj._athena_groups.items():
        r = {'name': name, 'label': getattr(g, 'label', None), 'id': g.athena_id}
        if hasattr(g, 'k'):
            r['x'] = [float(v) for v in g.k]; r['y'] = [float(v) for v in g.chi]; r['kind'] = 'chi'
        else:
            r['x'] = [float(v) for v in g.energy]; r['y'] = [float(v) for v in g.mu]; r['kind'] = 'mu'
            if len(g.energy) < 100: 
                recs.append(r); continue
            pre_edge(g)
            autobk(g, rbkg=1.0, kweight=2, dk=0.1, win='hanning', kstep=0.05, nclamp=3, clamp_lo=0, clamp_hi=1, calc_uncertainties=False)
            r['e0'] = float(g.e0); r['edge_step'] = float(g.edge_step)
            r['k'] = [float(v) for v in g.k]; r['chi'] = [float(v) for v in g.chi]
        recs.append(r)
    out[path] = recs
print(json.dumps(out))
`;

test('Larch reads the same records, arrays and labels, and its pre_edge + autobk agree with ours', (t) => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import larch.io'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('Larch is not installed (/usr/bin/python3 -c "import larch")');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-prj-'));
  try {
    const files: Record<string, string> = {
      'athena08.prj': athena08(),
      'one.prj': athena08('0.8.060').split("$old_group = 'norm1';")[0] + '1;\n',
      'demeter09.prj': demeter09(),
      'json.prj': larchJsonProject(),
    };
    const paths: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      const p = join(dir, name);
      // gzipped and plain, as Athena writes either
      writeFileSync(p, name === 'one.prj' ? Buffer.from(text) : gzipSync(Buffer.from(text)));
      paths.push(p);
    }
    const r = spawnSync('/usr/bin/python3', ['-c', LARCH_PY, ...paths], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    assert.equal(r.status, 0, r.stderr);
    const larch = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<
      string,
      Array<{
        label: string;
        id: string;
        kind: string;
        x: number[];
        y: number[];
        e0?: number;
        edge_step?: number;
        k?: number[];
        chi?: number[];
      }>
    >;
    for (const [name, text] of Object.entries(files)) {
      const ours = parseAthenaProject(text, name);
      const theirs = larch[join(dir, name)];
      // Larch reads every record (including those we refuse to process) with the same label and arrays
      assert.deepEqual(
        theirs.map((x) => x.label ?? x.id),
        ours.map((x) => x.label),
        name,
      );
      for (let i = 0; i < ours.length; i++) {
        assert.deepEqual(Array.from(ours[i].x), theirs[i].x, `${name} ${ours[i].label} x`);
        assert.deepEqual(Array.from(ours[i].y), theirs[i].y, `${name} ${ours[i].label} y`);
        assert.equal(ours[i].kind === 'chi', theirs[i].kind === 'chi', `${name} ${ours[i].label} kind`);
        const lr = theirs[i];
        if (ours[i].kind !== 'mu' || ours[i].normalised || lr.e0 === undefined || ours[i].x.length < 100)
          continue;
        const res = processSpectrum(text, name, { group: ours[i].label });
        assert.ok(Math.abs(res.e0! - lr.e0) <= 0.01, `${name} E0 ${res.e0} vs Larch ${lr.e0}`);
        assert.ok(
          Math.abs(res.edge_step! / lr.edge_step! - 1) < 1e-4,
          `${name} step ${res.edge_step} vs ${lr.edge_step}`,
        );
        const rms = relRms(res.k, res.chi, lr.chi!);
        assert.ok(rms < 1e-3, `${name} ${ours[i].label}: k²χ rel. RMS ${rms}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
