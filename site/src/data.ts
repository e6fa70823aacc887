/** Page-side access to the snapshot collections, failing loudly when the content sync produced nothing. */
import { getCollection, getEntry } from 'astro:content';

// Astro logs (rather than throws) some content-sync failures, e.g. a content config that takes >5 s to load,
// and would then render an empty site; refusing to render turns that into a failed build.
export async function getSnapshotMeta() {
  const entry = await getEntry('snapshot', 'current');
  if (!entry) throw new Error('The snapshot collection is empty: the content sync failed (see the errors above).');
  return entry.data;
}

export async function getProspects() {
  await getSnapshotMeta();
  const entries = await getCollection('prospects');
  return entries.map((entry) => entry.data).sort((a, b) => a.rank - b.rank);
}
