/**
 * `npm run catalog`: rewrites docs/features.md from the feature catalog in code.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.ts';
import { featureCatalogMarkdown } from '../training/catalog-doc.ts';

writeFileSync(path.join(REPO_ROOT, 'docs', 'features.md'), featureCatalogMarkdown());
console.log('docs/features.md written');
