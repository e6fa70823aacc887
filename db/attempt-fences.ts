/**
 * The rows and locks behind attempt fences (activities/attempt-fence.ts says why they exist): a batch per attempt
 * with its superseded mark, the site fence of a ranking snapshot, and the session lock that makes loads of one batch
 * take turns.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';

// Advisory-lock namespaces (the first key of the two-key form); migrations use 7_244_001 (lib/db.ts).
const LOAD_LOCK = 7_244_002;
const CLAIM_LOCK = 7_244_003;

export interface AttemptBatch {
  batchId: number;
  /** True when a newer attempt of the same activity had already claimed a batch: this one must not write. */
  superseded: boolean;
}

/**
 * Inside the caller's transaction: waits its turn among the claims of `activity`, marks the batches of its older
 * attempts superseded (waiting for any write of theirs in flight, which holds FOR SHARE on its batch row), and
 * inserts this attempt's batch, superseded from the start when a newer attempt already claimed one. `runKey` is
 * unique per attempt, so a redelivered attempt gets its batch back.
 */
export async function claimAttemptBatch(
  client: PoolClient,
  input: { source: string; season: number; runKey: string; activity: string; attempt: number },
): Promise<AttemptBatch> {
  const { source, season, runKey, activity, attempt } = input;
  // Claims of one activity's attempts take turns, so each sees the batches of the others (two claims at once would
  // otherwise each miss the other's uncommitted row and both stay live).
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CLAIM_LOCK, activity]);
  await client.query(
    `UPDATE ingest_batches SET superseded_at = now()
     WHERE activity_key = $1 AND attempt < $2 AND superseded_at IS NULL`,
    [activity, attempt],
  );
  const { rows } = await client.query<{ batch_id: number; superseded: boolean }>(
    `INSERT INTO ingest_batches (source, season, run_key, activity_key, attempt, superseded_at)
     VALUES ($1, $2, $3, $4, $5,
             CASE WHEN EXISTS (SELECT 1 FROM ingest_batches WHERE activity_key = $4 AND attempt > $5) THEN now() END)
     ON CONFLICT (run_key) DO UPDATE SET superseded_at = coalesce(ingest_batches.superseded_at, EXCLUDED.superseded_at)
     RETURNING batch_id, superseded_at IS NOT NULL AS superseded`,
    [source, season, runKey, activity, attempt],
  );
  const row = rows[0]!;
  return { batchId: row.batch_id, superseded: row.superseded };
}

/**
 * Inside the caller's transaction: takes a share lock on the batch's row (so superseding it waits for this
 * transaction) and tells whether it is superseded; null when there is no such batch.
 */
export async function lockBatchForWrite(client: PoolClient, batchId: number): Promise<{ superseded: boolean } | null> {
  const { rows } = await client.query<{ superseded: boolean }>(
    'SELECT superseded_at IS NOT NULL AS superseded FROM ingest_batches WHERE batch_id = $1 FOR SHARE',
    [batchId],
  );
  return rows[0] ?? null;
}

export interface SiteFence {
  /** The token (`activity#attempt`) of the attempt allowed to switch the site, or null. */
  siteFence: string | null;
  siteFenceAttempt: number | null;
}

/** Inside the caller's transaction: locks the snapshot's row and reads its site fence; null when there is no such snapshot. */
export async function lockSiteFence(client: PoolClient, snapshotId: string): Promise<SiteFence | null> {
  const { rows } = await client.query<{ site_fence: string | null; site_fence_attempt: number | null }>(
    'SELECT site_fence, site_fence_attempt FROM ranking_snapshots WHERE snapshot_id = $1 FOR UPDATE',
    [snapshotId],
  );
  const row = rows[0];
  return row ? { siteFence: row.site_fence, siteFenceAttempt: row.site_fence_attempt } : null;
}

/** Names the attempt (its token and number) allowed to switch the site to a build of `snapshotId`. */
export async function setSiteFence(db: Queryable, snapshotId: string, token: string, attempt: number): Promise<void> {
  await db.query('UPDATE ranking_snapshots SET site_fence = $2, site_fence_attempt = $3 WHERE snapshot_id = $1', [
    snapshotId,
    token,
    attempt,
  ]);
}

/**
 * Tries the session lock of a batch's load on this client's connection without waiting. The lock lives as long
 * as the connection (released by `releaseLoadLock`, or by the server when the connection dies).
 */
export async function tryLoadLock(client: PoolClient, batchId: number): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
    LOAD_LOCK,
    batchId,
  ]);
  return rows[0]?.locked === true;
}

/** Releases the session lock `tryLoadLock` took on this client's connection. */
export async function releaseLoadLock(client: PoolClient, batchId: number): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1, $2)', [LOAD_LOCK, batchId]);
}
