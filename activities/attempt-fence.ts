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
import {
  claimAttemptBatch,
  lockBatchForWrite,
  lockSiteFence,
  releaseLoadLock,
  setSiteFence,
  tryLoadLock,
} from '../db/attempt-fences.ts';
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
  return ApplicationFailure.nonRetryable(
    `${what} was superseded by ${by}; this attempt stops writing`,
    'SupersededAttempt',
  );
}

// Also the batch's run_key: unique per attempt.
const fenceToken = (key: AttemptKey) => `${key.activity}#${key.attempt}`;

/**
 * A new batch for this attempt, and the batches of the activity's older attempts marked superseded, in one
 * transaction. `run_key` stays unique per attempt, so a worker that redelivers the same attempt reuses its batch.
 * An attempt that starts after a newer attempt of its activity (a stalled attempt 1 reaching here after its retry)
 * gets a batch that is superseded from the start, and fails with SupersededAttempt.
 */
export async function claimBatch(
  pool: Pool,
  input: { source: string; season: number; key: AttemptKey },
): Promise<number> {
  const { source, season, key } = input;
  const row = await withTransaction(pool, (client) =>
    claimAttemptBatch(client, {
      source,
      season,
      runKey: fenceToken(key),
      activity: key.activity,
      attempt: key.attempt,
    }),
  );
  // Thrown after the commit: the late attempt's batch stays on record, marked superseded.
  if (row.superseded) throw supersededFailure(`batch ${row.batchId}`, 'a newer attempt');
  return row.batchId;
}

/**
 * Runs `work` in a transaction that holds a share lock on the batch's row and fails, writing nothing, when a newer
 * attempt has superseded the batch.
 */
export async function withBatchFence<T>(
  pool: Pool,
  batchId: number,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, async (client) => {
    const batch = await lockBatchForWrite(client, batchId);
    if (!batch) throw new Error(`batch ${batchId} does not exist`);
    if (batch.superseded) throw supersededFailure(`batch ${batchId}`, 'a newer attempt of its activity');
    return work(client);
  });
}

/**
 * Names this attempt as the one allowed to switch the site to a build of `snapshotId`. Among the attempts of one
 * activity the highest wins, whatever order they claim in: a stalled attempt that claims after its retry did fails
 * with SupersededAttempt and leaves the fence to the retry. Another activity's claim takes the fence over.
 */
export async function claimSiteSwitch(pool: Pool, snapshotId: string, key: AttemptKey): Promise<void> {
  const holder = await withTransaction(pool, async (client) => {
    const row = await lockSiteFence(client, snapshotId);
    if (!row) throw ApplicationFailure.nonRetryable(`ranking snapshot ${snapshotId} does not exist`, 'MissingSnapshot');
    // The fence names this activity when it is this activity's token for the attempt stored beside it.
    const held = row.siteFenceAttempt;
    const newerOfThisActivity =
      held !== null && held > key.attempt && row.siteFence === fenceToken({ activity: key.activity, attempt: held });
    if (newerOfThisActivity) return row.siteFence;
    await setSiteFence(client, snapshotId, fenceToken(key), key.attempt);
    return null;
  });
  if (holder !== null) throw supersededFailure(`the site switch of ${snapshotId}`, holder);
}

/**
 * Runs `work` (the switch) while holding the snapshot row's lock, only if this attempt still holds the site fence;
 * otherwise a newer attempt owns the switch and this one fails without touching the served site.
 */
export async function withSiteFence<T>(
  pool: Pool,
  snapshotId: string,
  key: AttemptKey,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, async (client) => {
    const holder = (await lockSiteFence(client, snapshotId))?.siteFence;
    if (holder !== fenceToken(key)) throw supersededFailure(`the site switch of ${snapshotId}`, holder ?? 'nobody');
    return work(client);
  });
}

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
export async function withBatchLoadLock<T>(
  pool: Pool,
  batchId: number,
  work: () => Promise<T>,
  wait: LoadLockWait = {},
): Promise<T> {
  const { signal, onWait, pollMs = 1_000 } = wait;
  const started = performance.now();
  let holder: PoolClient | undefined;
  for (let tries = 1; ; tries += 1) {
    signal?.throwIfAborted();
    const client = await pool.connect();
    let locked: boolean;
    try {
      locked = await tryLoadLock(client, batchId);
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
    await releaseLoadLock(holder, batchId).catch(() => {
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
export { finishedLoadResult as finishedLoad } from '../db/ingest-batches.ts';
