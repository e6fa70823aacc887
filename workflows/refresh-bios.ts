/**
 * The weekly bio refresh (schedule `bio-refresh`, all year: positions and handedness change in winter too): refetch
 * current prospects' bios, then load them as a batch, which adds a bio version wherever one changed.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { FetchProspectBiosResult } from '../activities/bio-refresh.ts';

// Like a season fetch: many rate-limited requests, heartbeating, retried cheaply from the landing zone.
const { fetchProspectBios } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 8, maximumInterval: '1 minute' },
});
const { loadSeason } = proxyActivities<Activities>({
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 8, maximumInterval: '30 seconds' },
});

export interface RefreshBiosInput {
  /** Base URL of the source (a `--source` archive server); default the worker's. */
  sourceUrl?: string;
}

export interface RefreshBiosResult extends FetchProspectBiosResult {
  /** Bios the load stored (parsed from the responses; a malformed person is quarantined instead). */
  biosLoaded: number;
}

export function bioRefreshScheduleId(): string {
  return 'bio-refresh';
}

export async function refreshBios(input: RefreshBiosInput = {}): Promise<RefreshBiosResult> {
  const fetched = await fetchProspectBios(input.sourceUrl ? { sourceUrl: input.sourceUrl } : {});
  const loaded = await loadSeason({ batchId: fetched.batchId, season: fetched.season });
  return { ...fetched, biosLoaded: loaded.players };
}
