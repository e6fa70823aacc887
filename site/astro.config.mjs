// Astro config for the static rankings site; build.ts passes the snapshot, output and cache dirs through env vars.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { defineConfig } from 'astro/config';
import { pagefindIntegration } from './pagefind-integration.ts';
import { pwaIntegration } from './pwa-integration.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.env.AFWD_SITE_OUT_DIR || join(root, 'dist');
// Per-build cache (content data store, assets): two builds sharing node_modules/.astro would read each other's data.
const cacheDir = process.env.AFWD_ASTRO_CACHE_DIR || undefined;

if (!process.env.AFWD_SNAPSHOT_PATH) {
  throw new Error('AFWD_SNAPSHOT_PATH is not set: point it at the published snapshot JSON file (absolute path).');
}

export default defineConfig({
  root,
  outDir,
  // Origin of canonical URLs, OpenGraph URLs and the sitemap.
  site: process.env.AFWD_SITE_URL || 'http://localhost:4321',
  ...(cacheDir ? { cacheDir, vite: { cacheDir: join(cacheDir, 'vite') } } : {}),
  output: 'static',
  // Directory pages (/prospects/x/index.html) with slash-terminated links work on any plain static file server.
  trailingSlash: 'always',
  // Four pages in flight overlap one page's file writes with the next one's rendering (5,000 pages: ~25% faster).
  build: { format: 'directory', concurrency: 4 },
  devToolbar: { enabled: false },
  // The PWA files first: Pagefind then indexes a complete folder.
  integrations: [pwaIntegration(), pagefindIntegration()],
});
