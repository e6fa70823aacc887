// The daily update on a breached refresh: the ingest child fails with DataQualityBreach and nothing is published.
// Orchestration alone (stub activities recording their calls) on the test Temporal server; the loader's side of a
// breach runs for real in circuit-breaker.test.ts.
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../activities/index.ts';
import { WORKFLOWS_PATH, installTemporalRuntime } from '../infra/temporal-runtime.ts';
import { createLogger } from '../lib/log.ts';
import type { dailyUpdate } from './daily-update.ts';

describe('dailyUpdate when the refreshed season breaches', () => {
  let connection: Connection;
  let nativeConnection: NativeConnection;

  beforeAll(async () => {
    installTemporalRuntime(createLogger({ level: 'error' }));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await connection?.close();
    await nativeConnection?.close();
  });

  it('fails with the breach, non-retryably, after one load attempt, and runs no feature, model, snapshot or site step', async () => {
    const calls: string[] = [];
    const record = (name: string) => async () => {
      calls.push(name);
      throw new Error(`${name} must not run after a breach`);
    };
    const activities: Partial<Activities> = {
      fetchSeason: async ({ season }) => {
        calls.push(`fetch ${season}`);
        return { batchId: 31, httpRequests: 12, responsesReused: 0, responsesLost: 0 };
      },
      loadSeason: async ({ batchId, season }) => {
        calls.push(`load ${batchId}`);
        throw ApplicationFailure.nonRetryable(
          `season ${season}, batch ${batchId}: data-quality breach: ${season} MLB pitching: 640 of 640 rows quarantined (100%), dominant reason: missing field stat.battersFaced`,
          'DataQualityBreach',
          { batchId, season },
        );
      },
      buildFeatures: record('features'),
      trainModel: record('train'),
      servingModel: record('serving'),
      predictProspects: record('predict'),
      publishSnapshot: record('snapshot'),
      recordRankMoves: record('moves'),
      publishSite: record('site'),
      checkFreshness: record('freshness'),
    };
    const taskQueue = `daily-breach-${Date.now()}-${Math.random()}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities,
    });
    const client = new Client({ connection });
    const failure = await worker.runUntil(
      client.workflow
        .execute<typeof dailyUpdate>('dailyUpdate', {
          taskQueue,
          workflowId: taskQueue,
          args: [{ fromSeason: 2015, season: 2026, today: '2026-07-15' }],
        })
        .then(
          () => null,
          (e: unknown) => e,
        ),
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('DataQualityBreach');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toContain(
      '2026 MLB pitching: 640 of 640 rows quarantined (100%), dominant reason: missing field stat.battersFaced',
    );
    expect(calls).toEqual(['fetch 2026', 'load 31']);
  });
});
