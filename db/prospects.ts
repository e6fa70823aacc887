/**
 * Reads of the published prospect cards (published_prospects) the API lists, filters, sorts, searches and shows.
 * Every user choice reaches SQL as a bound parameter or through a whitelist; nothing the caller sends is interpolated.
 */
import type { Queryable } from '../lib/db.ts';
import type { Prospect } from '../lib/snapshot.ts';
import { searchName } from '../publishing/search-name.ts';

export const PROSPECT_SORTS = ['rank', 'probability', 'dynasty', 'age', 'eta'] as const;
export type ProspectSort = (typeof PROSPECT_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** The column behind each sort key: the only text of a list query that varies with the request. */
const SORT_COLUMNS: Record<ProspectSort, string> = {
  rank: 'rank',
  probability: 'probability',
  dynasty: 'dynasty_value',
  age: 'age',
  eta: 'eta',
};

/** The natural direction of each sort: best first, youngest first, soonest first. */
export const DEFAULT_ORDER: Record<ProspectSort, SortOrder> = {
  rank: 'asc',
  probability: 'desc',
  dynasty: 'desc',
  age: 'asc',
  eta: 'asc',
};

export interface ProspectFilters {
  /** Position abbreviation, any case. */
  position?: string;
  /** An organization id, or its abbreviation in any case. */
  organization?: number | string;
  level?: string;
  eta?: number;
  type?: 'hitter' | 'pitcher';
  confidence?: 'High' | 'Medium' | 'Low';
}

/** A row of a list or a search: the filter columns plus the few card fields a list shows. */
export interface ProspectRow {
  playerId: number;
  rank: number;
  name: string;
  slug: string;
  position: string;
  isPitcher: boolean;
  organization: { id: number; name: string; abbreviation: string } | null;
  level: string;
  age: number | null;
  eta: number | null;
  confidence: 'High' | 'Medium' | 'Low';
  probability: number;
  dynastyValue: number;
  trend: number | null;
}

const ROW_COLUMNS = `player_id, rank, name, card->>'slug' AS slug, position, is_pitcher, org_id, org_abbreviation,
  card->'organization'->>'name' AS org_name, level, age, eta, confidence, probability, dynasty_value,
  (card->>'trend')::integer AS trend`;

interface RawRow {
  player_id: number;
  rank: number;
  name: string;
  slug: string | null;
  position: string;
  is_pitcher: boolean;
  org_id: number | null;
  org_abbreviation: string | null;
  org_name: string | null;
  level: string;
  age: number | null;
  eta: number | null;
  confidence: 'High' | 'Medium' | 'Low';
  probability: number;
  dynasty_value: number;
  trend: number | null;
}

function toRow(r: RawRow): ProspectRow {
  return {
    playerId: r.player_id,
    rank: r.rank,
    name: r.name,
    slug: r.slug ?? String(r.player_id),
    position: r.position,
    isPitcher: r.is_pitcher,
    organization:
      r.org_id === null
        ? null
        : { id: r.org_id, name: r.org_name ?? r.org_abbreviation ?? '', abbreviation: r.org_abbreviation ?? '' },
    level: r.level,
    age: r.age,
    eta: r.eta,
    confidence: r.confidence,
    probability: r.probability,
    dynastyValue: r.dynasty_value,
    trend: r.trend,
  };
}

/** The WHERE clause of a filtered list, with its parameters after the snapshot id ($1). */
function filterClause(snapshotId: string, filters: ProspectFilters): { where: string; params: unknown[] } {
  const params: unknown[] = [snapshotId];
  const conditions = ['ranking_snapshot_id = $1'];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filters.position !== undefined) add((p) => `upper(position) = upper(${p})`, filters.position);
  if (typeof filters.organization === 'number') add((p) => `org_id = ${p}`, filters.organization);
  if (typeof filters.organization === 'string')
    add((p) => `upper(org_abbreviation) = upper(${p})`, filters.organization);
  if (filters.level !== undefined) add((p) => `level = ${p}`, filters.level);
  if (filters.eta !== undefined) add((p) => `eta = ${p}`, filters.eta);
  if (filters.type !== undefined) add((p) => `is_pitcher = ${p}`, filters.type === 'pitcher');
  if (filters.confidence !== undefined) add((p) => `confidence = ${p}`, filters.confidence);
  return { where: conditions.join(' AND '), params };
}

