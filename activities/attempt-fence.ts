/**
 * Fences between the attempts of one activity. Temporal starts a new attempt when the previous one timed out, but
 * the old one may still be running (a stalled request, a worker that lost its connection to the server) and would
 * otherwise go on writing. So every fetch attempt writes a batch of its own, and starting an attempt supersedes the
 * batches of the older ones; every write to a batch first takes a share lock on its row and checks it is not
 * superseded. Superseding takes the row's exclusive lock, so it waits for a write in flight and every later write of
 * the old attempt sees it. The site switch works the same way with `ranking_snapshots.site_fence`.
 */
import { setTimeout as delay } from 'node:timers/promises';
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

const CLAIM_LOCK = 7_244_003;

/**
 * A new batch for this attempt, and the batches of the activity's older attempts marked superseded, in one
 * transaction. `run_key` stays unique per attempt, so a worker that redelivers the same attempt reuses its batch.
 * An attempt that starts after a newer attempt of its activity (a stalled attempt 1 reaching here after its retry)
 * gets a batch that is superseded from the start, and fails with SupersededAttempt.
 */
export async function claimBatch(pool: Pool, input: { source: string; season: number; key: AttemptKey }): Promise<number> {
  const { source, season, key } = input;
  const row = await withTransaction(pool, async (client) => {
    // Claims of one activity's attempts take turns, so each sees the batches of the others (two claims at once would
    // otherwise each miss the other's uncommitted row and both stay live).
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CLAIM_LOCK, key.activity]);
    // Waits for any write of an older attempt in flight (it holds FOR SHARE on its batch row), then shuts them out.
    await client.query(
      `UPDATE ingest_batches SET superseded_at = now()
       WHERE activity_key = $1 AND attempt < $2 AND superseded_at IS NULL`,
      [key.activity, key.attempt],
    );
    const { rows } = await client.query<{ batch_id: number; superseded: boolean }>(
      `INSERT INTO ingest_batches (source, season, run_key, activity_key, attempt, superseded_at)
       VALUES ($1, $2, $3, $4, $5,
               CASE WHEN EXISTS (SELECT 1 FROM ingest_batches WHERE activity_key = $4 AND attempt > $5) THEN now() END)
       ON CONFLICT (run_key) DO UPDATE SET superseded_at = coalesce(ingest_batches.superseded_at, EXCLUDED.superseded_at)
       RETURNING batch_id, superseded_at IS NOT NULL AS superseded`,
      [source, season, `${key.activity}#${key.attempt}`, key.activity, key.attempt],
    );
    return rows[0]!;
  });
  // Thrown after the commit: the late attempt's batch stays on record, marked superseded.
  if (row.superseded) throw supersededFailure(`batch ${row.batch_id}`, 'a newer attempt');
  return row.batch_id;
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

/**
 * Names this attempt as the one allowed to switch the site to a build of `snapshotId`. Among the attempts of one
 * activity the highest wins, whatever order they claim in: a stalled attempt that claims after its retry did fails
 * with SupersededAttempt and leaves the fence to the retry. Another activity's claim takes the fence over.
 */
export async function claimSiteSwitch(pool: Pool, snapshotId: string, key: AttemptKey): Promise<void> {
  const holder = await withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ site_fence: string | null; site_fence_attempt: number | null }>(
      'SELECT site_fence, site_fence_attempt FROM ranking_snapshots WHERE snapshot_id = $1 FOR UPDATE',
      [snapshotId],
    );
    const row = rows[0];
    if (!row) throw ApplicationFailure.nonRetryable(`ranking snapshot ${snapshotId} does not exist`, 'MissingSnapshot');
    // The fence names this activity when it is this activity's token for the attempt stored beside it.
    const held = row.site_fence_attempt;
    const newerOfThisActivity = held !== null && held > key.attempt && row.site_fence === fenceToken({ activity: key.activity, attempt: held });
    if (newerOfThisActivity) return row.site_fence;
    await client.query('UPDATE ranking_snapshots SET site_fence = $2, site_fence_attempt = $3 WHERE snapshot_id = $1',
      [snapshotId, fenceToken(key), key.attempt]);
    return null;
  });
  if (holder !== null) throw supersededFailure(`the site switch of ${snapshotId}`, holder);
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

/** How `withBatchLoadLock` waits for a load of the same batch that holds the lock. */
export interface LoadLockWait {
  /** Aborts the wait (the activity's cancellation signal): the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called before every further try while the lock is held elsewhere (heartbeat there). */
  onWait?: (waited: { waitedMs: number; tries: number }) => void;
  /** Time between tries. @default 1000 */
  pollMs?: number;
}

/**
 * Runs `work` while holding a session lock on the batch, so two attempts of a load (a timed-out one still running
 * and its retry) take turns instead of writing the same batch at once. The lock lives on its own connection: if the
 * holder's process dies, the server releases it. A waiting attempt tries the lock every `pollMs`, holding no
 * connection in between, calls `onWait` (a heartbeat, so a long wait does not time the attempt out) and stops as soon
 * as `signal` aborts, instead of blocking inside the server until the statement timeout.
 */
export async function withBatchLoadLock<T>(pool: Pool, batchId: number, work: () => Promise<T>, wait: LoadLockWait = {}): Promise<T> {
  const { signal, onWait, pollMs = 1_000 } = wait;
  const started = performance.now();
  let holder: PoolClient | undefined;
  for (let tries = 1; ; tries += 1) {
    signal?.throwIfAborted();
    const client = await pool.connect();
    let locked: boolean;
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOAD_LOCK, batchId]);
      locked = rows[0]?.locked === true;
    } catch (error) {
      // A failed connection (which may hold the lock after all) is closed, never pooled: the server then releases it.
      client.release(true);
      throw error;
    }
    if (locked) {
      holder = client;
      break;
    }
    client.release();
    onWait?.({ waitedMs: Math.round(performance.now() - started), tries });
    await sleep(pollMs, signal);
  }
  let broken = false;
  try {
    return await work();
  } finally {
    await holder.query('SELECT pg_advisory_unlock($1, $2)', [LOAD_LOCK, batchId]).catch(() => {
      broken = true;
    });
    holder.release(broken);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await delay(ms, undefined, signal ? { signal } : {}).catch((error: unknown) => {
    // timers/promises rejects with its own AbortError; the caller wants the signal's reason (a Temporal CancelledFailure).
    throw signal?.aborted ? signal.reason : error;
  });
}

/** What the load that finished `batchId` returned, or null when no load has finished it. */
export async function finishedLoad<T>(pool: Pool, batchId: number): Promise<T | null> {
  const { rows } = await pool.query<{ load_result: T | null }>(
    'SELECT load_result FROM ingest_batches WHERE batch_id = $1 AND finished_at IS NOT NULL',
    [batchId],
  );
  return rows[0]?.load_result ?? null;
}
