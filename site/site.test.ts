// End-to-end: build the fixture snapshot with Astro + Pagefind, check the HTML, then search it in headless Chromium.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../lib/snapshot.ts';
import { buildSite, type BuildSiteResult } from './build.ts';
import { serveSite, type SiteServer } from './serve.ts';

const FIXTURE = join(import.meta.dirname, 'test-fixtures', 'snapshot.json');

interface Found {
  count: number;
  url: string;
  meta: Record<string, string>;
  filters: Record<string, Record<string, number>>;
}

describe('rankings site build', () => {
  let dir: string;
  let snapshot: Snapshot;
  let built: BuildSiteResult;
  let variant: BuildSiteResult;
  let badBuild: unknown;
  let progressLines = 0;

  // Builds are the slow part (~2-4 s each), so all three run at once, which also proves concurrent builds
  // into different outDirs keep their data apart.
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afwd-site-test-'));
    snapshot = JSON.parse(await readFile(FIXTURE, 'utf8')) as Snapshot;
    const variantSnapshot = structuredClone(snapshot);
    variantSnapshot.model.version = 'variant-9.9.9';
    variantSnapshot.asOfSeason = 2026;
    variantSnapshot.prospects = variantSnapshot.prospects.slice(0, 2);
    await writeFile(join(dir, 'variant.json'), JSON.stringify(variantSnapshot));
    const bad = structuredClone(snapshot) as unknown as { prospects: Array<Record<string, unknown>> };
    bad.prospects[3]!.confidence = 'Very High';
    await writeFile(join(dir, 'bad.json'), JSON.stringify(bad));

    [built, variant, badBuild] = await Promise.all([
      buildSite({ snapshotPath: FIXTURE, outDir: join(dir, 'out'), onProgress: () => progressLines++ }),
      buildSite({ snapshotPath: join(dir, 'variant.json'), outDir: join(dir, 'variant') }),
      buildSite({ snapshotPath: join(dir, 'bad.json'), outDir: join(dir, 'bad') }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    ]);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const page = (...path: string[]) => readFile(join(built.outDir, ...path), 'utf8');

  it('reports what it built', () => {
    expect(built.outDir).toBe(join(dir, 'out'));
    // Rankings page + one per prospect + 404.
    expect(built.pages).toBe(snapshot.prospects.length + 2);
    expect(built.durationMs).toBeGreaterThan(0);
    expect(progressLines).toBeGreaterThan(5);
    console.info(`site build: ${built.pages} pages in ${built.durationMs} ms (variant ${variant.durationMs} ms)`);
  });

  it('lists every prospect, with a link, on the rankings page', async () => {
    const html = await page('index.html');
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain('<caption');
    for (const p of snapshot.prospects) {
      expect(html).toContain(`<a href="/prospects/${p.slug}/">${p.name}</a>`);
    }
    expect(html).toContain('83.0%');
    expect(html).toContain('Unaffiliated');
    expect(html).toContain('xgb-fixture-1.2.0');
    expect(html).toMatch(/data through the <strong>2025<\/strong> season/);
    // Rankings page stays out of the search index: results should land on prospect pages.
    expect(html).not.toContain('data-pagefind-body');
  });

  it('writes a page per prospect, marked up for Pagefind', async () => {
    for (const p of snapshot.prospects) {
      const html = await page('prospects', p.slug, 'index.html');
      expect(html).toContain(`<h1 data-pagefind-meta="title">${p.name}</h1>`);
      expect(html).toContain('data-pagefind-body');
      expect(html).toContain(`data-pagefind-filter="organization">${p.organization?.name ?? 'Unaffiliated'}<`);
      expect(html).toContain(`data-pagefind-filter="position">${p.position}<`);
      expect(html).toContain(`data-pagefind-filter="level">${p.level}<`);
      expect(html).toContain(p.confidence);
    }
    const pitcher = await page('prospects', 'tobias-quintrell', 'index.html');
    expect(pitcher).toContain('Pitching by season and level');
    expect(pitcher).not.toContain('Hitting by season and level');
    expect(pitcher).toMatch(/\+\d+\.\d points/);
    expect(pitcher).toContain('52.2'); // 52.67 innings in box-score notation
    const hitter = await page('prospects', 'jaxon-hollander', 'index.html');
    expect(hitter).toContain('Hitting by season and level');
    expect(hitter).toContain('.281');
    expect(hitter).toMatch(/-\d+\.\d points/);
  });

  it('writes the Pagefind bundle and a 404 page', async () => {
    expect(existsSync(join(built.outDir, 'pagefind', 'pagefind.js'))).toBe(true);
    const entry = JSON.parse(await page('pagefind', 'pagefind-entry.json')) as {
      languages: Record<string, { page_count: number }>;
    };
    expect(entry.languages.en?.page_count).toBe(snapshot.prospects.length);
    expect(await page('404.html')).toContain('Page not found');
  });

  it('keeps concurrent builds of different snapshots apart', async () => {
    const html = await readFile(join(variant.outDir, 'index.html'), 'utf8');
    expect(html).toContain('variant-9.9.9');
    expect(html).not.toContain('xgb-fixture-1.2.0');
    expect(variant.pages).toBe(4);
    expect(await page('index.html')).not.toContain('variant-9.9.9');
  });

  it('fails on a malformed snapshot, naming the problem', () => {
    expect(badBuild).toBeInstanceOf(Error);
    const message = (badBuild as Error).message;
    expect(message).toContain('astro build failed');
    expect(message).toContain('bad.json');
    expect(message).toMatch(/prospects\[3\]\.confidence/);
  });

  it('refuses an outDir that would wipe the sources', async () => {
    await expect(buildSite({ snapshotPath: FIXTURE, outDir: join(import.meta.dirname, '..') })).rejects.toThrow(
      /contains the site sources/,
    );
  });

  it('stops when aborted or when onProgress throws', async () => {
    const outDir = join(dir, 'stopped');
    await expect(buildSite({ snapshotPath: FIXTURE, outDir, signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    const stop = new Error('heartbeat cancelled');
    await expect(
      buildSite({
        snapshotPath: FIXTURE,
        outDir,
        onProgress: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
  });

  describe('in a browser', () => {
    let server: SiteServer;
    let browser: Browser;

    beforeAll(async () => {
      server = await serveSite({ root: built.outDir });
      browser = await launchChromium();
    }, 30_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('finds a prospect by part of his name through the Pagefind API', async () => {
      const tab = await browser.newPage();
      await tab.goto(`${server.url}/`);
      // A string, not a function: vitest rewrites import() in test code into a helper the page lacks.
      const found = await tab.evaluate<Found>(`(async () => {
        const pf = await import('/pagefind/pagefind.js');
        const search = await pf.search('quintr');
        const first = await search.results[0].data();
        const filters = await pf.filters();
        return { count: search.results.length, url: first.url, meta: first.meta, filters };
      })()`);
      expect(found.count).toBe(1);
      expect(found.url).toBe('/prospects/tobias-quintrell/');
      expect(found.meta.title).toBe('Tobias Quintrell');
      expect(found.meta.summary).toContain('Pittsburgh Pirates');
      expect(Object.keys(found.filters.organization ?? {})).toContain('Seattle Mariners');
      expect(Object.keys(found.filters.level ?? {})).toContain('AAA');
      await tab.close();
    }, 30_000);

    it('shows results in the header search box and follows them', async () => {
      const tab = await browser.newPage();
      await tab.goto(`${server.url}/prospects/jaxon-hollander/`);
      await tab.getByLabel('Search prospects').fill('bellw');
      const result = tab.locator('[data-search-results] a', { hasText: 'Marco Bellweather' });
      await result.waitFor({ timeout: 10_000 });
      await result.click();
      await tab.waitForURL(`${server.url}/prospects/marco-bellweather/`);
      expect(await tab.locator('h1').textContent()).toBe('Marco Bellweather');
      await tab.close();
    }, 30_000);

    it('renders the rankings table without JavaScript', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const tab = await context.newPage();
      await tab.goto(`${server.url}/`);
      expect(await tab.locator('table.rankings tbody tr').count()).toBe(snapshot.prospects.length);
      expect(await tab.getByLabel('Search prospects').isVisible()).toBe(false);
      await context.close();
    }, 30_000);
  });
});
