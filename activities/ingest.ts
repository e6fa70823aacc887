/**
 * Ingestion in two steps joined by the landing zone: `fetchSeason` stores (or reuses) every raw response of a season;
 * `loadSeason` checks their shape, parses and validates them, loads what is sound and quarantines the rest with its
 * reason. Both are idempotent, so Temporal may retry either freely: every fetch attempt writes a batch of its own and
 * fences out the older attempts of the same activity (activities/attempt-fence.ts), and a load of a batch that is
 * already loaded returns what that load recorded.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { knownPlayerIds } from '../db/players.ts';
import { createMlbStatsClient } from '../sources/mlb-stats-api/client.ts';
import { MlbStatsApiError } from '../sources/mlb-stats-api/errors.ts';
import { levelsToFetch } from '../sources/mlb-stats-api/levels.ts';
import { parseStatSplits } from '../sources/mlb-stats-api/parse.ts';
import { claimBatch, currentAttempt, finishedLoad, withBatchLoadLock } from './attempt-fence.ts';
import { activityLog, heartbeat, type ActivityDeps } from './context.ts';
import { qualityGate } from './data-quality.ts';
import { finishFetchBatch, openLandingZone, type LostResponse } from './landing-zone.ts';
import { loadBatch, type LoadResult } from './load-season.ts';

export const MLB_SOURCE = 'mlb-stats-api';
const PEOPLE_PER_REQUEST = 100;

export interface FetchSeasonInput {
  season: number;
  /** Only MLB (sportId 1) lines: the seasons before a backfill's first, which give MLB time and outcomes. */
  mlbOnly?: boolean;
  /** Restrict to these sport ids (levels); default every level that existed that season. */
  sportIds?: number[];
  /** Fetch from the source even where the landing zone already holds a response. */
  refresh?: boolean;
  /** Base URL of the source for this run (a `--source` archive server); default the worker's `mlbBaseUrl`. */
  sourceUrl?: string;
}

export interface FetchSeasonResult {
  batchId: number;
  httpRequests: number;
  responsesReused: number;
  /** Responses that still failed after retries (malformed or refused), recorded in quarantine. */
  responsesLost: number;
}

/** Failures worth an activity retry later: the source is down or slow. A bad answer is quarantined instead. */
function sourceIsDown(error: MlbStatsApiError): boolean {
  return error.retryable && error.status !== 200;
}