/** One page of a snapshot's prospects, filtered and sorted, with the count of all that match. */
export async function listPublishedProspects(
  db: Queryable,
  snapshotId: string,
  options: { filters: ProspectFilters; sort: ProspectSort; order: SortOrder; limit: number; offset: number },
): Promise<{ total: number; rows: ProspectRow[] }> {
  const { where, params } = filterClause(snapshotId, options.filters);
  const column = SORT_COLUMNS[options.sort];
  const direction = options.order === 'desc' ? 'DESC' : 'ASC';
  // Ties (and unknown ages or ETAs, always last) fall back on the rank, so pages never overlap.
  const orderBy = options.sort === 'rank' ? `rank ${direction}` : `${column} ${direction} NULLS LAST, rank ASC`;
  const [count, page] = await Promise.all([
    db.query<{ total: number }>(`SELECT count(*)::integer AS total FROM published_prospects WHERE ${where}`, params),
    db.query<RawRow>(
      `SELECT ${ROW_COLUMNS} FROM published_prospects WHERE ${where}
       ORDER BY ${orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, options.limit, options.offset],
    ),
  ]);
  return { total: count.rows[0]?.total ?? 0, rows: page.rows.map(toRow) };
}

export interface SearchHit extends ProspectRow {
  /** pg_trgm word similarity of the query to the name, 0-1. */
  score: number;
}

/**
 * Prospects whose name is close to `query` (typos, missing accents, any case): pg_trgm's word similarity over the
 * accent-stripped `search_name`, best match first, then by rank. `<%` is answered by the GIN trigram index
 * (sql/013_api.sql). The best `limit` are chosen first from the narrow columns, and only they are joined back for
 * the card fields a hit shows: a short query matches hundreds of names, and reading each one's card (a TOASTed jsonb)
 * before the sort discarded most of them was most of the query's time. Measured at 5,000 prospects in each of six
 * snapshots, 1,940 benchmark queries: GIN p50 1.2 ms, p99 3.0 ms before, 2.3 ms after; a GiST index
 * (btree_gist + gist_trgm_ops) was slower in every form, p50 2.5 ms, including KNN ordering by `<->>`, which the
 * planner does not choose over the bitmap scan when the `<%` threshold filters. The query is normalised like the
 * names were (publishing/search-name.ts).
 */
export async function searchPublishedProspects(
  db: Queryable,
  snapshotId: string,
  query: string,
  limit: number,
): Promise<SearchHit[]> {
  const normalized = searchName(query.trim());
  const { rows } = await db.query<RawRow & { score: number }>(
    `SELECT ${ROW_COLUMNS}, hit.score
     FROM (
       SELECT player_id AS hit_id, rank AS hit_rank, word_similarity($2, search_name) AS score
       FROM published_prospects
       WHERE ranking_snapshot_id = $1 AND $2 <% search_name
       ORDER BY score DESC, rank ASC LIMIT $3
     ) hit
     JOIN published_prospects ON ranking_snapshot_id = $1 AND player_id = hit.hit_id
     ORDER BY hit.score DESC, hit.hit_rank ASC`,
    [snapshotId, normalized, limit],
  );
  return rows.map((r) => ({ ...toRow(r), score: r.score }));
}

export interface FilterOptions {
  total: number;
  positions: { value: string; count: number }[];
  organizations: { id: number; abbreviation: string; name: string; count: number }[];
  levels: { value: string; count: number }[];
  etaYears: { value: number; count: number }[];
  types: { value: 'hitter' | 'pitcher'; count: number }[];
  confidences: { value: 'High' | 'Medium' | 'Low'; count: number }[];
}

/** Every value each filter can take in a snapshot, with how many prospects have it. */
export async function publishedFilterOptions(db: Queryable, snapshotId: string): Promise<FilterOptions> {
  // One facet: its values and counts as a JSON array (the SQL here is fixed text; the snapshot id is the one parameter).
  const facet = (columns: string, groupBy: string, order: string, where = 'true') =>
    `(SELECT coalesce(jsonb_agg(f ORDER BY ${order}), '[]'::jsonb) FROM (
        SELECT ${columns}, count(*)::integer AS count FROM served WHERE ${where} GROUP BY ${groupBy}) f)`;
  const { rows } = await db.query<Omit<FilterOptions, 'total'> & { total: number }>(
    `WITH served AS (SELECT * FROM published_prospects WHERE ranking_snapshot_id = $1)
     SELECT (SELECT count(*)::integer FROM served) AS total,
       ${facet('position AS value', '1', 'f.value')} AS positions,
       ${facet(`org_id AS id, min(org_abbreviation) AS abbreviation, min(coalesce(card->'organization'->>'name', org_abbreviation)) AS name`, 'org_id', 'f.abbreviation, f.id', 'org_id IS NOT NULL AND org_abbreviation IS NOT NULL')} AS organizations,
       ${facet('level AS value', '1', `array_position(ARRAY['ROK', 'ROK+', 'A-', 'A', 'A+', 'AA', 'AAA', 'MLB'], f.value), f.value`)} AS levels,
       ${facet('eta AS value', '1', 'f.value', 'eta IS NOT NULL')} AS "etaYears",
       ${facet(`CASE WHEN is_pitcher THEN 'pitcher' ELSE 'hitter' END AS value`, '1', 'f.value')} AS types,
       ${facet('confidence AS value', '1', `array_position(ARRAY['High', 'Medium', 'Low'], f.value)`)} AS confidences`,
    [snapshotId],
  );
  const row = rows[0]!;
  return {
    total: row.total,
    positions: row.positions.map((f) => ({ value: f.value, count: f.count })),
    organizations: row.organizations.map((f) => ({
      id: f.id,
      abbreviation: f.abbreviation,
      name: f.name,
      count: f.count,
    })),
    levels: row.levels.map((f) => ({ value: f.value, count: f.count })),
    etaYears: row.etaYears.map((f) => ({ value: f.value, count: f.count })),
    types: row.types.map((f) => ({ value: f.value, count: f.count })),
    confidences: row.confidences.map((f) => ({ value: f.value, count: f.count })),
  };
}

/** The published cards of these players in a snapshot, keyed by player id (absent ids are not in it). */
export async function publishedCards(
  db: Queryable,
  snapshotId: string,
  playerIds: readonly number[],
): Promise<Map<number, Prospect>> {
  // Named (prepared once per connection): planning this key lookup costs more than running it.
  const { rows } = await db.query<{ player_id: number; card: Prospect }>({
    name: 'published-cards',
    text: `SELECT player_id, card FROM published_prospects WHERE ranking_snapshot_id = $1 AND player_id = ANY($2::integer[])`,
    values: [snapshotId, playerIds],
  });
  return new Map(rows.map((r) => [r.player_id, r.card]));
}
