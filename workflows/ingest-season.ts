/**
 * One season into the database: fetch into the landing zone, then validate and load. A child of backfills and
 * daily updates; its id comes from the parent and the season, so a replayed parent finds it again.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { FetchSeasonInput } from '../activities/ingest.ts';
import type { LoadResult } from '../activities/load-season.ts';
import { passOnBreach } from './data-quality.ts';

// Many HTTP requests against a rate-limited source: long, heartbeating; a short heartbeat timeout lets a retry
// start soon after a worker dies, and the landing zone makes that retry cheap.
const fetchStep = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 8, maximumInterval: '1 minute' },
} as const;
const loadStep = {
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 8, maximumInterval: '30 seconds' },
} as const;

const { fetchSeason } = proxyActivities<Activities>(fetchStep);
const { loadSeason } = proxyActivities<Activities>(loadStep);

export interface IngestSeasonResult extends LoadResult {
  httpRequests: number;
  responsesReused: number;
  responsesLost: number;
}

export function seasonChildId(parentId: string, season: number): string {
  return `${parentId}/season-${season}`;
}

export async function ingestSeason(input: FetchSeasonInput): Promise<IngestSeasonResult> {
  const fetched = await fetchSeason(input);
  // A data-quality breach loaded nothing and is not retried: this season fails with it, under its own type.
  const loaded = await loadSeason({ batchId: fetched.batchId, season: input.season }).catch(passOnBreach);
  return {
    ...loaded,
    httpRequests: fetched.httpRequests,
    responsesReused: fetched.responsesReused,
    responsesLost: fetched.responsesLost,
  };
}
