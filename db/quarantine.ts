/**
 * Reading the quarantine for an operator (`npm run quarantine`): batches with their breaker verdict, quarantined
 * lines counted by cell (season, level, group) and by cause (field, rule), sample rows with their reason and payload,
 * and the flags (placeholder birth dates). The data layer of bin/quarantine.ts; formatting is bin/quarantine-format.ts.
 */
import type { Pool } from './db.ts';

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

export async function readQuarantine(pool: Pool, selector: QuarantineSelector): Promise<QuarantineReport> {
  const { where, params } = batchFilter(selector);
  const samples = selector.samplesPerCause ?? 3;
  const [batches, cells, causes, sampleRows, flags] = await Promise.all([
    pool.query(
      `SELECT batch_id, season, source, status, started_at, finished_at, rows_fetched, rows_loaded, rows_quarantined,
              CASE WHEN status = 'breached' THEN quality->>'message' END AS breach
       FROM ingest_batches b WHERE ${where} ORDER BY batch_id`, params),
    pool.query(
      `SELECT q.season, q.sport_id, q.stat_group, q.entity, count(*)::int AS n
       FROM quarantine q JOIN ingest_batches b USING (batch_id) WHERE ${where}
       GROUP BY 1, 2, 3, 4 ORDER BY n DESC, 1, 2, 3, 4`, params),
    pool.query(
      `SELECT q.season, q.sport_id, q.stat_group, q.entity, q.field, q.rule, count(*)::int AS n
       FROM quarantine q JOIN ingest_batches b USING (batch_id) WHERE ${where}
       GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY n DESC, 1, 2, 3, 4, 5, 6`, params),
    pool.query(
      `SELECT * FROM (
         SELECT q.batch_id, q.season, q.sport_id, q.stat_group, q.entity, q.field, q.rule, q.reason, q.payload,
                row_number() OVER (PARTITION BY q.season, q.sport_id, q.stat_group, q.entity, q.field, q.rule ORDER BY q.quarantine_id) AS k
         FROM quarantine q JOIN ingest_batches b USING (batch_id) WHERE ${where}) s
       WHERE k <= $2 ORDER BY season, sport_id, stat_group, entity, field, rule, k`, [...params, samples]),
    pool.query(
      `SELECT f.rule, count(*)::int AS n, (array_agg(f.detail ORDER BY f.flag_id))[1:3] AS examples
       FROM data_flags f JOIN ingest_batches b USING (batch_id) WHERE ${where} GROUP BY 1 ORDER BY n DESC`, params),
  ]);
  const cause = (r: Record<string, unknown>) => ({
    season: r.season as number | null, sportId: r.sport_id as number | null, group: r.stat_group as string | null,
    entity: r.entity as string, field: r.field as string | null, rule: r.rule as string | null,
  });
  return {
    batches: batches.rows.map((r) => ({
      batchId: Number(r.batch_id), season: r.season, source: r.source, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at,
      rowsFetched: r.rows_fetched, rowsLoaded: r.rows_loaded, rowsQuarantined: r.rows_quarantined, breach: r.breach,
    })),
    cells: cells.rows.map((r) => ({ season: r.season, sportId: r.sport_id, group: r.stat_group, entity: r.entity, quarantined: r.n })),
    causes: causes.rows.map((r) => ({ ...cause(r), quarantined: r.n })),
    samples: sampleRows.rows.map((r) => ({ ...cause(r), batchId: Number(r.batch_id), reason: r.reason, payload: r.payload })),
    flags: flags.rows.map((r) => ({ rule: r.rule, flags: r.n, examples: r.examples })),
  };
}

/**
 * Marks the open quarantine rows of a batch resolved, with what was done (e.g. "parser fixed in a1b2c3, re-run
 * backfill-2005-2011"): they stay for the record, but the open-quarantine index no longer lists them.
 * @returns rows marked.
 */
export async function resolveQuarantine(pool: Pool, batchId: number, resolution: string): Promise<number> {
  const { rowCount } = await pool.query(
    'UPDATE quarantine SET resolved_at = now(), resolution = $2 WHERE batch_id = $1 AND resolved_at IS NULL', [batchId, resolution]);
  return rowCount ?? 0;
}
