import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../activities/index.ts';
import { stubbedWorkerHarness, type StubbedWorkerHarness } from '../test/temporal.ts';
import type { dailyUpdate } from './daily-update.ts';
import type { runPipeline } from './run-pipeline.ts';

// The workflow's orchestration alone: activities are stubs that record their calls.
describe('runPipeline orchestration', () => {
  let harness: StubbedWorkerHarness;
  let client: Client;

  beforeAll(async () => {
    harness = await stubbedWorkerHarness();
    client = harness.client;
  });
  afterAll(async () => {
    await harness?.close();
  });

  function stubs(calls: string[], overrides: Partial<Activities> = {}): Partial<Activities> {
    let batch = 0;
    let serving: string | null = null;
    const base = {
      fetchSeason: async ({ season, mlbOnly }: { season: number; mlbOnly?: boolean }) => {
        calls.push(`fetch ${season}${mlbOnly ? ' mlb' : ''}`);
        return { batchId: ++batch, httpRequests: 10, responsesReused: 0, responsesLost: 0 };
      },
      loadSeason: async ({ batchId, season }: { batchId: number; season: number }) => {
        calls.push(`load ${batchId}`);
        return {
          batchId,
          season,
          rowsFetched: 105,
          rowsLoaded: 100,
          rowsQuarantined: 2,
          duplicatesMerged: 3,
          rowsNew: 100,
          rowsFlagged: 0,
          players: 50,
          writeMs: 5,
        };
      },
      buildFeatures: async ({ snapshotId, toSeason }: { snapshotId: string; toSeason: number }) => {
        calls.push('features');
        return {
          snapshotId,
          arrowPath: '/x.arrow',
          rows: 5,
          labelledRows: 3,
          lastCompleteSeason: toSeason,
          scoringSeason: toSeason,
        };
      },
      trainModel: async ({ modelVersion }: { modelVersion: string }) => {
        calls.push('train');
        return {
          modelVersion,
          trainRows: 3,
          validationSeason: 2016,
          holdoutSeason: 2017,
          holdoutAuc: 0.8,
          champion: true,
        };
      },
      predictProspects: async ({ predictionRunId }: { predictionRunId: string }) => {
        calls.push('predict');
        return { predictionRunId, prospects: 7 };
      },
      monitorModel: async ({ day }: { day: string }) => {
        calls.push('monitor');
        return {
          day,
          modelVersion: 'm',
          driftStatus: 'measured' as const,
          psiMax: 0.01,
          psiMaxFeature: 'age',
          baselineDay: day,
          psiRiseMax: 0,
          psiRiseMaxFeature: 'age',
          calibrationStatus: 'not-enough-data' as const,
          liveOutcomes: 0,
          liveEce: null,
          warnings: [],
        };
      },
      publishSnapshot: async ({ rankingSnapshotId }: { rankingSnapshotId: string }) => {
        calls.push('snapshot');
        return { rankingSnapshotId, snapshotPath: '/s.json', prospects: 7 };
      },
      promoteModel: async ({ modelVersion }: { modelVersion: string }) => {
        calls.push('promote');
        serving = modelVersion;
        return { promoted: true, reason: 'no champion yet' };
      },
      checkRollback: async () => {
        calls.push('rollback');
        return { rolledBack: false, reason: 'no previous champion to compare with' };
      },
      servingModel: async () => {
        calls.push('serving');
        return serving ? { modelVersion: serving } : null;
      },
      checkFreshness: async () => {
        calls.push('freshness');
        return [{ source: 'mlb-stats-api', ageHours: 0, stale: false }];
      },
      recordRankMoves: async () => {
        calls.push('moves');
        return { notifications: 2, previous: null };
      },
      publishSite: async () => {
        calls.push('site');
        return { siteDir: '/site', pages: 9 };
      },
      notifyRankMoves: async () => {
        calls.push('notify');
        return { queued: 0 };
      },
      recomputeAllFantraxRecommendations: async () => {
        calls.push('fantrax');
        return { users: 0, leagues: 0 };
      },
    };
    return { ...base, ...overrides };
  }

  async function run(activities: Partial<Activities>, input: { fromSeason: number; toSeason: number }) {
    const { worker, taskQueue } = await harness.worker('stubbed', activities);
    return worker.runUntil(
      client.workflow.execute<typeof runPipeline>('runPipeline', { taskQueue, workflowId: taskQueue, args: [input] }),
    );
  }

  it('runs the daily update: refetches the season, scores with the serving model, checks freshness', async () => {
    const calls: string[] = [];
    let featuresToday = '';
    let scoredSeason = 0;
    const activities = stubs(calls, {
      servingModel: async () => {
        calls.push('serving');
        return { modelVersion: 'xgb-champion' };
      },
      // In July the feature step finds 2025 the last finished season; the ranking must score that one.
      buildFeatures: async ({ snapshotId, today }) => {
        calls.push('features');
        featuresToday = today;
        return {
          snapshotId,
          arrowPath: '/x.arrow',
          rows: 5,
          labelledRows: 3,
          lastCompleteSeason: 2025,
          scoringSeason: 2025,
        };
      },
      predictProspects: async ({ predictionRunId, asOfSeason }) => {
        calls.push('predict');
        scoredSeason = asOfSeason;
        return { predictionRunId, prospects: 7 };
      },
    });
    const { worker, taskQueue } = await harness.worker('daily', activities);
    const result = await worker.runUntil(
      client.workflow.execute<typeof dailyUpdate>('dailyUpdate', {
        taskQueue,
        workflowId: taskQueue,
        args: [{ fromSeason: 2011, season: 2026, today: '2026-07-15' }],
      }),
    );
    expect(calls).toEqual([
      'fetch 2026',
      'load 1',
      'features',
      'serving',
      'predict',
      'monitor',
      'snapshot',
      'moves',
      'site',
      'notify',
      'fantrax',
      'freshness',
    ]);
    expect(featuresToday).toBe('2026-07-15');
    expect(scoredSeason).toBe(2025);
    expect(result.published.scoringSeason).toBe(2025);
    expect(result).toMatchObject({
      season: 2026,
      stale: [],
      published: { modelVersion: 'xgb-champion', rankMoves: 2 },
    });
  });

  it('ingests every season before building features, and adds up the accounting', async () => {
    const calls: string[] = [];
    const result = await run(stubs(calls), { fromSeason: 2011, toSeason: 2018 });
    // Five MLB-only seasons before the range, so every player's MLB time is known, then the range itself.
    expect(calls.filter((c) => c.endsWith(' mlb')).sort()).toEqual([
      'fetch 2006 mlb',
      'fetch 2007 mlb',
      'fetch 2008 mlb',
      'fetch 2009 mlb',
      'fetch 2010 mlb',
    ]);
    expect(calls.filter((c) => c.startsWith('fetch'))).toHaveLength(13);
    expect(calls.filter((c) => c.startsWith('load'))).toHaveLength(13);
    expect(calls.slice(-12)).toEqual([
      'features',
      'train',
      'promote',
      'rollback',
      'serving',
      'predict',
      'monitor',
      'snapshot',
      'moves',
      'site',
      'notify',
      'fantrax',
    ]);
    expect(result.backfill).toMatchObject({
      seasonsDone: 13,
      rowsFetched: 1365,
      rowsLoaded: 1300,
      rowsQuarantined: 26,
      duplicatesMerged: 39,
      httpRequests: 130,
    });
    expect(result).toMatchObject({ prospects: 7, rankMoves: 2, siteDir: '/site' });
  });

  it('rejects a season range too short to label, without retrying', async () => {
    const calls: string[] = [];
    const error = await run(stubs(calls), { fromSeason: 2015, toSeason: 2017 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidPipelineInput');
    expect(cause.message).toMatch(/at least 6 seasons/);
    expect(calls).toEqual([]);
  });

  it('publishes the rankings even when model monitoring fails for good', async () => {
    const calls: string[] = [];
    const failing = stubs(calls, {
      monitorModel: async () => {
        calls.push('monitor');
        throw ApplicationFailure.nonRetryable('monitoring broke', 'MonitoringBug');
      },
    });
    const result = await run(failing, { fromSeason: 2011, toSeason: 2016 });
    expect(calls.slice(-7)).toEqual(['predict', 'monitor', 'snapshot', 'moves', 'site', 'notify', 'fantrax']);
    expect(result).toMatchObject({ prospects: 7, siteDir: '/site' });
  });

  it('ends a run cancelled during model monitoring as cancelled, without publishing', async () => {
    const calls: string[] = [];
    let monitoringStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      monitoringStarted = resolve;
    });
    const slow = stubs(calls, {
      monitorModel: async () => {
        calls.push('monitor');
        monitoringStarted();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        throw ApplicationFailure.nonRetryable('too late', 'Late');
      },
    });
    const { worker, taskQueue } = await harness.worker('cancelled', slow);
    const error = await worker.runUntil(async () => {
      const handle = await client.workflow.start<typeof runPipeline>('runPipeline', {
        taskQueue,
        workflowId: taskQueue,
        args: [{ fromSeason: 2011, toSeason: 2016 }],
      });
      await started;
      await handle.cancel();
      return handle.result().catch((e: unknown) => e);
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(calls).toContain('monitor');
    expect(calls).not.toContain('snapshot');
  });

  it('fails the run when a step fails for good, and publishes nothing', async () => {
    const calls: string[] = [];
    const failing = stubs(calls, {
      trainModel: async () => {
        throw ApplicationFailure.nonRetryable('no labelled seasons', 'NotEnoughData');
      },
    });
    const error = await run(failing, { fromSeason: 2011, toSeason: 2016 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(calls).not.toContain('site');
    expect(calls).not.toContain('snapshot');
  });
});
