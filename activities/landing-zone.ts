/**
 * The landing zone: every raw source response, gzip-compressed, keyed by URL and fetch time, and linked to the
 * batches that used it. A fetch first looks here (unless refreshing), so re-running a season, or resuming one after
 * a crash, costs no requests for what was already fetched. Writes go through the batch's attempt fence, so an attempt
 * that a retry has replaced cannot add responses to the landing zone after the retry started.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import type { Pool } from '../lib/db.ts';
import type { LostResponse as BreakerLostResponse } from '../sources/validate/circuit-breaker.ts';
import { withBatchFence } from './attempt-fence.ts';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

export interface StoredResponse {
  url: string;
  status: number;
  fetchedAt: Date;
  body: unknown;
}

export interface LandingZone {
  /** A `fetch` that answers from the landing zone when it can and goes to the network otherwise. */
  fetch: typeof fetch;
  /** Stores a response that came from the network, or links the stored one that was reused, to the batch. */
  record(response: StoredResponse): Promise<void>;
  /** Requests that reached the network (retries included) and responses answered from the landing zone. */
  counts(): { httpRequests: number; reused: number };
}

export interface LandingZoneOptions {
  batchId: number;
  source: string;
  /** Go to the network even where the landing zone holds a response (except those fetched since `refreshSince`). */
  refresh: boolean;
  /**
   * With `refresh`, responses fetched at or after this time are still reused: those an earlier attempt of the same
   * refreshing activity already fetched, so a retry does not repeat its requests. @default none
   */
  refreshSince?: Date | undefined;
}

export function openLandingZone(pool: Pool, options: LandingZoneOptions): LandingZone {
  const { batchId, source, refresh, refreshSince } = options;
  const reusedIds = new Map<string, number>();
  let httpRequests = 0;

  const cachedFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!refresh || refreshSince) {
      const { rows } = await pool.query<{ response_id: number; body_gzip: Buffer }>(
        `SELECT response_id, body_gzip FROM raw_responses WHERE url = $1 AND status = 200 AND ($2::timestamptz IS NULL OR fetched_at >= $2)
         ORDER BY fetched_at DESC LIMIT 1`,
        [url, refresh ? refreshSince : null],
      );
      const hit = rows[0];
      if (hit) {
        reusedIds.set(url, hit.response_id);
        return new Response(await gunzip(hit.body_gzip), { status: 200, headers: { 'content-type': 'application/json' } });
      }
    }
    httpRequests += 1;
    return fetch(input, init);
  };

  const linkSql = 'INSERT INTO ingest_batch_responses (batch_id, response_id, reused) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING';

  return {
    fetch: cachedFetch,
    async record(response) {
      const reused = reusedIds.get(response.url);
      if (reused !== undefined) {
        await withBatchFence(pool, batchId, (client) => client.query(linkSql, [batchId, reused, true]));
        return;
      }
      const json = JSON.stringify(response.body);
      const body = await gzip(json);
      await withBatchFence(pool, batchId, async (client) => {
        const { rows } = await client.query<{ response_id: number }>(
          `INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (url, fetched_at) DO UPDATE SET status = EXCLUDED.status
           RETURNING response_id`,
          [batchId, source, response.url, response.fetchedAt, response.status, body, createHash('sha256').update(json).digest('hex')],
        );
        await client.query(linkSql, [batchId, rows[0]!.response_id, false]);
      });
    },
    counts: () => ({ httpRequests, reused: reusedIds.size }),
  };
}

/** A response that still failed after retries (malformed or refused), quarantined with its reason. */
/** A response lost after retries, as the breaker counts it, with the start of its body for the quarantine. */
export interface LostResponse extends BreakerLostResponse {
  snippet: string | undefined;
}

/**
 * Ends a fetch batch under its attempt fence: the responses it lost go to quarantine (entity 'response'), and the
 * batch records its request counts (`LandingZone.counts()`).
 */
export async function finishFetchBatch(
  pool: Pool,
  input: { batchId: number; source: string; lost: readonly LostResponse[]; httpRequests: number; reused: number },
): Promise<void> {
  const { batchId, source, lost, httpRequests, reused } = input;
  await withBatchFence(pool, batchId, async (db) => {
    if (lost.length) {
      await db.query(
        `INSERT INTO quarantine (batch_id, source, entity, reason, payload)
         SELECT $1, $2, 'response', l->>'reason', l FROM jsonb_array_elements($3::jsonb) AS l`,
        [batchId, source, JSON.stringify(lost)],
      );
    }
    await db.query(
      'UPDATE ingest_batches SET requests = $2, http_requests = $2, responses_reused = $3 WHERE batch_id = $1',
      [batchId, httpRequests, reused],
    );
  });
}

/** The responses a batch used, decompressed, in the order they were stored. */
export async function readBatch(pool: Pool, batchId: number): Promise<{ url: string; body: unknown }[]> {
  const { rows } = await pool.query<{ url: string; body_gzip: Buffer }>(
    `SELECT r.url, r.body_gzip FROM ingest_batch_responses b JOIN raw_responses r USING (response_id)
     WHERE b.batch_id = $1 ORDER BY r.response_id`,
    [batchId],
  );
  return Promise.all(rows.map(async (r) => ({ url: r.url, body: JSON.parse((await gunzip(r.body_gzip)).toString('utf8')) as unknown })));
}
