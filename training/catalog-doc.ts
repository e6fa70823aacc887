/**
 * The feature catalog as Markdown (docs/features.md), generated from FEATURE_CATALOG so the document cannot drift
 * from the code: `npm run catalog` rewrites it, and a test fails when it is stale.
 */
import { FEATURE_CATALOG } from './feature-catalog.ts';

export function featureCatalogMarkdown(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = FEATURE_CATALOG.map(
    (f, i) =>
      `| ${i + 1} | \`${f.name}\` | ${escape(f.label)} | ${escape(f.definition)} | ${escape(f.unit)} | ${f.source} |`,
  );
  return [
    '# Feature catalog',
    '',
    `Generated from \`training/feature-catalog.ts\` by \`npm run catalog\`; do not edit by hand. ${FEATURE_CATALOG.length} features, in matrix column order.`,
    'Every feature of an as-of season uses only data known at the end of that season; a missing value is missing (NaN), never 0.',
    '',
    '| # | name | label | definition | unit | source |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
