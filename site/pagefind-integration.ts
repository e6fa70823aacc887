/** Astro integration that indexes the built site with Pagefind; any Pagefind error fails the build. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';

function check(step: string, errors: readonly string[]): void {
  // Pagefind reports problems in an errors array instead of rejecting; a half-written index would ship
  // a search box that finds nothing, so treat any of them as fatal.
  if (errors.length > 0) throw new Error(`Pagefind ${step} failed:\n${errors.join('\n')}`);
}

export function pagefindIntegration(): AstroIntegration {
  return {
    name: 'afwd:pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        try {
          const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
          check('createIndex', errors);
          if (!index) throw new Error('Pagefind createIndex returned no index');
          const added = await index.addDirectory({ path: outDir });
          check('addDirectory', added.errors);
          const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
          check('writeFiles', written.errors);
          logger.info(`Pagefind indexed ${added.page_count} pages into ${written.outputPath}`);
        } finally {
          // The Node API talks to a long-lived pagefind binary; stop it so the build process can exit.
          await pagefind.close();
        }
      },
    },
  };
}
