/**
 * The quarantine (`quarantine`: what a batch could not load, with its reason) and the flags on loaded data
 * (`data_flags`, e.g. placeholder birth dates): writes of the loads and imports, and the operator's report
 * (`npm run quarantine`): batches with their breaker verdict, quarantined lines counted by cell (season, level,
 * group) and by cause (field, rule), and sample rows with their reason and payload. Formatting is bin/quarantine-format.ts.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';
import { insertRows } from './bulk.ts';

export interface QuarantineSelector {
  /** One batch (`ingest_batches.batch_id`). */
  batchId?: number;
  /** Every batch of a season. */
  season?: number;
  /** Sample rows to show per cause. @default 3 */
  samplesPerCause?: number;
}

export interface BatchSummary {
  batchId: number;
  season: number | null;
  source: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  rowsFetched: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  /** The breaker's message when the batch breached. */
  breach: string | null;
}

export interface CellCount {
  season: number | null;
  sportId: number | null;
  group: string | null;
  entity: string;
  quarantined: number;
}

export interface CauseCount {
  season: number | null;
  sportId: number | null;
  group: string | null;
  entity: string;
  field: string | null;
  rule: string | null;
  quarantined: number;
}

export interface SampleRow extends Omit<CauseCount, 'quarantined'> {
  batchId: number;
  reason: string;
  payload: unknown;
}

export interface FlagCount {
  rule: string;
  flags: number;
  examples: string[];
}

export interface QuarantineReport {
  batches: BatchSummary[];
  cells: CellCount[];
  causes: CauseCount[];
  samples: SampleRow[];
  flags: FlagCount[];
}

/** The batches picked by the selector: one batch, or every batch of a season. */
function batchFilter(s: QuarantineSelector): { where: string; params: unknown[] } {
  if (s.batchId !== undefined) return { where: 'b.batch_id = $1', params: [s.batchId] };
  if (s.season !== undefined) return { where: 'b.season = $1', params: [s.season] };
  throw new Error('readQuarantine needs a batchId or a season');
}

/** The quarantine report of the batches the selector picks. */
export async function readQuarantine(pool: Queryable, selector: QuarantineSelector): Promise<QuarantineReport> {
  const { where, params } = batchFilter(selector);
  const samples = selector.samplesPerCause ?? 3;
  const [batches, cells, causes, sampleRows, flags] = await Promise.all([
    pool.query(
      `SELECT batch_id, season, source, status, started_at, finished_at, rows_fetched, rows_loaded, rows_quarantined,
              CASE WHEN status = 'breached' THEN quality->>'message' END AS breach
       FROM ingest_batches b WHERE ${where} ORDER BY batch_id`,
      params,
    ),
    pool.query(
      `SELECT q.season, q.sport_id, q.stat_group, q.entity, count(*)::int AS n
       FROM quarantine q JOIN ingest_batches b USING (batch_id) WHERE ${where}
       GROUP BY 1, 2, 3, 4 ORDER BY n DESC, 1, 2, 3, 4`,
      params,
    ),
    pool.query(
      `SELECT q.season, q.sport_id, q.stat_group, q.entity, q.field, q.rule, count(*)::int AS n
       FROM quarantine q JOIN ingest_batches b USING (batch_id) WHERE ${where}
       GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY n DESC, 1, 2, 3, 4, 5, 6`,
      params,
    ),
    pool.query(
      `SELECT * FROM (
         SELECT q.batch_id, q.season, q.sport_id, q.stat_group, q.entity, q.field, q.rule, q.reason, q.payload,
                row_number() OVER (PARTITION BY q.season, q.sport_id, q.stat_group, q.entity, q.field, q.rule ORDER BY q.quarantine_id) AS k
         FROM quarantine q JOIN ingest_batches b USING (batch_id) WHERE ${where}) s
       WHERE k <= $2 ORDER BY season, sport_id, stat_group, entity, field, rule, k`,
      [...params, samples],
    ),
    pool.query(
      `SELECT f.rule, count(*)::int AS n, (array_agg(f.detail ORDER BY f.flag_id))[1:3] AS examples
       FROM data_flags f JOIN ingest_batches b USING (batch_id) WHERE ${where} GROUP BY 1 ORDER BY n DESC`,
      params,
    ),
  ]);
  const cause = (r: Record<string, unknown>) => ({
    season: r.season as number | null,
    sportId: r.sport_id as number | null,
    group: r.stat_group as string | null,
    entity: r.entity as string,
    field: r.field as string | null,
    rule: r.rule as string | null,
  });
  return {
    batches: batches.rows.map((r) => ({
      batchId: Number(r.batch_id),
      season: r.season,
      source: r.source,
      status: r.status,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      rowsFetched: r.rows_fetched,
      rowsLoaded: r.rows_loaded,
      rowsQuarantined: r.rows_quarantined,
      breach: r.breach,
    })),
    cells: cells.rows.map((r) => ({
      season: r.season,
      sportId: r.sport_id,
      group: r.stat_group,
      entity: r.entity,
      quarantined: r.n,
    })),
    causes: causes.rows.map((r) => ({ ...cause(r), quarantined: r.n })),
    samples: sampleRows.rows.map((r) => ({
      ...cause(r),
      batchId: Number(r.batch_id),
      reason: r.reason,
      payload: r.payload,
    })),
    flags: flags.rows.map((r) => ({ rule: r.rule, flags: r.n, examples: r.examples })),
  };
}

