import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Layout } from '../src/core/paths.js';
import { openServe, type Serving } from '../src/serve/app.js';
import { cli } from './helpers/cli.js';
import { deliverGreeting } from './helpers/deliveredBranch.js';
import { fleetProject } from './helpers/fleet.js';
import { git } from './helpers/tmp.js';

const CHROMIUM = '/usr/bin/chromium';
const KEY = 'board-test-key';
const haveChromium = existsSync(CHROMIUM);
// CI installs chromium (.ci/run); elsewhere a machine without it skips these tests, and says why.
if (!haveChromium && process.env.CI !== 'true') {
  console.warn(`serve.board.test.ts skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
}

/** A project with an implementer and one branch delivered to the local review queue. */
async function project(): Promise<{ layout: Layout; reviewId: string }> {
  const layout = await fleetProject('review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n');
  const task = await deliverGreeting(layout);
  return { layout, reviewId: `REV-${task.id}` };
}

interface Board {
  layout: Layout;
  reviewId: string;
  page: Page;
  consoleErrors: string[];
}

describe.skipIf(!haveChromium && process.env.CI !== 'true')('the board in headless Chromium', () => {
  let browser: Browser;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** A project served by `tickfleet serve`'s own routes, and the board open on it, live. */
  async function openBoard(): Promise<Board> {
    const { layout, reviewId } = await project();
    const serving: Serving = await openServe(layout, { port: 0, env: { TICKFLEET_API_KEY: KEY } });
    closers.push(() => serving.close());
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    closers.push(() => page.close());
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    await page.goto(serving.url);
    await page.locator('#live.on').waitFor();
    await page.locator(`#reviews li[data-review="${reviewId}"]`).waitFor();
    return { layout, reviewId, page, consoleErrors };
  }

  it('loads with no console errors and shows the fleet', async () => {
    const { page, consoleErrors } = await openBoard();
    await page.locator('#agents tr[data-agent="impl-1"]').waitFor();
    expect(await page.locator('#agents tr[data-agent="impl-1"] td').nth(1).textContent()).toMatch(/\w/);
    expect(consoleErrors).toEqual([]);
  });

  it('shows a task enqueued through the CLI within 2 s, without a reload', async () => {
    const { page, layout } = await openBoard();
    await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 1;
    });
    const { code, stdout, stderr } = await cli([
      '-C',
      layout.root,
      'enqueue',
      'Show me on the board',
      '--role',
      'implement',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const id = /TASK-[0-9a-f]{8}/.exec(stdout)![0];
    await page.locator(`#tasks tr[data-task="${id}"]`).waitFor({ timeout: 2_000 });
    // Still the same page: the row came from the event stream, not a reload.
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    // The README's picture is refreshed on request only, so a test run leaves the checkout as it was.
    const shot = process.env.UPDATE_BOARD_SCREENSHOT
      ? path.resolve(import.meta.dirname, '../docs/board.png')
      : path.join(layout.root, 'board.png');
    mkdirSync(path.dirname(shot), { recursive: true });
    const png = await page.screenshot({ path: shot, fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('says why an approve without the key is refused, and approves with it', async () => {
    const { page, layout, reviewId } = await openBoard();
    const review = page.locator(`#reviews li[data-review="${reviewId}"]`);
    await review.getByRole('button', { name: 'approve' }).click();
    await expect
      .poll(() => page.locator('#notice').textContent())
      .toContain('401: POST /reviews/:id/approve is a write: send the key');
    expect(await page.locator('#notice').textContent()).toContain('enter the API key at the top');

    await page.locator('#key').fill(KEY);
    await page.getByRole('button', { name: 'Save' }).click();
    await review.getByRole('button', { name: 'approve' }).click();
    await expect
      .poll(() => page.locator('#notice').textContent(), { timeout: 20_000 })
      .toContain(`done: POST /reviews/${reviewId}/approve`);
    await review.waitFor({ state: 'detached' });
    expect(git(layout.root, 'show', 'main:greeting.txt')).toBe('hello');
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem(
          'tickfleet.key',
        ),
      ),
    ).toBe(KEY);
  });
});
