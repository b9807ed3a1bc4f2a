/**
 * The browser app with several spectra at once (a temperature series, or an Athena project of
 * several records): the series table, the report of all spectra and the data download (.zip of the
 * files `predict --out` writes: CSV per curve with σ, the JSON, first_shell.csv), checked by
 * unzipping with Python's zipfile; and the app's wording for CLI flags in error messages.
 * Headless Chromium as in app.test.ts; skips with the reason when it or the built app is missing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startServer, type RunningServer } from '../../src/report/server.js';
import { makeTinyModel } from './tiny-model.js';
import { launchChromium, openApp } from './chromium.js';
import { toyTableBytes } from '../report/fake-tables.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ni = join(root, 'test', 'fixtures', 'xas', 'Ni_foil_LISA_300K.xdi');
const niCuProject = join(root, 'test', 'fixtures', 'xas', 'ni_cu_project.prj');
const appDir = join(root, 'dist', 'web');
const skip = !existsSync(chromium)
  ? `Chromium not found at ${chromium}`
  : !existsSync(join(appDir, 'app.js'))
    ? `the browser app is not built (${appDir}/app.js): run "npm run build"`
    : false;

let tmp = '';
let srv: RunningServer | null = null;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let context: any = null;

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(join(tmpdir(), 'exafsnn-app-series-'));
  const model = await makeTinyModel(join(tmp, 'tiny-model'));
  mkdirSync(join(tmp, 'tables'));
  writeFileSync(join(tmp, 'tables', 'Ni-K.gamma'), toyTableBytes('Ni', 'K'));
  srv = await startServer({
    appDir,
    modelDir: model,
    tablesDir: join(tmp, 'tables'),
    port: 0,
    config: { model_name: 'tiny (test fixture)' },
    log: () => {},
  });
  context = await launchChromium(join(tmp, 'profile'), { acceptDownloads: true });
});

after(async () => {
  await context?.close();
  await srv?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ready(page: any) {
  await openApp(page, srv!.url);
}

test(
  'app: two spectra at once → series table, report of both, data .zip equal to predict --out files',
  { skip, timeout: 180_000 },
  async () => {
    const page = await context.newPage();
    await ready(page);
    const text = readFileSync(ni);
    await page.setInputFiles('#file', [
      { name: 'Ni_foil_300K.xdi', mimeType: 'text/plain', buffer: text },
      // the same data, said to be measured at 600 K (the XDI field wins over the file name)
      {
        name: 'Ni_foil_600K.xdi',
        mimeType: 'text/plain',
        buffer: Buffer.from(text.toString().replace(/(Sample\.temperature:\s*)300/, '$1600')),
      },
    ]);
    await page.waitForFunction(() => document.body.dataset.batch !== undefined, null, { timeout: 120_000 });
    assert.equal(
      await page.evaluate(() => document.body.dataset.batch),
      '2',
      await page.textContent('#message'),
    );
    assert.equal(await page.isVisible('#series'), true);
    assert.equal(await page.locator('#series-table tr').count(), 3);
    assert.match(await page.textContent('#series-table'), /Ni_foil_300K\.xdi.*Ni_foil_600K\.xdi/s);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#download-data')]);
    assert.equal(dl.suggestedFilename(), 'exafsnn-series-data.zip');
    const zip = join(tmp, 'data.zip');
    await dl.saveAs(zip);
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = sorted(z.namelist())
j = json.loads(z.read('Ni_foil_300K_prediction.json'))
g = [l.split(',') for l in z.read('Ni_foil_300K_g_r.csv').decode().split()]
assert g[0] == ['r_A', 'g', 'g_std'], g[0]
assert [float(x[1]) for x in g[1:]] == j['prediction']['g']
rs = [l.split(',') for l in z.read('Ni_foil_300K_chi_resim.csv').decode().split()]
assert rs[0] == ['k_invA', 'chi', 'chi_std', 'chi2', 'chi3'], rs[0]
std = [float(x[2]) for x in rs[1:]]
assert all(v == v and v >= 0 for v in std) and max(std) > 0, 'resim sigma'
assert j['prediction']['resimulated']['s02'] > 0
print(json.dumps({'names': names, 'sha': j['input']['sha256'], 'fs': z.read('first_shell.csv').decode()}))`,
        zip,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(py.status, 0, py.stderr);
    const out = JSON.parse(py.stdout);
    for (const stem of ['Ni_foil_300K', 'Ni_foil_600K'])
      for (const f of [
        'g_r.csv',
        'n_theta.csv',
        'chi_k.csv',
        'chi_r.csv',
        'chi_resim.csv',
        'prediction.json',
      ])
        assert.ok(out.names.includes(`${stem}_${f}`), `${stem}_${f} in ${out.names}`);
    assert.ok(out.names.includes('first_shell.csv'));
    const { createHash } = await import('node:crypto');
    assert.equal(out.sha, createHash('sha256').update(text).digest('hex'));
    const lines = out.fs.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^file,element,edge,temperature_K,e0_eV,/);
    assert.match(lines[1], /^Ni_foil_300K\.xdi,Ni,K,300,/);
    assert.match(lines[2], /^Ni_foil_600K\.xdi,Ni,K,600,/);
    // the report holds both spectra
    const [rep] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const html = readFileSync(await rep.path(), 'utf8');
    assert.ok(html.includes('Ni_foil_300K.xdi') && html.includes('Ni_foil_600K.xdi'));
    await page.close();
  },
);

test(
  'app: an Athena project with two records gives two spectra; flags are worded for the app',
  { skip, timeout: 180_000 },
  async () => {
    const page = await context.newPage();
    await ready(page);
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
    const prj = [
      '# Athena project file -- Athena version 0.8.056',
      rec('aa', 'Ni 300K'),
      rec('bb', 'Ni again'),
      '1;',
    ].join('\n');
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    await page.setInputFiles('#file', {
      name: 'two.prj',
      mimeType: 'application/octet-stream',
      buffer: gzipSync(Buffer.from(prj)),
    });
    await page
      .waitForFunction(() => document.body.dataset.batch !== undefined, null, { timeout: 120_000 })
      .catch(async () => assert.fail(`no batch: ${await page.textContent('#message')} ${errors.join('; ')}`));
    assert.equal(
      await page.evaluate(() => document.body.dataset.batch),
      '2',
      await page.textContent('#message'),
    );
    assert.match(await page.textContent('#series-table'), /two\.prj \[Ni 300K\].*two\.prj \[Ni again\]/s);
    // an E0 outside the data: the message names the app's field, not the command-line flag
    await page.click('#settings summary');
    await page.fill('input[name=e0]', '20000');
    await page.setInputFiles('#file', { name: 'ni.xdi', mimeType: 'text/plain', buffer: readFileSync(ni) });
    await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 60_000 });
    const msg = (await page.textContent('#message')) as string;
    assert.match(msg, /E₀ \(processing settings\) 20000 eV lies outside the data range/);
    assert.doesNotMatch(msg, /--e0/);
    await page.close();
  },
);

test(
  'app: an Athena project of several records: a picker lists them, the first is shown, picking another re-runs it',
  { skip, timeout: 180_000 },
  async () => {
    const page = await context.newPage();
    await ready(page);
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    // gzipped Athena project: 1 "Ni foil", 2 "Cu foil" (μ(E) records)
    await page.setInputFiles('#file', niCuProject);
    await page.waitForFunction(() => document.body.dataset.batch !== undefined, null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.batch), '2', await page.textContent('#message'));
    assert.equal(await page.isVisible('#record'), true, 'the record picker is shown');
    const options = await page.$$eval('#record option', (os: HTMLOptionElement[]) => os.map((o) => o.textContent));
    assert.deepEqual(options, ['ni_cu_project.prj [Ni foil]', 'ni_cu_project.prj [Cu foil]']);
    assert.equal(await page.inputValue('#record'), '0');
    type Res = { file: string; e0: number };
    let res = (await page.evaluate('window.exafsnnResult')) as Res;
    assert.equal(res.file, 'ni_cu_project.prj [Ni foil]');
    assert.ok(Math.abs(res.e0 - 8333) < 3, `Ni E0 ${res.e0}`);
    assert.match(await page.textContent('#file-title'), /\[Ni foil\] — Ni K edge/);
    // the tiny test model has no calibration: the band is the bare ensemble spread and says so
    assert.match(await page.textContent('#fig-gr'), /±1σ \(ensemble spread, uncalibrated\)/);
    assert.match(await page.textContent('#fig-bad'), /±1σ \(ensemble spread, uncalibrated\)/);
    // picking the second record processes and predicts that record
    await page.evaluate(() => (document.body.dataset.state = 'idle'));
    await page.selectOption('#record', '1');
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 60_000 });
    res = (await page.evaluate('window.exafsnnResult')) as Res;
    assert.equal(res.file, 'ni_cu_project.prj [Cu foil]');
    assert.ok(Math.abs(res.e0 - 8979) < 3, `Cu E0 ${res.e0}`);
    assert.match(await page.textContent('#file-title'), /\[Cu foil\] — Cu K edge/);
    // both records stay in the series table; a settings change keeps the picked record on the page
    assert.equal(await page.locator('#series-table tr').count(), 3);
    await page.evaluate(() => (document.body.dataset.state = 'idle'));
    await page.click('#settings summary');
    await page.fill('input[name="rbkg"]', '1.2');
    await page.dispatchEvent('#settings-form', 'change');
    await page.waitForFunction(
      () =>
        document.body.dataset.state === 'done' &&
        (window as unknown as { exafsnnResult?: { file?: string } }).exafsnnResult?.file === 'ni_cu_project.prj [Cu foil]' &&
        /rbkg 1\.2/.test(document.getElementById('steps')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    assert.equal(((await page.evaluate('window.exafsnnResult')) as Res).file, 'ni_cu_project.prj [Cu foil]');
    assert.equal(await page.inputValue('#record'), '1');
    // one spectrum again: no picker
    await page.setInputFiles('#file', ni);
    await page.waitForFunction(() => document.body.dataset.batch !== undefined, null, { timeout: 60_000 });
    assert.equal(await page.isVisible('#record'), false);
    assert.deepEqual(errors, []);
    await page.close();
  },
);
