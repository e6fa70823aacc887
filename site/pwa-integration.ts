/**
 * Astro integration for offline use: writes the PNG icons and a service worker whose precache holds the rankings
 * page and everything it loads, versioned by their content so each release replaces the last one's cache.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { iconPng } from './icons.ts';

/** Same-origin stylesheets and scripts a page loads, as absolute paths. */
export function pageAssets(html: string, base: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+)"[^>]*>/g)) {
    const tag = match[0];
    const url = match[1]!;
    if (!url.startsWith(base) || url.startsWith('//')) continue;
    if (tag.startsWith('<link') && !/\brel="(?:stylesheet|icon|manifest)"/.test(tag)) continue;
    found.add(url);
  }
  return [...found];
}

export function serviceWorker(version: string, precache: string[], base: string): string {
  return `// Generated at build time by site/pwa-integration.ts: offline copies of the last rankings.
const CACHE = ${JSON.stringify(`afwd-${version}`)};
const PRECACHE = ${JSON.stringify(precache)};
const OFFLINE = ${JSON.stringify(`${base}offline/`)};
const SEARCH = ${JSON.stringify(`${base}pagefind/`)};

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('afwd-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Pages: the network first, so a new release shows at once; the cached copy when offline.
async function page(event) {
  const cache = await caches.open(CACHE);
  const url = new URL(event.request.url);
  const key = url.origin + url.pathname;
  try {
    const response = await fetch(event.request);
    if (response.ok && response.type === 'basic') event.waitUntil(cache.put(key, response.clone()));
    return response;
  } catch (error) {
    return (await cache.match(key)) || (await cache.match(OFFLINE)) || Promise.reject(error);
  }
}

// Styles, scripts and icons: from this release's cache, else the network (and then cached).
async function asset(event) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(event.request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.ok && response.type === 'basic') event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith(SEARCH)) return;
  // The premium API (same origin behind the proxy) is private and live: never cached.
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/.well-known/')) return;
  event.respondWith(request.mode === 'navigate' ? page(event) : asset(event));
});
`;
}

export function pwaIntegration(): AstroIntegration {
  let base = '/';
  return {
    name: 'afwd:pwa',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        await writeFile(join(outDir, 'icon-192.png'), iconPng(192));
        await writeFile(join(outDir, 'icon-512.png'), iconPng(512));
        const home = await readFile(join(outDir, 'index.html'), 'utf8');
        const offline = await readFile(join(outDir, 'offline', 'index.html'), 'utf8');
        const assets = [...new Set([...pageAssets(home, base), ...pageAssets(offline, base)])].sort();
        const precache = [base, `${base}offline/`, ...assets, `${base}icon-192.png`];
        const hash = createHash('sha256');
        for (const path of precache) {
          const file = path.endsWith('/') ? join(path.slice(base.length), 'index.html') : path.slice(base.length);
          hash.update(path).update(await readFile(join(outDir, file)));
        }
        const version = hash.digest('hex').slice(0, 16);
        await writeFile(join(outDir, 'sw.js'), serviceWorker(version, precache, base));
        logger.info(`service worker ${version} precaches ${precache.length} files`);
      },
    },
  };
}
