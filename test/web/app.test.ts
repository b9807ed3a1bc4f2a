/**
 * End-to-end test of the browser app in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core): the server runs in this process on a free port with a tiny model made by
 * src/nn's writer; the test loads the LISA Ni foil spectrum from ../shared/data and checks the
 * figures and first-shell numbers appear, then an unreadable file's message.
 * Skips (with the reason) when Chromium, the shared data or the built app (dist/web) is missing.
 * Set EXAFSNN_APP_SCREENSHOT=path to keep a screenshot.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/report/server.js';
import { makeTinyModel } from './tiny-model.js';
import { launchChromium, openApp, waitForResult } from './chromium.js';
import { toyTableBytes } from '../report/fake-tables.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const spectrum = join(root, '..', 'shared', 'data', 'spectra', 'Ni_foil_LISA_300K.xdi');
const appDir = join(root, 'dist', 'web');

const skip = !existsSync(chromium)
  ? `Chromium not found at ${chromium} (install Debian's chromium or set CHROMIUM_PATH)`
  : !existsSync(spectrum)
    ? `shared data missing: ${spectrum} (CI puts shared/ beside the clone)`
    : !existsSync(join(appDir, 'app.js'))
      ? `the browser app is not built (${appDir}/app.js): run "npm run build"`
      : false;
if (skip) process.stderr.write(`test/web/app: skipped: ${skip}\n`);

let tmp = '';
let srv: RunningServer | null = null;
const requests: string[] = [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let context: any = null;

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(join(tmpdir(), 'exafsnn-app-'));
  // EXAFSNN_APP_MODEL / EXAFSNN_APP_TABLES: use a real model / table folder instead (e.g. for docs/app-screenshot.png)
  const model = process.env.EXAFSNN_APP_MODEL ?? (await makeTinyModel(join(tmp, 'tiny-model')));
  // a toy γ table (real file format, toy numbers) so the browser's 2-body re-simulation path runs
  mkdirSync(join(tmp, 'tables'));
  writeFileSync(join(tmp, 'tables', 'Ni-K.gamma'), toyTableBytes('Ni', 'K'));
  srv = await startServer({
    appDir,
    modelDir: model,
    tablesDir: process.env.EXAFSNN_APP_TABLES ?? join(tmp, 'tables'),
    port: 0,
    config: {
      model_name: process.env.EXAFSNN_APP_MODEL
        ? basename(process.env.EXAFSNN_APP_MODEL)
        : 'tiny (test fixture)',
    },
    log: (l) => requests.push(l),
  });
  context = await launchChromium(join(tmp, 'profile'), { viewport: { width: 1400, height: 1000 } });
});

after(async () => {
  await context?.close();
  await srv?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test(
  'app: Ni foil → processing plots, g(r) and N(θ) with bands, first-shell numbers',
  { skip, timeout: 120_000 },
  async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    const offsite: string[] = [];
    page.on('request', (r: { url(): string }) => {
      if (!r.url().startsWith(srv!.url) && !r.url().startsWith('data:')) offsite.push(r.url());
    });
    await openApp(page, srv!.url);
    assert.match(await page.textContent('#model-info'), /\d+ networks/);
    await page.setInputFiles('#file', spectrum);
    await waitForResult(page);
    assert.equal(
      await page.evaluate(() => document.body.dataset.state),
      'done',
      await page.textContent('#message'),
    );
    // processing steps and their figures
    assert.match(await page.textContent('#steps'), /E₀ 833\d\.\d eV/);
    assert.match(
      await page.textContent('#warnings'),
      /31 points .*merged/,
      'the merged near-duplicate energies are reported',
    );
    for (const id of ['fig-mu', 'fig-chik', 'fig-chir', 'fig-gr', 'fig-bad', 'fig-resim', 'fig-resim-r']) {
      assert.equal(await page.locator(`#${id} svg`).count(), 1, id);
      assert.ok((await page.locator(`#${id} svg path.series`).count()) >= 1, `${id} has a curve`);
    }
    assert.equal(await page.locator('#fig-gr svg path.band').count(), 1, 'g(r) ± σ band');
    assert.equal(await page.locator('#fig-bad svg path.band').count(), 1, 'N(θ) ± σ band');
    // the numbers: E0 of the Ni K edge (8333 eV), R1 and CN with σ
    const res = (await page.evaluate('window.exafsnnResult')) as {
      e0: number;
      first_shell: { r: number; r_std: number; cn: number };
      r_factor: number | null;
      r_range: [number, number] | null;
    };
    assert.ok(typeof res.r_factor === 'number' && res.r_factor >= 0, `R-factor ${res.r_factor}`);
    assert.equal(res.r_range?.[0], 1, `R window ${res.r_range}`);
    assert.match(await page.textContent('#cards'), /R-factor \(R 1\.00–\d\.\d\d Å\)/);
    assert.equal(
      await page.locator('#fig-resim svg path.series').count(),
      2,
      'measured and re-simulated χ(k)',
    );
    assert.ok(Math.abs(res.e0 - 8333) < 3, `E0 ${res.e0}`);
    assert.ok(
      Number.isFinite(res.first_shell.r) &&
        // null (NaN in JSON) when σ is unknown: fewer than two members find a first shell
        (res.first_shell.r_std === null || Number.isNaN(res.first_shell.r_std) || Number.isFinite(res.first_shell.r_std)) &&
        Number.isFinite(res.first_shell.cn),
    );
    // σ, or "?" when fewer than two members find a first shell (the tiny toy model on a real
    // spectrum: 2 of its 3 members give no shell)
    assert.match(await page.textContent('#val-r1'), /^\d\.\d{3,4} ± (\d\.\d{3,4}|\?)$/);
    assert.match(await page.textContent('#cards'), /Å.*first-shell distance/);
    assert.match(await page.textContent('#cards'), /8332\.\d eV|8333\.\d eV/);
    assert.deepEqual(errors, []);
    assert.deepEqual(offsite, [], 'the app fetches nothing from another origin');
    if (process.env.EXAFSNN_APP_SCREENSHOT)
      await page.screenshot({ path: process.env.EXAFSNN_APP_SCREENSHOT, fullPage: true });
    // the report made in the browser: self-contained, with the same numbers
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.equal(download.suggestedFilename(), 'Ni_foil_LISA_300K-report.html');
    const html = readFileSync(await download.path(), 'utf8');
    assert.ok(
      html.includes((await page.textContent('#val-r1')) as string),
      'R1 ± σ in the downloaded report',
    );
    assert.ok(!/\b(src|href)\s*=/.test(html), 'no external references');
    // changing a processing setting re-runs the pipeline in place
    await page.evaluate(() => (document.body.dataset.state = 'idle'));
    await page.click('#settings summary');
    await page.fill('input[name="rbkg"]', '1.3');
    await page.dispatchEvent('#settings-form', 'change');
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 60_000 });
    assert.match(await page.textContent('#steps'), /rbkg 1\.3 Å/);
    // the server saw only GETs of its own files: the spectrum never left the browser
    assert.ok(requests.length > 0 && requests.every((l) => /^(GET|HEAD) /.test(l)), requests.join('\n'));
    assert.ok(!requests.some((l) => /Ni_foil/i.test(l)));
    await page.close();
  },
);

test(
  'app: a spectrum dropped on the page is processed (drag and drop)',
  { skip, timeout: 60_000 },
  async () => {
    const page = await context.newPage();
    await page.goto(srv!.url);
    const text = readFileSync(join(root, '..', 'shared', 'data', 'spectra', 'Cu_foil_LISA.xdi'), 'latin1');
    const dt = await page.evaluateHandle((t: string) => {
      const d = new DataTransfer();
      d.items.add(new File([t], 'Cu_foil_LISA.xdi', { type: 'text/plain' }));
      return d;
    }, text);
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, {
      timeout: 30_000,
    });
    assert.equal(
      await page.evaluate(() => document.body.dataset.state),
      'done',
      await page.textContent('#message'),
    );
    const res = (await page.evaluate('window.exafsnnResult')) as { e0: number; file: string };
    assert.equal(res.file, 'Cu_foil_LISA.xdi');
    assert.ok(Math.abs(res.e0 - 8979) < 3, `Cu E0 ${res.e0}`);
    assert.match(await page.textContent('#file-title'), /Cu K edge/);
    await page.close();
  },
);

test('app: an unreadable file gives a clear message', { skip, timeout: 60_000 }, async () => {
  const page = await context.newPage();
  await page.goto(srv!.url);
  const cases: { name: string; buffer: Buffer; expect: RegExp }[] = [
    { name: 'notes.txt', buffer: Buffer.from('hello\nthis is not a spectrum\n'), expect: /notes\.txt/ },
    { name: 'empty.xdi', buffer: Buffer.alloc(0), expect: /empty/i },
    {
      name: 'picture.png',
      buffer: Buffer.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
      ]),
      expect: /binary file/,
    },
  ];
  for (const c of cases) {
    await page.evaluate(() => (document.body.dataset.state = 'idle'));
    await page.setInputFiles('#file', {
      name: c.name,
      mimeType: 'application/octet-stream',
      buffer: c.buffer,
    });
    await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30_000 });
    const msg = (await page.textContent('#message')) as string;
    assert.match(msg, /^Could not read /, c.name);
    assert.match(msg, c.expect, `${c.name}: ${msg}`);
    assert.equal(await page.isVisible('#message'), true);
    assert.equal(await page.isVisible('#results'), false);
  }
  await page.close();
});

test(
  'app: without a model it still processes and says why there is no prediction',
  { skip, timeout: 60_000 },
  async () => {
    const bare = await startServer({ appDir, port: 0 });
    try {
      const page = await context.newPage();
      await page.goto(bare.url);
      await page.waitForFunction(
        () => /No model/.test(document.getElementById('model-info')?.textContent ?? ''),
        null,
        { timeout: 30_000 },
      );
      await page.setInputFiles('#file', spectrum);
      await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, {
        timeout: 30_000,
      });
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'done');
      assert.equal(await page.locator('#fig-mu svg').count(), 1);
      assert.equal(await page.locator('#fig-gr svg').count(), 0);
      assert.match(await page.textContent('#message'), /no structure prediction: no model is served/);
      await page.close();
    } finally {
      await bare.close();
    }
  },
);
