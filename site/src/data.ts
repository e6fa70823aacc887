/**
 * Page-side access to the snapshot collections, failing loudly when the content sync produced nothing, plus
 * everything derived from them. Memoised: thousands of pages render in one process and share one copy.
 */
import { getCollection, getEntry } from 'astro:content';
import { levelAverages, organizations, positions } from '../derive.ts';

// Astro logs (rather than throws) some content-sync failures, e.g. a content config that takes >5 s to load,
// and would then render an empty site; refusing to render turns that into a failed build.
export async function getSnapshotMeta() {
  const entry = await getEntry('snapshot', 'current');
  if (!entry) throw new Error('The snapshot collection is empty: the content sync failed (see the errors above).');
  return entry.data;
}

async function load() {
  const meta = await getSnapshotMeta();
  const entries = await getCollection('prospects');
  const prospects = entries.map((entry) => entry.data).sort((a, b) => a.rank - b.rank);
  const orgs = organizations(prospects);
  const pageSize = Number(process.env.AFWD_RANKINGS_PAGE_SIZE || 500);
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new Error(`AFWD_RANKINGS_PAGE_SIZE must be a positive integer`);
  return {
    meta,
    prospects,
    bySlug: new Map(prospects.map((p) => [p.slug, p])),
    organizations: orgs,
    orgById: new Map(orgs.map((o) => [o.id, o])),
    positions: positions(prospects),
    levelAverages: levelAverages(prospects),
    /** Prospects per rankings page; the home page shows the first page. */
    pageSize,
  };
}

let cached: ReturnType<typeof load> | undefined;
export function getSite() {
  return (cached ??= load());
}
