/**
 * Fences between the attempts of one activity. Temporal starts a new attempt when the previous one timed out, but
 * the old one may still be running (a stalled request, a worker that lost its connection to the server) and would
 * otherwise go on writing. So every fetch attempt writes a batch of its own, and starting an attempt supersedes the
 * batches of the older ones; every write to a batch first takes a share lock on its row and checks it is not
 * superseded. Superseding takes the row's exclusive lock, so it waits for a write in flight and every later write of
 * the old attempt sees it. The site switch works the same way with `ranking_snapshots.site_fence`.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { type Pool, type PoolClient, withTransaction } from '../lib/db.ts';

/** The running attempt: which activity (workflow, run, activity id) and which try of it. */
export interface AttemptKey {
  /** `workflowId/runId/activityId`, the same for every attempt of one activity. */
  activity: string;
  attempt: number;
}

export function currentAttempt(): AttemptKey {
  const info = Context.current().info;
  // A standalone activity (no workflow) still gets a key of its own through its activity id.
  const run = info.workflowExecution ? `${info.workflowExecution.workflowId}/${info.workflowExecution.runId}` : '-/-';
  return { activity: `${run}/${info.activityId}`, attempt: info.attempt };
}

/** Thrown by a write of an attempt that a newer attempt has replaced; non-retryable (the newer attempt does the work). */
export function supersededFailure(what: string, by: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${what} was superseded by ${by}; this attempt stops writing`, 'SupersededAttempt');
}

/**
 * A new batch for this attempt, and the batches of the activity's older attempts marked superseded, in one
 * transaction. `run_key` stays unique per attempt, so a worker that redelivers the same attempt reuses its batch.
 */
export async function claimBatch(pool: Pool, input: { source: string; season: number; key: AttemptKey }): Promise<number> {
  const { source, season, key } = input;
  return withTransaction(pool, async (client) => {
    // Waits for any write of an older attempt in flight (it holds FOR SHARE on its batch row), then shuts them out.
    await client.query(
      `UPDATE ingest_batches SET superseded_at = now()
       WHERE activity_key = $1 AND attempt < $2 AND superseded_at IS NULL`,
      [key.activity, key.attempt],
    );
    const { rows } = await client.query<{ batch_id: number; superseded: boolean }>(
      `INSERT INTO ingest_batches (source, season, run_key, activity_key, attempt) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (run_key) DO UPDATE SET started_at = ingest_batches.started_at
       RETURNING batch_id, superseded_at IS NOT NULL AS superseded`,
      [source, season, `${key.activity}#${key.attempt}`, key.activity, key.attempt],
    );
    const row = rows[0]!;
    if (row.superseded) throw supersededFailure(`batch ${row.batch_id}`, 'a newer attempt');
    return row.batch_id;
  });
}

/**
 * Runs `work` in a transaction that holds a share lock on the batch's row and fails, writing nothing, when a newer
 * attempt has superseded the batch.
 */
export async function withBatchFence<T>(pool: Pool, batchId: number, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ superseded: boolean }>(
      'SELECT superseded_at IS NOT NULL AS superseded FROM ingest_batches WHERE batch_id = $1 FOR SHARE',
      [batchId],
    );
    if (!rows[0]) throw new Error(`batch ${batchId} does not exist`);
    if (rows[0].superseded) throw supersededFailure(`batch ${batchId}`, 'a newer attempt of its activity');
    return work(client);
  });
}

const fenceToken = (key: AttemptKey) => `${key.activity}#${key.attempt}`;

/** Names this attempt as the one allowed to switch the site to a build of `snapshotId`; the newest attempt to start wins. */
export async function claimSiteSwitch(pool: Pool, snapshotId: string, key: AttemptKey): Promise<void> {
  const { rowCount } = await pool.query('UPDATE ranking_snapshots SET site_fence = $2 WHERE snapshot_id = $1', [snapshotId, fenceToken(key)]);
  if (!rowCount) throw ApplicationFailure.nonRetryable(`ranking snapshot ${snapshotId} does not exist`, 'MissingSnapshot');
}

/**
 * Runs `work` (the switch) while holding the snapshot row's lock, only if this attempt still holds the site fence;
 * otherwise a newer attempt owns the switch and this one fails without touching the served site.
 */
export async function withSiteFence<T>(pool: Pool, snapshotId: string, key: AttemptKey, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ site_fence: string | null }>(
      'SELECT site_fence FROM ranking_snapshots WHERE snapshot_id = $1 FOR UPDATE',
      [snapshotId],
    );
    const holder = rows[0]?.site_fence;
    if (holder !== fenceToken(key)) throw supersededFailure(`the site switch of ${snapshotId}`, holder ?? 'nobody');
    return work(client);
  });
}

const LOAD_LOCK = 7_244_002;

/**
 * Runs `work` while holding a session lock on the batch, so two attempts of a load (a timed-out one still running
 * and its retry) take turns instead of writing the same batch at once. The lock lives on its own connection: if the
 * holder's process dies, the server releases it.
 */
export async function withBatchLoadLock<T>(pool: Pool, batchId: number, work: () => Promise<T>): Promise<T> {
  const holder = await pool.connect();
  let broken = false;
  try {
    await holder.query('SELECT pg_advisory_lock($1, $2)', [LOAD_LOCK, batchId]);
    try {
      return await work();
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1, $2)', [LOAD_LOCK, batchId]).catch(() => {
        broken = true;
      });
    }
  } finally {
    holder.release(broken);
  }
}

/** What the load that finished `batchId` returned, or null when no load has finished it. */
export async function finishedLoad<T>(pool: Pool, batchId: number): Promise<T | null> {
  const { rows } = await pool.query<{ load_result: T | null }>(
    'SELECT load_result FROM ingest_batches WHERE batch_id = $1 AND finished_at IS NOT NULL',
    [batchId],
  );
  return rows[0]?.load_result ?? null;
}

/** Records what the load of `batchId` returned, for a retried attempt to return the same. */
export async function recordFinishedLoad(pool: Pool, batchId: number, result: object): Promise<void> {
  await pool.query('UPDATE ingest_batches SET load_result = $2 WHERE batch_id = $1', [batchId, JSON.stringify(result)]);
}
