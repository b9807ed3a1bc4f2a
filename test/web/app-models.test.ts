/**
 * The browser app chooses the model for each spectrum's element (src/util/modelChoice.ts, the
 * rule `predict` uses) among the models the server offers at /models/NAME/, and the model menu
 * overrides it. Headless Chromium as in app.test.ts (skips with the reason when it is missing).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/report/server.js';
import { packageRoot } from '../../src/util/packagePaths.js';
import { makeTinyModel } from './tiny-model.js';
import { CHROMIUM, launchChromium, openApp, waitForResult } from './chromium.js';

const root = packageRoot();
const spectrum = join(root, 'data', 'spectra', 'Ni_foil_LISA_300K.xdi');
const appDir = join(root, 'dist', 'web');
const skip = !existsSync(CHROMIUM)
  ? `Chromium not found at ${CHROMIUM}`
  : !existsSync(join(appDir, 'app.js'))
    ? `the browser app is not built (${appDir}/app.js)`
    : false;

let tmp = '';
let srv: RunningServer | null = null;
const requests: string[] = [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let context: any = null;

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(join(tmpdir(), 'exafsnn-app-models-'));
  const cu = await makeTinyModel(join(tmp, 'cu-k'));
  const ni = await makeTinyModel(join(tmp, 'ni-k'));
  srv = await startServer({
    appDir,
    modelDir: cu, // the default before a spectrum is read: not the Ni model
    models: [
      { name: 'cu-k', dir: cu, element: 'Cu', edge: 'K' },
      { name: 'ni-k', dir: ni, element: 'Ni', edge: 'K' },
    ],
    port: 0,
    config: { model_name: 'cu-k' },
    log: (l) => requests.push(l),
  });
  context = await launchChromium(join(tmp, 'profile'));
});

after(async () => {
  await context?.close();
  await srv?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test(
  'app: a Ni spectrum is predicted with the Ni model; the menu picks another',
  { skip, timeout: 120_000 },
  async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    await openApp(page, srv!.url);
    await page.setInputFiles('#file', spectrum);
    await waitForResult(page);
    assert.equal(
      await page.evaluate(() => document.body.dataset.state),
      'done',
      await page.textContent('#message'),
    );
    assert.match(await page.textContent('#model-info'), /Model ni-k \(chosen for Ni K\)/);
    assert.ok(
      requests.some((l) => l.includes('/models/ni-k/model.json')),
      'the Ni model was fetched',
    );
    // the menu lists both; choosing cu-k analyses the file again with it
    const options = await page.$$eval('#model-select option', (os: HTMLOptionElement[]) =>
      os.map((o) => o.value),
    );
    assert.deepEqual(options, ['', 'cu-k', 'ni-k']);
    await page.evaluate(() => (document.body.dataset.state = 'loading'));
    await page.selectOption('#model-select', 'cu-k');
    await waitForResult(page);
    assert.match(await page.textContent('#model-info'), /Model cu-k \(chosen in the menu\)/);
    assert.deepEqual(errors, []);
  },
);
