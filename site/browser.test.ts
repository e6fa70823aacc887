// End-to-end in headless Chromium on the served fixture site: search, filters, sorting, the team switch, prospect
// pages, every page on a phone, every internal link, keyboard, contrast, no JavaScript, and offline.
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, pagefindSearch } from '../test/browser.ts';
import type { Snapshot } from '../lib/snapshot.ts';
import { buildSite } from './build.ts';
import { dynastyValue, TEAM_MODES } from './dynasty.ts';
import { serveSite, type SiteServer } from './serve.ts';
import { FIXTURE_PATH } from './test-fixtures/generate-snapshot.ts';
import {
  contrastFailures,
  crawl,
  focusedName,
  horizontalOverflow,
  serviceWorkerControls,
  unlabelledControls,
  unnamedImages,
  visibleRankingRows,
} from './test-support.ts';

const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('rankings site in a browser', () => {
  let dir: string;
  let outDir: string;
  let snapshot: Snapshot;
  let server: SiteServer;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afwd-site-browser-'));
    outDir = join(dir, 'site');
    snapshot = JSON.parse(await readFile(FIXTURE_PATH, 'utf8')) as Snapshot;
    [, browser] = await Promise.all([
      buildSite({ snapshotPath: FIXTURE_PATH, outDir }),
      launchChromium(),
      mkdir(ARTIFACTS, { recursive: true }),
    ]);
    server = await serveSite({ root: outDir });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A page in a fresh context that records console errors and uncaught exceptions. */
  async function open(path: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, ...options });
    const tab = await context.newPage();
    tab.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${tab.url()}: ${message.text()}`);
    });
    tab.on('pageerror', (error) => consoleErrors.push(`${tab.url()}: ${error.message}`));
    await tab.goto(`${server.url}${path}`);
    return tab;
  }
  const close = (tab: Page) => tab.context().close();
  const bySlug = (name: string) => snapshot.prospects.find((p) => p.name === name)!;
  const visibleRows = (tab: Page) => tab.evaluate(visibleRankingRows);

  it('finds a prospect from part of his name and opens his page', async () => {
    const tab = await open('/');
    await tab.getByLabel('Search prospects').fill('quintr');
    const result = tab.locator('[data-search-results] a', { hasText: 'Tobias Quintrell' });
    await result.waitFor({ timeout: 10_000 });
    expect(await tab.locator('[data-search-results] li').count()).toBe(1);
    await result.click();
    await tab.waitForURL(`${server.url}/prospects/${bySlug('Tobias Quintrell').slug}/`);
    expect(await tab.locator('h1').textContent()).toBe('Tobias Quintrell');
    await close(tab);

    const found = await pagefindSearch(browser, `${server.url}/`, 'bellw');
    expect(found[0]).toEqual({ url: `/prospects/${bySlug('Marco Bellweather').slug}/`, title: 'Marco Bellweather' });
    const mariners = await pagefindSearch(browser, `${server.url}/`, 'mariners');
    expect(mariners.map((r) => r.url)).toContain('/organizations/seattle-mariners/');
    expect(mariners.some((r) => r.url.startsWith('/prospects/'))).toBe(true);
    const shortstops = await pagefindSearch(browser, `${server.url}/`, 'shortstop');
    expect(shortstops.map((r) => r.url)).toContain('/positions/ss/');
  }, 60_000);

  it('declares Pagefind filters in the markup that the index serves', async () => {
    const tab = await open('/');
    // A string, not a function: vitest rewrites import() in test code into a helper the page lacks.
    const filters = await tab.evaluate<Record<string, Record<string, number>>>(`(async () => {
      const pf = await import('/pagefind/pagefind.js');
      return pf.filters();
    })()`);
    expect(Object.keys(filters).sort()).toEqual(['eta', 'level', 'organization', 'position', 'type']);
    expect(filters.type).toMatchObject({ Hitter: expect.any(Number), Pitcher: expect.any(Number), Organization: 8 });
    expect(Object.keys(filters.organization ?? {})).toContain('Seattle Mariners');
    const pitchers = await tab.evaluate<number>(`(async () => {
      const pf = await import('/pagefind/pagefind.js');
      return (await pf.search(null, { filters: { type: 'Pitcher', level: 'AA' } })).results.length;
    })()`);
    expect(pitchers).toBe(snapshot.prospects.filter((p) => p.isPitcher && p.level === 'AA').length);
    await close(tab);
  }, 30_000);

  it('filters narrow the rankings, sorting reorders them and the team switch re-discounts', async () => {
    const tab = await open('/');
    const count = tab.locator('[data-count]');
    expect(await count.textContent()).toBe('Showing 40 of 40 prospects');
    await tab.getByLabel('Position').selectOption('P');
    const pitchers = await visibleRows(tab);
    expect(pitchers.length).toBe(snapshot.prospects.filter((p) => p.position === 'P').length);
    expect(pitchers.every((r) => r.pos === 'P')).toBe(true);
    await tab.getByLabel('Organization').selectOption({ label: 'Seattle Mariners' });
    const both = await visibleRows(tab);
    expect(both.length).toBe(snapshot.prospects.filter((p) => p.position === 'P' && p.organization?.id === 136).length);
    expect(await count.textContent()).toBe(`Showing ${both.length} of 40 prospects`);
    await tab.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => count.textContent()).toBe('Showing 40 of 40 prospects');

    await tab.getByLabel('Hitters or pitchers').selectOption('h');
    await tab.getByLabel('Sort by').selectOption('eta');
    const byEta = (await visibleRows(tab)).map((r) => (r.eta ? Number(r.eta) : Infinity));
    expect(byEta.length).toBe(snapshot.prospects.filter((p) => !p.isPitcher).length);
    expect(byEta).toEqual([...byEta].sort((a, b) => a - b));
    expect(await tab.locator('th[data-col="eta"]').getAttribute('aria-sort')).toBe('ascending');
    await tab.getByLabel('Hitters or pitchers').selectOption('');

    const contending = TEAM_MODES.find((m) => m.id === 'contending')!;
    await tab.getByLabel('Contending').check();
    expect(await tab.getByLabel('Sort by').inputValue()).toBe('value');
    const rows = await visibleRows(tab);
    const expected = snapshot.prospects
      .map((p) => ({
        name: p.name,
        value: dynastyValue({ probability: p.probability, ...p.dynasty }, contending.discount),
      }))
      .sort((a, b) => b.value - a.value);
    expect(rows.map((r) => r.name)).toEqual(expected.map((e) => e.name));
    expect(rows.map((r) => r.value)).toEqual(expected.map((e) => e.value.toFixed(1)));
    expect(tab.url()).toBe(`${server.url}/?sort=value&mode=contending`);

    // The view is in the address: a reload (or a shared link) restores it.
    await tab.reload();
    expect(await tab.getByLabel('Contending').isChecked()).toBe(true);
    expect((await visibleRows(tab)).map((r) => r.name)).toEqual(expected.map((e) => e.name));
    await tab.getByLabel('Balanced').check();
    const balanced = await visibleRows(tab);
    const shown = new Map(snapshot.prospects.map((p) => [p.name, p.dynasty.value.toFixed(1)]));
    expect(balanced.map((r) => r.value)).toEqual(balanced.map((r) => shown.get(r.name)));
    await close(tab);
  }, 60_000);

  it('shows a prospect page with its charts and SHAP explanation, and saves screenshots', async () => {
    const p = bySlug('Jaxon Hollander');
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const tab = await open(`/prospects/${p.slug}/`, { viewport });
      const charts = tab.locator('svg[role="img"]');
      expect(await charts.count()).toBe(1 + (p.stats.length ? 3 : 0) + 2);
      const waterfall = tab.getByRole('img', {
        name: /What moves Jaxon Hollander from the average prospect to 83\.0%/,
      });
      expect(await waterfall.isVisible()).toBe(true);
      expect(await tab.locator('#shap-waterfall-desc').textContent()).toMatch(/ending at 83\.0%/);
      expect(await tab.locator('.narrative li').allTextContents()).toEqual(p.narrative);
      expect(await tab.getByRole('img', { name: 'Overall rank, run by run' }).isVisible()).toBe(true);
      expect(await tab.getByRole('heading', { name: 'What the confidence rests on' }).isVisible()).toBe(true);
      await tab.screenshot({ path: join(ARTIFACTS, `site-prospect-${label}.png`), fullPage: true });
      await close(tab);

      const home = await open('/', { viewport });
      await home.screenshot({ path: join(ARTIFACTS, `site-rankings-${label}.png`), fullPage: true });
      await close(home);
    }
  }, 60_000);

  it('renders every page on a phone without horizontal scroll, with labelled controls and named charts', async () => {
    const files = (await readdir(outDir, { recursive: true })).filter(
      (f) => f.endsWith('.html') && !f.startsWith('pagefind'),
    );
    const paths = files.map((f) => `/${f.replace(/index\.html$/, '').replace(/^404\.html$/, 'no-such-page/')}`);
    const context = await browser.newContext({ viewport: PHONE });
    const errors: string[] = [];
    const problems: string[] = [];
    // Three tabs at a time: one page per file of the site.
    const queue = [...paths];
    const worker = async () => {
      const tab = await context.newPage();
      tab.on('console', (m) => {
        if (m.type() === 'error') errors.push(`${tab.url()}: ${m.text()}`);
      });
      tab.on('pageerror', (e) => errors.push(`${tab.url()}: ${e.message}`));
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        const response = await tab.goto(`${server.url}${path}`);
        if (response?.status() !== (path === '/no-such-page/' ? 404 : 200))
          problems.push(`${path}: ${response?.status()}`);
        if ((await tab.getAttribute('html', 'lang')) !== 'en') problems.push(`${path}: no lang="en"`);
        const overflow = await tab.evaluate(horizontalOverflow);
        if (overflow > 0) problems.push(`${path}: ${overflow}px of horizontal scroll`);
        for (const control of await tab.evaluate(unlabelledControls)) problems.push(`${path}: unlabelled ${control}`);
        for (const image of await tab.evaluate(unnamedImages)) problems.push(`${path}: image without a name: ${image}`);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    await context.close();
    expect(problems).toEqual([]);
    // The 404 page's own status is the one expected error.
    expect(errors.filter((e) => !e.includes('/no-such-page/'))).toEqual([]);
    expect(paths.length).toBeGreaterThan(snapshot.prospects.length);
  }, 90_000);

  it('resolves every internal link of the site', async () => {
    const { visited, broken } = await crawl(server.url, [
      '/',
      '/sitemap.xml',
      '/sw.js',
      '/manifest.webmanifest',
      '/offline/',
    ]);
    expect(broken).toEqual([]);
    const pages = (await readdir(outDir, { recursive: true }))
      .filter((f) => f.endsWith('index.html') && !f.startsWith('pagefind'))
      .map((f) => `/${f.replace(/index\.html$/, '')}`);
    for (const path of pages) expect(visited.has(path), path).toBe(true);
  }, 60_000);

  it('meets WCAG AA text contrast', async () => {
    const compare = `/compare/?ids=${bySlug('Tobias Quintrell').playerId},${bySlug('Jaxon Hollander').playerId}`;
    for (const path of [
      '/',
      `/prospects/${bySlug('Tobias Quintrell').slug}/`,
      '/methodology/',
      '/movers/',
      '/account/',
      compare,
    ]) {
      const tab = await open(path);
      if (path === compare) await tab.locator('[data-head] th[data-player]').nth(1).waitFor();
      expect(await tab.evaluate(contrastFailures), path).toEqual([]);
      await close(tab);
    }
  }, 30_000);

  it('is keyboard navigable: skip link first, then the sections and the search box', async () => {
    const tab = await open('/');
    const focused = () => tab.evaluate(focusedName);
    await tab.keyboard.press('Tab');
    expect(await focused()).toBe('skip-link');
    const order: string[] = [];
    for (let i = 0; i < 9; i++) {
      await tab.keyboard.press('Tab');
      order.push(await focused());
    }
    expect(order).toEqual([
      'site-name',
      'Rankings',
      'Organizations',
      'Positions',
      'Risers & fallers',
      'Methodology',
      'Compare',
      'Account',
      'search-input',
    ]);
    await tab.keyboard.type('hollan');
    await tab.locator('[data-search-results] a').first().waitFor({ timeout: 10_000 });
    await tab.keyboard.press('ArrowDown');
    expect(await focused()).toBe('Jaxon Hollander');
    await tab.keyboard.press('Enter');
    await tab.waitForURL(/\/prospects\/jaxon-hollander-/);
    await close(tab);
  }, 30_000);

  it('renders the rankings table without JavaScript', async () => {
    const tab = await open('/', { javaScriptEnabled: false });
    expect(await tab.locator('table.rankings tbody tr').count()).toBe(snapshot.prospects.length);
    expect(await tab.getByLabel('Search prospects').isVisible()).toBe(false);
    expect(await tab.locator('[data-controls]').isVisible()).toBe(false);
    await close(tab);
  }, 30_000);

  it('keeps prospect pages whole without JavaScript and says what the account pages need it for', async () => {
    const p = bySlug('Jaxon Hollander');
    const tab = await open(`/prospects/${p.slug}/`, { javaScriptEnabled: false });
    // The star is a link to log in (coming back here), the Compare link a plain link.
    const login = tab.getByRole('link', { name: 'Log in to watch' });
    expect(await login.getAttribute('href')).toBe(`/account/?next=${encodeURIComponent(`/prospects/${p.slug}/`)}`);
    expect(await tab.getByRole('button', { name: /Watch/ }).count()).toBe(0);
    expect(await tab.getByRole('link', { name: 'Compare', exact: true }).last().getAttribute('href')).toBe(
      `/compare/?ids=${p.playerId}`,
    );
    expect(await tab.getByRole('img', { name: /What moves Jaxon Hollander/ }).isVisible()).toBe(true);
    for (const path of ['/account/', '/account/reset/', '/account/data/', '/watchlist/', '/fantrax/', '/compare/']) {
      await tab.goto(`${server.url}${path}`);
      expect(await tab.locator('[data-no-js]').isVisible(), path).toBe(true);
      expect(await tab.locator('[data-no-js]').textContent(), path).toMatch(/needs JavaScript/);
      // No form that could send a password in a query string.
      expect(await tab.locator('input[type="password"]:visible').count(), path).toBe(0);
    }
    await close(tab);
  }, 30_000);

  it('opens the last rankings offline through the service worker', async () => {
    const offlineServer = await serveSite({ root: outDir });
    const context = await browser.newContext({ viewport: DESKTOP });
    const tab = await context.newPage();
    try {
      const p = bySlug('Marco Bellweather');
      await tab.goto(`${offlineServer.url}/`);
      await tab.waitForFunction(serviceWorkerControls, undefined, { timeout: 15_000 });
      await tab.goto(`${offlineServer.url}/prospects/${p.slug}/`);
      await offlineServer.close();
      await tab.goto(`${offlineServer.url}/`);
      expect(await tab.locator('#rankings tbody tr').count()).toBe(snapshot.prospects.length);
      expect(await tab.locator('[data-controls]').isVisible()).toBe(true);
      await tab.goto(`${offlineServer.url}/prospects/${p.slug}/`);
      expect(await tab.locator('h1').textContent()).toBe(p.name);
      await tab.goto(`${offlineServer.url}/methodology/`);
      expect(await tab.locator('h1').textContent()).toBe('You are offline');
    } finally {
      await context.close();
      await offlineServer.close().catch(() => {});
    }
  }, 60_000);

  it('logged no console errors on any page visited', () => {
    expect(consoleErrors).toEqual([]);
  });
});
