/**
 * Backfills a range of seasons: one child workflow per season, a few at a time, plus MLB-only seasons before the
 * range so each player's MLB time and outcomes are known. Progress is queryable and shown in the Temporal UI.
 */
import {
  ApplicationFailure,
  defineQuery,
  executeChild,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { MLB_LEAD_SEASONS } from '../lib/domain.ts';
import { DATA_QUALITY_BREACH, findBreach } from './data-quality.ts';
import { ingestSeason, seasonChildId, type IngestSeasonResult } from './ingest-season.ts';

export interface BackfillInput {
  fromSeason: number;
  toSeason: number;
  /** Minor-league sport ids to ingest; default every level that existed each season. MLB (1) is always fetched: its lines are the outcomes. */
  sportIds?: number[];
  /** Base URL of the source for this run (`--source`'s local archive server); default the worker's source. */
  sourceUrl?: string;
  /** Refetch from the source instead of reusing the landing zone. @default false */
  refresh?: boolean;
  /** MLB-only seasons ingested before `fromSeason`. @default 5 (`MLB_LEAD_SEASONS`, which the feature step reads) */
  mlbLeadSeasons?: number;
  /** Seasons ingested at once. @default 3 */
  concurrency?: number;
}

export interface BackfillProgress {
  seasonsTotal: number;
  seasonsDone: number;
  httpRequests: number;
  responsesReused: number;
  responsesLost: number;
  rowsFetched: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  duplicatesMerged: number;
  rowsNew: number;
  /** Time spent in load transactions, summed over seasons. */
  writeMs: number;
  seasons: { season: number; mlbOnly: boolean; rowsLoaded: number; rowsQuarantined: number }[];
  /** Seasons whose load tripped the data-quality circuit breaker (nothing of them loaded), with the breach message. */
  breaches: { season: number; message: string }[];
}

export const backfillProgressQuery = defineQuery<BackfillProgress>('progress');

/**
 * `backfill-2010-2025`; a run from a named source gets that source's path in its id (`backfill-2005-2011-archive-
 * 3f9c2a1b7d0e`), so it never attaches to a running backfill of other data.
 */
export function backfillWorkflowId(input: Pick<BackfillInput, 'fromSeason' | 'toSeason' | 'sourceUrl'>): string {
  const base = `backfill-${input.fromSeason}-${input.toSeason}`;
  if (!input.sourceUrl) return base;
  // No URL class here: workflow code runs in Temporal's sandbox. Origin is the path when there is one, else host:port.
  const [, origin = '', rest = ''] = /^[a-z]+:\/\/([^/]*)(.*)$/i.exec(input.sourceUrl) ?? [];
  const tag = (rest.replace(/^\/+|\/+$/g, '') || origin).replace(/[^A-Za-z0-9]+/g, '-');
  return `${base}-${tag}`;
}

export async function backfillHistory(input: BackfillInput): Promise<BackfillProgress> {
  const { fromSeason, toSeason, refresh = false, mlbLeadSeasons = MLB_LEAD_SEASONS, concurrency = 3 } = input;
  if (
    !Number.isInteger(fromSeason) ||
    !Number.isInteger(toSeason) ||
    fromSeason > toSeason ||
    toSeason - fromSeason > 60
  ) {
    throw ApplicationFailure.nonRetryable(`invalid season range ${fromSeason}-${toSeason}`, 'InvalidBackfillInput');
  }
  if (input.sportIds?.some((id) => !Number.isInteger(id) || id <= 0)) {
    throw ApplicationFailure.nonRetryable(
      `sportIds must be positive integers, got ${JSON.stringify(input.sportIds)}`,
      'InvalidBackfillInput',
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw ApplicationFailure.nonRetryable(`concurrency must be >= 1, got ${concurrency}`, 'InvalidBackfillInput');
  const work: { season: number; mlbOnly: boolean }[] = [];
  for (let s = fromSeason - mlbLeadSeasons; s < fromSeason; s++) work.push({ season: s, mlbOnly: true });
  for (let s = fromSeason; s <= toSeason; s++) work.push({ season: s, mlbOnly: false });

  const progress: BackfillProgress = {
    seasonsTotal: work.length,
    seasonsDone: 0,
    httpRequests: 0,
    responsesReused: 0,
    responsesLost: 0,
    rowsFetched: 0,
    rowsLoaded: 0,
    rowsQuarantined: 0,
    duplicatesMerged: 0,
    rowsNew: 0,
    writeMs: 0,
    seasons: [],
    breaches: [],
  };
  setHandler(backfillProgressQuery, () => progress);
  const publish = () => {
    upsertSearchAttributes({
      AfwdSeasonsDone: [progress.seasonsDone],
      AfwdRowsLoaded: [progress.rowsLoaded],
      AfwdRowsQuarantined: [progress.rowsQuarantined],
    });
    const breached = progress.breaches.length > 0 ? `, ${progress.breaches.length} breached (data quality)` : '';
    upsertMemo({
      progress: `${progress.seasonsDone}/${progress.seasonsTotal} seasons, ${progress.rowsLoaded} rows loaded, ${progress.rowsQuarantined} quarantined${breached}`,
    });
  };
  publish();

  const parentId = workflowInfo().workflowId;
  const queue = [...work];
  const add = (item: { season: number; mlbOnly: boolean }, r: IngestSeasonResult) => {
    progress.seasonsDone += 1;
    progress.httpRequests += r.httpRequests;
    progress.responsesReused += r.responsesReused;
    progress.responsesLost += r.responsesLost;
    progress.rowsFetched += r.rowsFetched;
    progress.rowsLoaded += r.rowsLoaded;
    progress.rowsQuarantined += r.rowsQuarantined;
    progress.duplicatesMerged += r.duplicatesMerged;
    progress.rowsNew += r.rowsNew;
    progress.writeMs += r.writeMs;
    progress.seasons.push({ ...item, rowsLoaded: r.rowsLoaded, rowsQuarantined: r.rowsQuarantined });
    publish();
  };
  // A breached season is recorded and the others still run, so one backfill reports every broken season.
  const breachOf = (season: number, error: unknown): null => {
    const breach = findBreach(error);
    if (!breach) throw error;
    progress.breaches.push({ season, message: breach.message });
    publish();
    return null;
  };
  const runner = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const current = item;
      const result = await executeChild(ingestSeason, {
        workflowId: seasonChildId(parentId, current.season),
        args: [
          {
            season: current.season,
            mlbOnly: current.mlbOnly,
            refresh,
            ...(input.sportIds ? { sportIds: input.sportIds } : {}),
            ...(input.sourceUrl ? { sourceUrl: input.sourceUrl } : {}),
          },
        ],
      }).catch((error: unknown) => breachOf(current.season, error));
      if (result) add(current, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, runner));
  progress.seasons.sort((a, b) => a.season - b.season);
  if (progress.breaches.length > 0) {
    // The backfill fails, so nothing downstream (features, training, publishing) runs on a broken history.
    const breaches = [...progress.breaches].sort((a, b) => a.season - b.season);
    throw ApplicationFailure.nonRetryable(
      `data-quality breach in ${breaches.length} of ${progress.seasonsTotal} seasons; nothing of those seasons was loaded. ${breaches.map((b) => b.message).join(' | ')}`,
      DATA_QUALITY_BREACH,
      { breaches, progress },
    );
  }
  return progress;
}
