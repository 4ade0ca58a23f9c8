// Shared set-up of the browser tests: where the server is (environment), how Chromium is
// started on this machine (Debian's /usr/bin/chromium through playwright-core; `npx playwright
// install` cannot download browsers here), and where screenshots go.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

/** Server and account under test; `url` is '' when KAIGO_E2E_URL is not set (tests skip). */
export const target = {
  url: (process.env.KAIGO_E2E_URL ?? '').replace(/\/$/, ''),
  user: process.env.KAIGO_E2E_USER ?? 'demo',
  password: process.env.KAIGO_E2E_PASSWORD ?? '',
  kana: process.env.KAIGO_E2E_KANA ?? '',
};

export const shotsDir = process.env.KAIGO_E2E_SHOTS || mkdtempSync(join(tmpdir(), 'kaigo-e2e-shots-'));
mkdirSync(shotsDir, { recursive: true });

// The flags machine-notes.md lists for Debian's chromium in a container. Each launch() gets a
// new, empty profile directory from Playwright (it passes --user-data-dir itself).
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({ executablePath: process.env.KAIGO_E2E_CHROMIUM || '/usr/bin/chromium', args: ARGS });
}

/** A fresh page (no cookies) at 1280×800, the size the UI is designed for. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** Screenshot into KAIGO_E2E_SHOTS; returns the path so a failure message can point at it. */
export async function shot(page, name, fullPage = false) {
  const path = join(shotsDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

export async function login(page, user, password) {
  await page.goto(`${target.url}/`);
  await page.locator('#login-user').fill(user);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
}

/**
 * Inside a describe(): checks the environment, starts Chromium before the suite's tests and
 * closes it after them. Returns a holder whose `browser` is set once the suite runs.
 */
export function useBrowser() {
  const holder = { browser: undefined };
  before(async () => {
    assert.ok(target.password, 'KAIGO_E2E_PASSWORD must be set');
    assert.ok(target.kana, 'KAIGO_E2E_KANA must be set');
    holder.browser = await launch();
  });
  after(async () => {
    await holder.browser?.close();
    console.log(`screenshots: ${shotsDir}`);
  });
  return holder;
}
