/**
 * Test-only workflow: the ingestSeason steps (fetchSeason, then loadSeason) with deadlines the test chooses, so an
 * attempt can be timed out mid-flight in seconds rather than the production 30-second heartbeat timeout.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { FetchSeasonInput, FetchSeasonResult } from '../../activities/ingest.ts';
import type { LoadResult } from '../../activities/load-season.ts';

export interface IngestWithDeadlinesInput extends FetchSeasonInput {
  fetchHeartbeatTimeout: string;
  fetchStartToCloseTimeout: string;
}

export async function ingestWithDeadlines(
  input: IngestWithDeadlinesInput,
): Promise<{ fetched: FetchSeasonResult; loaded: LoadResult }> {
  const { fetchHeartbeatTimeout, fetchStartToCloseTimeout, ...fetchInput } = input;
  const { fetchSeason } = proxyActivities<Activities>({
    startToCloseTimeout: fetchStartToCloseTimeout,
    heartbeatTimeout: fetchHeartbeatTimeout,
    retry: { initialInterval: '100 milliseconds', maximumAttempts: 4 },
  });
  const { loadSeason } = proxyActivities<Activities>({
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '30 seconds',
    retry: { maximumAttempts: 3 },
  });
  const fetched = await fetchSeason(fetchInput);
  const loaded = await loadSeason({ batchId: fetched.batchId, season: input.season });
  return { fetched, loaded };
}
