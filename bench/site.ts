/**
 * Benchmark of the public site at full scale: a generated snapshot of about 5,000 current prospects (the realistic
 * upper bound), built with Astro and indexed with Pagefind; then the rankings page's compressed weight, and in
 * Chromium on localhost its largest contentful paint and the time from typing in the search box to results.
 */
import { readFile, rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { buildSite } from '../site/build.ts';
import { pageAssets } from '../site/pwa-integration.ts';
import { serveSite } from '../site/serve.ts';
import { generateSnapshot, serializeSnapshot } from '../site/test-fixtures/generate-snapshot.ts';
import { launchChromium } from '../test/browser.ts';
import type { BenchContext } from './context.ts';
import { maxOf } from '../site/extremes.ts';

const PROSPECTS = Number(process.env.BENCH_SITE_PROSPECTS ?? 5000);
const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const line = (label: string, value: string) => console.log(`    ${label.padEnd(34)}${value}`);

/** gzip (level 6, as serve.ts sends it) of the rankings page and the CSS and JavaScript it loads. */
async function pageWeight(outDir: string): Promise<{ total: number; parts: string[] }> {
  const html = await readFile(join(outDir, 'index.html'));
  const files = ['/', ...pageAssets(html.toString('utf8'), '/').filter((a) => /\.(css|js)$/.test(a))];
  const parts: string[] = [];
  let total = 0;
  for (const file of files) {
    const body = file === '/' ? html : await readFile(join(outDir, file));
    const size = gzipSync(body, { level: 6 }).length;
    total += size;
    parts.push(`${file} ${(size / 1024).toFixed(1)}`);
  }
  return { total, parts };
}

/** Largest contentful paint of a cold load (fresh context: no HTTP cache, no service worker). */
async function largestContentfulPaint(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const lcp = await page.evaluate<number>(`new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      setTimeout(() => resolve(entries[entries.length - 1].startTime), 300);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  })`);
  await context.close();
  return lcp;
}

/**
 * Milliseconds from the last keystroke of `query` to the results list showing that query's results, measured in
 * the page. The first search of a page load also fetches Pagefind's script, WebAssembly and index chunks.
 */
async function searchLatency(browser: Browser, url: string, queries: string[]): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const input = page.getByLabel('Search prospects');
  const times: number[] = [];
  for (const query of queries) {
    await input.fill('');
    await page.evaluate(`(() => {
      const input = document.getElementById('search-input');
      const list = document.querySelector('[data-search-results]');
      window.__bench = { last: 0, done: 0 };
      input.addEventListener('input', () => { window.__bench.last = performance.now(); });
      const check = () => {
        if (!window.__bench.done && list.dataset.query === ${JSON.stringify(query)} && list.querySelector('a')) {
          window.__bench.done = performance.now();
        }
      };
      new MutationObserver(check).observe(list, { childList: true, attributes: true });
    })()`);
    await input.click();
    await page.keyboard.type(query);
    await page.waitForFunction('window.__bench.done > 0', undefined, { timeout: 30_000 });
    times.push(await page.evaluate<number>('window.__bench.done - window.__bench.last'));
  }
  await context.close();
  return times;
}

export async function benchSite(_ctx: BenchContext): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'afwd-bench-site-'));
  try {
    const snapshot = generateSnapshot({ count: PROSPECTS, seed: 11 });
    const snapshotPath = join(dir, 'snapshot.json');
    await writeFile(snapshotPath, serializeSnapshot(snapshot));
    const built = await buildSite({ snapshotPath, outDir: join(dir, 'site') });
    console.log(`  site of ${PROSPECTS} prospects (${built.pages} pages):`);
    line('build + Pagefind index', `${(built.durationMs / 1000).toFixed(1)} s`);
    const weight = await pageWeight(built.outDir);
    line('rankings page, gzip', `${(weight.total / 1024).toFixed(1)} KB (${weight.parts.join(' + ')} KB)`);

    const server = await serveSite({ root: built.outDir });
    const browser = await launchChromium();
    try {
      const lcps: number[] = [];
      for (let i = 0; i < RUNS; i++) lcps.push(await largestContentfulPaint(browser, `${server.url}/`));
      line(
        'rankings page LCP, Chromium',
        `${median(lcps).toFixed(0)} ms median of ${RUNS} cold loads (max ${maxOf(lcps).toFixed(0)})`,
      );
      // Part of a name: the first five letters of first and last name of prospects down the list.
      const queries = [1, 700, 2300, 4100].map((rank) => {
        const p = snapshot.prospects[Math.min(rank, snapshot.prospects.length) - 1]!;
        const [first = '', last = ''] = p.name.toLowerCase().split(' ');
        return `${first.slice(0, 5)} ${last.slice(0, 5)}`;
      });
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < 3; i++) {
        const [first, ...rest] = await searchLatency(browser, `${server.url}/`, queries);
        cold.push(first!);
        for (const t of rest) warm.push(t);
      }
      line(
        'search, first query of a visit',
        `${median(cold).toFixed(0)} ms median, from the last keystroke to results`,
      );
      line('search, later queries', `${median(warm).toFixed(0)} ms median (max ${maxOf(warm).toFixed(0)})`);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