/**
 * Marks the open quarantine rows of a batch resolved, with what was done (e.g. "parser fixed in a1b2c3, re-run
 * backfill-2005-2011"): they stay for the record, but the open-quarantine index no longer lists them.
 * @returns rows marked.
 */
export async function resolveQuarantine(pool: Queryable, batchId: number, resolution: string): Promise<number> {
  const { rowCount } = await pool.query(
    'UPDATE quarantine SET resolved_at = now(), resolution = $2 WHERE batch_id = $1 AND resolved_at IS NULL',
    [batchId, resolution],
  );
  return rowCount ?? 0;
}

/**
 * Quarantines the responses a fetch batch lost after retries (entity 'response'): each object whole, with whatever
 * else it carries (the start of the body), is the payload.
 */
export async function quarantineLostResponses(
  db: Queryable,
  batchId: number,
  source: string,
  lost: readonly { url: string; reason: string }[],
): Promise<void> {
  if (lost.length === 0) return;
  await db.query(
    `INSERT INTO quarantine (batch_id, source, entity, reason, payload)
     SELECT $1, $2, 'response', l->>'reason', l FROM jsonb_array_elements($3::jsonb) AS l`,
    [batchId, source, JSON.stringify(lost)],
  );
}

/** The responses a batch's fetch lost (entity 'response'), in the order they were quarantined. */
export async function lostResponses(db: Queryable, batchId: number): Promise<{ url: string; reason: string }[]> {
  const { rows } = await db.query<{ url: string; reason: string }>(
    "SELECT payload->>'url' AS url, reason FROM quarantine WHERE batch_id = $1 AND entity = 'response' ORDER BY quarantine_id",
    [batchId],
  );
  return rows;
}

/** A row a load rejected: what it is, why, the raw row, and (season lines) its cell and cause for the report. */
export interface QuarantineRow {
  entity: string;
  reason: string;
  raw: unknown;
  season?: number | null | undefined;
  sportId?: number | null | undefined;
  group?: string | null | undefined;
  field?: string | null | undefined;
  rule?: string | null | undefined;
}

/**
 * Replaces a batch's row-level quarantine entries (every entity but 'response', which the fetch wrote), so
 * re-loading a batch does not duplicate them.
 */
export async function replaceBatchQuarantine(
  client: PoolClient,
  batchId: number,
  source: string,
  rows: readonly QuarantineRow[],
): Promise<void> {
  await client.query("DELETE FROM quarantine WHERE batch_id = $1 AND entity <> 'response'", [batchId]);
  await insertRows(
    client,
    'quarantine',
    ['batch_id', 'source', 'entity', 'reason', 'payload', 'season', 'sport_id', 'stat_group', 'field', 'rule'],
    rows.map((r) => [
      batchId,
      source,
      r.entity,
      r.reason,
      JSON.stringify(r.raw ?? null),
      r.season ?? null,
      r.sportId ?? null,
      r.group ?? null,
      r.field ?? null,
      r.rule ?? null,
    ]),
  );
}

/** An entry of a grade import: a row that could not be read or matched ('grade'), or a note for review ('grade_inconsistency'). */
export interface GradeQuarantineEntry {
  entity: 'grade' | 'grade_inconsistency';
  reason: string;
  payload: { season: number; line: number; row: Record<string, string>; [k: string]: unknown };
}

/**
 * Replaces a grade import batch's entries (a retried activity reuses its batch), skipping any entry already open
 * (unresolved, from any batch) with the same source, entity, reason, season and raw row: the review queue lists
 * each problem once.
 * @returns entries written.
 */
export async function replaceGradeQuarantine(
  client: PoolClient,
  batchId: number,
  source: string,
  entries: readonly GradeQuarantineEntry[],
): Promise<number> {
  await client.query('DELETE FROM quarantine WHERE batch_id = $1', [batchId]);
  const { rowCount } = await client.query(
    `INSERT INTO quarantine (batch_id, source, entity, reason, payload)
     SELECT $1, $2, v.entity, v.reason, v.payload::jsonb FROM unnest($3::text[], $4::text[], $5::text[]) AS v(entity, reason, payload)
     WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.source = $2 AND q.entity = v.entity AND q.resolved_at IS NULL
       AND q.reason = v.reason AND q.payload->'season' = v.payload::jsonb->'season' AND q.payload->'row' = v.payload::jsonb->'row')`,
    [
      batchId,
      source,
      entries.map((e) => e.entity),
      entries.map((e) => e.reason),
      entries.map((e) => JSON.stringify(e.payload)),
    ],
  );
  return rowCount ?? 0;
}

/** A flag on loaded data: a rule a player's stored data breaks (a placeholder birth date), with the value flagged. */
export interface PlayerFlag {
  playerId: number;
  rule: string;
  detail: string;
  value: unknown;
}

/** Records flags on players; a flag already recorded for the same player, rule and value is kept as it is. */
export async function recordPlayerFlags(
  client: PoolClient,
  batchId: number,
  source: string,
  flags: readonly PlayerFlag[],
): Promise<void> {
  await insertRows(
    client,
    'data_flags',
    ['batch_id', 'source', 'entity', 'entity_id', 'rule', 'detail', 'value'],
    flags.map((f) => [batchId, source, 'player', f.playerId, f.rule, f.detail, JSON.stringify(f.value)]),
    'ON CONFLICT (entity, entity_id, rule, value) DO NOTHING',
  );
}
