// A run's feature orders are read once per cache version and run, not on every prediction miss; a new version
// (a publication) reads them again, and a failed or empty read is not remembered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFeatures } from '../db/predictions.ts';
import type { Queryable } from '../lib/db.ts';
import { seedPublishedWorld, type PublishedWorld } from '../test/api-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { servedRunFeatures } from './run-features.ts';

describe('servedRunFeatures', () => {
  let db: TestDatabase;
  let world: PublishedWorld;
  beforeAll(async () => {
    db = await createTestDatabase();
    world = await seedPublishedWorld(db.pool);
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** The test database behind a counter of the statements sent, and a version the test moves. */
  function countingDeps() {
    const sent: string[] = [];
    let version = 'v1';
    const pool: Queryable = {
      query: ((text: string, values?: unknown[]) => {
        sent.push(text);
        return db.pool.query(text, values);
      }) as Queryable['query'],
    };
    return {
      deps: { pool, cache: { version: () => version } },
      sent,
      publish: (next: string) => {
        version = next;
      },
    };
  }

  it('reads a run once per version, with the same answer as the direct read', async () => {
    const { deps, sent, publish } = countingDeps();
    const runId = world.current.predictionRunId;
    const direct = await runFeatures(db.pool, runId);
    expect(direct?.modelFeatures.length).toBeGreaterThan(0);
    const first = await Promise.all([servedRunFeatures(deps, runId), servedRunFeatures(deps, runId)]);
    expect(await servedRunFeatures(deps, runId)).toEqual(direct);
    expect(first).toEqual([direct, direct]);
    expect(sent).toHaveLength(1);

    await servedRunFeatures(deps, world.older.predictionRunId);
    expect(sent).toHaveLength(2);

    publish('v2');
    expect(await servedRunFeatures(deps, runId)).toEqual(direct);
    expect(sent).toHaveLength(3);
  });

  it('does not remember an unknown run or a failed read', async () => {
    const { deps, sent } = countingDeps();
    expect(await servedRunFeatures(deps, 'no-such-run')).toBeNull();
    expect(await servedRunFeatures(deps, 'no-such-run')).toBeNull();
    expect(sent).toHaveLength(2);

    let fail = true;
    const flaky = {
      ...deps,
      pool: {
        query: ((text: string, values?: unknown[]) => {
          if (fail) return Promise.reject(new Error('connection lost'));
          return deps.pool.query(text, values);
        }) as Queryable['query'],
      },
    };
    await expect(servedRunFeatures(flaky, world.current.predictionRunId)).rejects.toThrow('connection lost');
    fail = false;
    expect((await servedRunFeatures(flaky, world.current.predictionRunId))?.modelVersion).toBeTruthy();
  });
});
