/**
 * The weekly bio refresh: refetch the people of current prospects (everyone with a minor-league line in the latest
 * minor-league season who is still rookie-eligible), so a position change or a corrected birth date becomes a new bio version with the date it
 * was seen. Fetching only writes the landing zone; `loadSeason` on the batch parses, shape-checks and stores the
 * bios (players and player_bio_versions), like any other batch.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { currentProspectIds } from '../db/season-lines.ts';
import { createMlbStatsClient } from '../sources/mlb-stats-api/client.ts';
import { MlbStatsApiError } from '../sources/mlb-stats-api/errors.ts';
import { claimBatch, currentAttempt } from './attempt-fence.ts';
import { activityLog, heartbeat, type ActivityDeps } from './context.ts';
import { MLB_SOURCE } from './ingest.ts';
import { finishFetchBatch, openLandingZone, type LostResponse } from './landing-zone.ts';

const PEOPLE_PER_REQUEST = 100;

export interface FetchProspectBiosResult {
  batchId: number;
  /** The latest season with minor-league lines, whose players were refetched; the batch is filed under it. */
  season: number;
  players: number;
  httpRequests: number;
  /** People responses that still failed after retries (malformed or refused), recorded in quarantine. */
  responsesLost: number;
}

export function createBioRefreshActivities(deps: ActivityDeps) {
  const { pool, config, log, mlbBaseUrl } = deps;
  return {
    async fetchProspectBios(input: { sourceUrl?: string } = {}): Promise<FetchProspectBiosResult> {
      const alog = activityLog(log);
      const { season, playerIds: ids } = await currentProspectIds(pool);
      if (season === null)
        throw ApplicationFailure.nonRetryable('no minor-league season is loaded: nothing to refresh', 'NoProspects');

      const baseUrl = input.sourceUrl ?? mlbBaseUrl;
      const remote = !/^https?:\/\/(127\.|localhost|\[::1\])/.test(baseUrl);
      const context = Context.current();
      // A batch per attempt, as for season fetches: an older attempt that timed out cannot write into this one.
      const batchId = await claimBatch(pool, { source: MLB_SOURCE, season, key: currentAttempt() });
      // Always from the source (that is the point), but a retry reuses what its own earlier attempts fetched.
      const zone = openLandingZone(pool, {
        batchId,
        source: MLB_SOURCE,
        refresh: true,
        refreshSince: new Date(context.info.scheduledTimestampMs),
      });
      const client = createMlbStatsClient({
        baseUrl,
        requestsPerSecond: config.mlb.requestsPerSecond ?? (remote ? 1 : 0),
        timeoutMs: config.mlb.timeoutMs,
        maxRetries: config.mlb.maxRetries,
        retryBaseDelayMs: remote ? 500 : 50,
        fetch: zone.fetch,
        signal: context.cancellationSignal,
        onWait: (wait) => heartbeat({ waiting: wait.reason, remainingMs: wait.remainingMs }),
        onResponse: async (r) => {
          await zone.record(r);
          heartbeat({ requests: zone.counts().httpRequests });
        },
      });
      const lost: LostResponse[] = [];
      for (let i = 0; i < ids.length; i += PEOPLE_PER_REQUEST) {
        try {
          await client.people(ids.slice(i, i + PEOPLE_PER_REQUEST));
        } catch (error) {
          // The source being down fails the attempt (Temporal retries); a bad answer is quarantined and skipped.
          if (!(error instanceof MlbStatsApiError) || (error.retryable && error.status !== 200)) throw error;
          lost.push({ url: error.url, reason: error.message, snippet: error.bodySnippet });
        }
      }
      const { httpRequests, reused } = zone.counts();
      await finishFetchBatch(pool, { batchId, source: MLB_SOURCE, lost, httpRequests, reused });
      alog.info({ season, batchId, players: ids.length, httpRequests, lost: lost.length }, 'prospect bios fetched');
      return { batchId, season, players: ids.length, httpRequests, responsesLost: lost.length };
    },
  };
}
