/**
 * Debian's Chromium driven by playwright-core, started the way this closed network needs
 * (no background connections, no sandbox as root, a fresh profile).
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Runs a Pagefind search inside the served site, as its own search box does. */
export async function pagefindSearch(browser: Browser, siteUrl: string, query: string): Promise<{ url: string; title: string }[]> {
  const page = await browser.newPage();
  try {
    await page.goto(siteUrl);
    return await page.evaluate(async (q) => {
      const pagefind = await import(/* @vite-ignore */ `${location.origin}/pagefind/pagefind.js`);
      const search = await pagefind.search(q);
      return Promise.all(search.results.slice(0, 10).map(async (r: { data(): Promise<{ url: string; meta: { title?: string } }> }) => {
        const d = await r.data();
        return { url: d.url, title: d.meta.title ?? '' };
      }));
    }, query);
  } finally {
    await page.close();
  }
}
