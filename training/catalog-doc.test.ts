import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.ts';
import { FEATURE_CATALOG } from './feature-catalog.ts';
import { featureCatalogMarkdown } from './catalog-doc.ts';

describe('docs/features.md', () => {
  it('is the catalog generated from the code (run `npm run catalog` after changing a feature)', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'docs', 'features.md'), 'utf8')).toBe(featureCatalogMarkdown());
  });
  it('lists at least 50 features, each with a definition, unit and source', () => {
    expect(FEATURE_CATALOG.length).toBeGreaterThanOrEqual(50);
    for (const f of FEATURE_CATALOG) expect(f.definition.length && f.unit.length && f.source.length).toBeTruthy();
  });
});
