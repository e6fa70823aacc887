/**
 * Debian's Chromium driven by playwright-core, started the way this closed network needs
 * (no background connections, no sandbox as root, a fresh profile).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (npm test does this as root)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Runs a Pagefind search inside the served site, as its own search box does. */
export async function pagefindSearch(
  browser: Browser,
  siteUrl: string,
  query: string,
): Promise<{ url: string; title: string }[]> {
  const page = await browser.newPage();
  try {
    await page.goto(siteUrl);
    // A string, not a function: vitest rewrites import() in test code into a helper the page lacks.
    return await page.evaluate<{ url: string; title: string }[]>(`(async () => {
      const pagefind = await import('/pagefind/pagefind.js');
      const search = await pagefind.search(${JSON.stringify(query)});
      return Promise.all(search.results.slice(0, 10).map(async (r) => {
        const d = await r.data();
        return { url: d.url, title: d.meta.title ?? '' };
      }));
    })()`);
  } finally {
    await page.close();
  }
}
