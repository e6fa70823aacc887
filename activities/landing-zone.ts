/**
 * The landing zone: every raw source response, gzip-compressed, keyed by URL and fetch time, and linked to the
 * batches that used it. A fetch first looks here (unless refreshing), so re-running a season, or resuming one after
 * a crash, costs no requests for what was already fetched. Writes go through the batch's attempt fence, so an attempt
 * that a retry has replaced cannot add responses to the landing zone after the retry started.
 */
import { recordFetchCounts } from '../db/ingest-batches.ts';
import { latestResponse, linkResponse, storeResponse } from '../db/landing-zone.ts';
import { quarantineLostResponses } from '../db/quarantine.ts';
import type { Pool } from '../lib/db.ts';
import type { LostResponse as BreakerLostResponse } from '../sources/validate/circuit-breaker.ts';
import { withBatchFence } from './attempt-fence.ts';

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
      const hit = await latestResponse(pool, url, refresh ? (refreshSince ?? null) : null);
      if (hit) {
        reusedIds.set(url, hit.responseId);
        return new Response(hit.json, { status: 200, headers: { 'content-type': 'application/json' } });
      }
    }
    httpRequests += 1;
    return fetch(input, init);
  };

  return {
    fetch: cachedFetch,
    async record(response) {
      const reused = reusedIds.get(response.url);
      if (reused !== undefined) {
        await withBatchFence(pool, batchId, (client) => linkResponse(client, batchId, reused, true));
        return;
      }
      await withBatchFence(pool, batchId, (client) => storeResponse(client, { batchId, source, ...response }));
    },
    counts: () => ({ httpRequests, reused: reusedIds.size }),
  };
}

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
  await withBatchFence(pool, batchId, async (client) => {
    await quarantineLostResponses(client, batchId, source, lost);
    await recordFetchCounts(client, { batchId, httpRequests, reused });
  });
}

/** The responses a batch used, decompressed, in the order they were stored. */
export { batchResponses as readBatch } from '../db/landing-zone.ts';
