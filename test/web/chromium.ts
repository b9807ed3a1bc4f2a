/**
 * Headless Chromium for the browser-app tests (Debian's /usr/bin/chromium or $CHROMIUM_PATH,
 * driven by playwright-core), and the waits every app test needs.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A persistent headless context in `profileDir` (no network beyond the test server). */
export async function launchChromium(
  profileDir: string,
  opts: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    ...opts,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Open the app and wait until its model is loaded. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function openApp(page: any, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('model-info')?.dataset.ready === 'true', null, {
    timeout: 60_000,
  });
}

/** Wait until the app has finished with the current file(s) ('done' or 'error'). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function waitForResult(page: any): Promise<void> {
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, {
    timeout: 60_000,
  });
}
