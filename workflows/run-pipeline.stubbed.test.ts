import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../activities/index.ts';
import { WORKFLOWS_PATH, installTemporalRuntime } from '../infra/temporal-runtime.ts';
import { createLogger } from '../lib/log.ts';
import type { runPipeline } from './run-pipeline.ts';

// The workflow's orchestration alone: activities are stubs that record their calls.
describe('runPipeline orchestration', () => {
  let connection: Connection;
  let client: Client;
  let nativeConnection: NativeConnection;

  beforeAll(async () => {
    installTemporalRuntime(createLogger({ level: 'warn' }));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
    nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await connection.close();
    await nativeConnection.close();
  });

  function stubs(calls: string[], overrides: Partial<Activities> = {}): Activities {
    let batch = 0;
    const base = {
      fetchSeason: async ({ season }: { season: number }) => { calls.push(`fetch ${season}`); return { batchId: ++batch, requests: 10 }; },
      loadSeason: async ({ batchId }: { batchId: number }) => { calls.push(`load ${batchId}`); return { rowsLoaded: 100, rowsQuarantined: 2 }; },
      buildFeatures: async ({ snapshotId }: { snapshotId: string }) => { calls.push('features'); return { snapshotId, arrowPath: '/x.arrow', rows: 5, labelledRows: 3 }; },
      trainModel: async ({ modelVersion }: { modelVersion: string }) => { calls.push('train'); return { modelVersion, trainRows: 3, validationSeason: 2016, validationAuc: 0.8, champion: true }; },
      predictProspects: async ({ predictionRunId }: { predictionRunId: string }) => { calls.push('predict'); return { predictionRunId, prospects: 7 }; },
      publishSnapshot: async ({ rankingSnapshotId }: { rankingSnapshotId: string }) => { calls.push('snapshot'); return { rankingSnapshotId, snapshotPath: '/s.json', prospects: 7 }; },
      publishSite: async () => { calls.push('site'); return { siteDir: '/site', pages: 9 }; },
    };
    const activities: Activities = { ...base, ...overrides };
    return activities;
  }

  async function run(activities: Activities, input: { fromSeason: number; toSeason: number }) {
    const taskQueue = `stubbed-${Date.now()}-${Math.random()}`;
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities });
    return worker.runUntil(
      client.workflow.execute<typeof runPipeline>('runPipeline', { taskQueue, workflowId: taskQueue, args: [input] }),
    );
  }

  it('ingests every season before building features, and adds up the accounting', async () => {
    const calls: string[] = [];
    const result = await run(stubs(calls), { fromSeason: 2011, toSeason: 2018 });
    expect(calls.filter((c) => c.startsWith('fetch'))).toHaveLength(8);
    expect(calls.filter((c) => c.startsWith('load'))).toHaveLength(8);
    expect(calls.slice(-5)).toEqual(['features', 'train', 'predict', 'snapshot', 'site']);
    expect(result).toMatchObject({ stage: 'done', seasonsDone: 8, rowsLoaded: 800, rowsQuarantined: 16, requests: 80, prospects: 7, siteDir: '/site' });
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

  it('fails the run when a step fails for good, and publishes nothing', async () => {
    const calls: string[] = [];
    const failing = stubs(calls, {
      trainModel: async () => { throw ApplicationFailure.nonRetryable('no labelled seasons', 'NotEnoughData'); },
    });
    const error = await run(failing, { fromSeason: 2011, toSeason: 2016 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(calls).not.toContain('site');
    expect(calls).not.toContain('snapshot');
  });
});
