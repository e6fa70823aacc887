/** Astro integration that indexes the built site with Pagefind; any Pagefind error fails the build. */
import { readdir, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';

const BATCH = 32;

function check(step: string, errors: readonly string[]): void {
  // Pagefind reports problems in an errors array instead of rejecting; a half-written index would ship
  // a search box that finds nothing, so treat any of them as fatal.
  if (errors.length > 0) throw new Error(`Pagefind ${step} failed:\n${errors.join('\n')}`);
}

/** "prospects/x/index.html" -> "/prospects/x/", as Pagefind itself would map it. */
export function pageUrl(file: string, base = '/'): string {
  const path = file.split(sep).join('/');
  return `${base}${path.endsWith('index.html') ? path.slice(0, -'index.html'.length) : path}`;
}

/**
 * What Pagefind needs of a page: the page without its charts and tables. On this site those never hold searchable
 * text (they sit in data-pagefind-ignore regions), and they are most of a prospect page's bytes, so handing
 * Pagefind the rest makes indexing thousands of pages much faster without changing the index. The filters, meta
 * and sort keys stay declared in the markup Pagefind reads.
 */
export function indexableHtml(html: string): string {
  return html.replace(/<svg\b[\s\S]*?<\/svg>/g, '').replace(/<table\b[\s\S]*?<\/table>/g, '');
}

export function pagefindIntegration(): AstroIntegration {
  let base = '/';
  return {
    name: 'afwd:pagefind',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        try {
          const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
          check('createIndex', errors);
          if (!index) throw new Error('Pagefind createIndex returned no index');
          const files = (await readdir(outDir, { recursive: true })).filter(
            (f) => f.endsWith('.html') && !f.startsWith(`pagefind${sep}`),
          );
          let added = 0;
          for (let i = 0; i < files.length; i += BATCH) {
            await Promise.all(
              files.slice(i, i + BATCH).map(async (file) => {
                const html = await readFile(join(outDir, file), 'utf8');
                // Pages without a data-pagefind-body element are left out of the index by Pagefind anyway
                // (the rankings, lists and methodology); skip sending them.
                if (!html.includes('data-pagefind-body')) return;
                const result = await index.addHTMLFile({ url: pageUrl(file, base), content: indexableHtml(html) });
                check(`addHTMLFile ${file}`, result.errors);
                added++;
              }),
            );
          }
          if (added === 0) throw new Error('Pagefind found no page marked data-pagefind-body');
          const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
          check('writeFiles', written.errors);
          logger.info(`Pagefind indexed ${added} pages into ${written.outputPath}`);
        } finally {
          // The Node API talks to a long-lived pagefind binary; stop it so the build process can exit.
          await pagefind.close();
        }
      },
    },
  };
}
