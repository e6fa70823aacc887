/**
 * The operational figures the worker's Prometheus endpoint reads when it is scraped (infra/worker-metrics.ts): data
 * freshness, the latest load's quarantine rate and the serving model's held-out figures. Each read is small and
 * indexed; `withStatementTimeout` bounds it on the server, so a slow database cannot hold a scrape.
 */
import { withTransaction, type Pool, type Queryable } from '../lib/db.ts';

/**
 * Runs `read` in a read-only transaction whose statements PostgreSQL cancels after `timeoutMs`. The query is
 * cancelled on the server too, not only abandoned by the caller.
 */
export async function withStatementTimeout<T>(
  pool: Pool,
  timeoutMs: number,
  read: (db: Queryable) => Promise<T>,
): Promise<T> {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new RangeError(`timeoutMs must be a positive integer, got ${timeoutMs}`);
  return withTransaction(pool, async (client) => {
    // SET cannot take a bind parameter; timeoutMs is a checked integer.
    await client.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
    await client.query('SET TRANSACTION READ ONLY');
    return read(client);
  });
}

/**
 * Seconds since the newest successful season load of `source` finished (by the database's clock), or null before
 * the first. A load counts when it finished with season lines: a bio refresh (a load without lines) is not fresh data.
 */
export async function secondsSinceSeasonLoad(db: Queryable, source: string): Promise<number | null> {
  const { rows } = await db.query<{ seconds: number | null }>(
    `SELECT extract(epoch FROM now() - max(finished_at))::float8 AS seconds FROM ingest_batches
     WHERE source = $1 AND status = 'loaded' AND finished_at IS NOT NULL AND rows_fetched > 0`,
    [source],
  );
  return rows[0]?.seconds ?? null;
}

export interface BatchQuarantine {
  batchId: number;
  season: number | null;
  rowsFetched: number;
  rowsQuarantined: number;
  /** rowsQuarantined / rowsFetched, 0..1. */
  rate: number;
}

/**
 * The quarantine share of `source`'s most recent season load that ended: loaded, or breached (a breach loads nothing
 * and keeps its quarantine, which is exactly the spike to see). Loads without season lines (bio refreshes) are
 * skipped; a breached batch has no finish time, so it sorts by when its fetch started. Null before the first load.
 */
export async function latestBatchQuarantine(db: Queryable, source: string): Promise<BatchQuarantine | null> {
  const { rows } = await db.query<{
    batch_id: string;
    season: number | null;
    rows_fetched: number;
    rows_quarantined: number;
  }>(
    `SELECT batch_id, season, rows_fetched, rows_quarantined FROM ingest_batches
     WHERE source = $1 AND rows_fetched > 0 AND (finished_at IS NOT NULL OR status = 'breached')
     ORDER BY coalesce(finished_at, started_at) DESC, batch_id DESC LIMIT 1`,
    [source],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    batchId: Number(r.batch_id),
    season: r.season,
    rowsFetched: r.rows_fetched,
    rowsQuarantined: r.rows_quarantined,
    rate: r.rows_quarantined / r.rows_fetched,
  };
}

export interface ServingModelFigures {
  modelVersion: string;
  /** Held-out ROC AUC; null when the held-out season had a single class (stored as null, JSON has no NaN). */
  auc: number | null;
  brier: number | null;
  /**
   * Expected calibration error on the held-out season: the count-weighted mean gap between predicted and observed
   * rates over the reliability table's bins (activities/model.ts stores the table). Null without a table.
   */
  calibrationError: number | null;
  /** Seconds since the model was trained and registered (by the database's clock). */
  ageSeconds: number;
}

/** The held-out figures of the model serving now (the champion), or null before the first promotion. */
export async function servingModelFigures(db: Queryable): Promise<ServingModelFigures | null> {
  const { rows } = await db.query<{
    model_version: string;
    auc: number | null;
    brier: number | null;
    calibration_error: number | null;
    age_seconds: number;
  }>(
    `SELECT m.model_version,
       (m.metrics->'holdout'->>'rocAuc')::float8 AS auc,
       (m.metrics->'holdout'->>'brier')::float8 AS brier,
       (SELECT sum((b->>'count')::float8 * abs((b->>'predicted')::float8 - (b->>'observed')::float8)) / nullif(sum((b->>'count')::float8), 0)
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m.metrics->'reliability') = 'array' THEN m.metrics->'reliability' ELSE '[]'::jsonb END) AS b
       ) AS calibration_error,
       extract(epoch FROM now() - m.created_at)::float8 AS age_seconds
     FROM models m WHERE m.status = 'champion'`,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    modelVersion: r.model_version,
    auc: r.auc,
    brier: r.brier,
    calibrationError: r.calibration_error,
    ageSeconds: r.age_seconds,
  };
}