export function createIngestActivities(deps: ActivityDeps) {
  const { pool, config, log, mlbBaseUrl, metrics } = deps;
  const isRemote = (url: string) => !/^https?:\/\/(127\.|localhost|\[::1\])/.test(url);

  return {
    async fetchSeason(input: FetchSeasonInput): Promise<FetchSeasonResult> {
      const alog = activityLog(log);
      const { season } = input;
      const baseUrl = input.sourceUrl ?? mlbBaseUrl;
      const remote = isRemote(baseUrl);
      const requestsPerSecond = config.mlb.requestsPerSecond ?? (remote ? 1 : 0);
      const context = Context.current();
      // A batch per attempt: an earlier attempt that timed out may still be running, and must not write into ours.
      const batchId = await claimBatch(pool, { source: MLB_SOURCE, season, key: currentAttempt() });
      const zone = openLandingZone(pool, {
        batchId,
        source: MLB_SOURCE,
        refresh: input.refresh ?? false,
        // A retried refresh reuses what its own earlier attempts fetched instead of asking the source again.
        refreshSince: new Date(context.info.scheduledTimestampMs),
      });
      const client = createMlbStatsClient({
        baseUrl,
        requestsPerSecond,
        timeoutMs: config.mlb.timeoutMs,
        maxRetries: config.mlb.maxRetries,
        retryBaseDelayMs: remote ? 500 : 50,
        fetch: zone.fetch,
        // Cancellation (or a timeout Temporal reports on a heartbeat) aborts the request in flight and any wait.
        signal: context.cancellationSignal,
        // A long rate-limit wait or backoff is still progress: heartbeat through it.
        onWait: (wait) =>
          heartbeat({
            season,
            waiting: wait.reason,
            remainingMs: wait.remainingMs,
            requests: zone.counts().httpRequests,
          }),
        onResponse: async (r) => {
          await zone.record(r);
          heartbeat({ season, requests: zone.counts().httpRequests });
        },
      });
      const lost: LostResponse[] = [];
      const lose = (error: MlbStatsApiError) => {
        if (sourceIsDown(error)) return 'throw' as const;
        lost.push({ url: error.url, reason: error.message, snippet: error.bodySnippet });
        return 'skip' as const;
      };
      const guard = async (call: () => Promise<unknown>, benign404 = false): Promise<unknown> => {
        try {
          return await call();
        } catch (error) {
          if (!(error instanceof MlbStatsApiError)) throw error;
          if (benign404 && error.status === 404) return undefined;
          if (lose(error) === 'throw') throw error;
          return undefined;
        }
      };

      const levels = levelsToFetch(input);
      await guard(() => client.teams({ season, sportIds: levels }));
      const playerIds = new Set<number>();
      for (const group of ['hitting', 'pitching'] as const) {
        const splits = await client
          .seasonStats({
            season,
            group,
            sportIds: levels,
            onPageError: lose,
            // Followed page by page, so nothing is lost; worth knowing, since it multiplies the requests.
            onCappedPage: (page) =>
              alog.warn({ season, group, ...page }, 'the source caps the page size: paging on from what it sent'),
          })
          .catch((error: unknown) => {
            // A season the source refuses (404/400, e.g. one a recorded archive does not hold) or pages that contradict
            // their totalSplits fail the same way on every attempt (the landing zone replays them): fail now, not 8 times.
            if (error instanceof MlbStatsApiError && !error.retryable) {
              const said = error.bodySnippet ? `: ${error.bodySnippet}` : '';
              throw ApplicationFailure.nonRetryable(
                `season ${season} ${group}: ${error.message}${said}`,
                'SourceRefusedSeason',
              );
            }
            throw error;
          });
        // Ids come from the parser, which knows every shape the API has used (a season once said `person`).
        for (const line of parseStatSplits(splits, group).lines) playerIds.add(line.playerId);
      }
      // Bios already loaded are not fetched again: most players appear in several seasons.
      const knownIds = await knownPlayerIds(pool, [...playerIds]);
      const missing = [...playerIds].filter((id) => !knownIds.has(id)).sort((a, b) => a - b);
      for (let i = 0; i < missing.length; i += PEOPLE_PER_REQUEST) {
        await guard(() => client.people(missing.slice(i, i + PEOPLE_PER_REQUEST)));
      }
      // A draft year the source does not know is an expected empty answer, not a fault.
      if (!input.mlbOnly) await guard(() => client.draft(season), true);

      const { httpRequests, reused } = zone.counts();
      await finishFetchBatch(pool, { batchId, source: MLB_SOURCE, lost, httpRequests, reused });
      alog.info(
        { season, batchId, httpRequests, reused, lost: lost.length, players: playerIds.size, newBios: missing.length },
        'season fetched',
      );
      return { batchId, httpRequests, responsesReused: reused, responsesLost: lost.length };
    },

    async loadSeason(input: { batchId: number; season: number }): Promise<LoadResult> {
      const alog = activityLog(log);
      // The circuit breaker's verdict goes to the log and the worker's metrics; a breach fails non-retryably.
      const gate = qualityGate(config.dataQuality, alog, () => Context.current().metricMeter);
      // Attempts of a load take turns; one that finds the batch loaded (its predecessor timed out after committing)
      // returns what that load returned, so the run's accounting is the same as if nothing had timed out.
      // The load records its result in its own transaction (loadBatch), so a crash after its COMMIT loses nothing.
      // A waiting attempt heartbeats and stops on cancellation, instead of blocking until the statement timeout.
      const signal = Context.current().cancellationSignal;
      const result = await withBatchLoadLock(
        pool,
        input.batchId,
        async () => {
          const earlier = await finishedLoad<LoadResult>(pool, input.batchId);
          if (earlier) {
            alog.info({ batchId: input.batchId }, 'batch already loaded by an earlier attempt');
            return earlier;
          }
          const loaded = await loadBatch(pool, input, MLB_SOURCE, (phase) => heartbeat({ phase }), gate, signal);
          // Counted once, by the attempt that committed it: a retry that finds the batch loaded returns above.
          metrics?.seasonLoaded(loaded);
          return loaded;
        },
        { signal, onWait: (waited) => heartbeat({ phase: 'waiting for the load lock', ...waited }) },
      );
      if (result.rowsFetched !== result.rowsLoaded + result.rowsQuarantined + result.duplicatesMerged) {
        throw ApplicationFailure.nonRetryable(
          `batch ${input.batchId} does not add up: ${JSON.stringify(result)}`,
          'AccountingMismatch',
        );
      }
      alog.info({ ...result }, 'season loaded');
      return result;
    },
  };
}

export type { LoadResult };
