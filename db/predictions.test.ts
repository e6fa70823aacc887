// Served predictions against the seeded world: what batch inference stored, with SHAP values paired to the right
// feature values even when the feature snapshot orders its columns differently from the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedWorld } from '../test/api-fixture.ts';
import type { TestDatabase } from '../test/database.ts';
import { seededDatabase } from '../test/seeded.ts';
import { alignContributions, servedPrediction, servedPredictions } from './predictions.ts';

let db: TestDatabase;
let world: PublishedWorld;

beforeAll(async () => {
  ({ db, world } = await seededDatabase());
});
afterAll(async () => {
  await db?.drop();
});

describe('alignContributions', () => {
  it('pairs each SHAP value with the value of the same feature, whatever the orders', () => {
    expect(alignContributions(['b', 'a', 'z'], [0.5, -0.25, 0.1], ['a', 'b', 'c'], [1, Number.NaN, 3])).toEqual([
      { feature: 'b', value: null, contribution: 0.5 },
      { feature: 'a', value: 1, contribution: -0.25 },
      { feature: 'z', value: null, contribution: 0.1 },
    ]);
    expect(alignContributions(['a'], [0.5], ['a'], null)).toEqual([{ feature: 'a', value: null, contribution: 0.5 }]);
  });
});

describe('served predictions', () => {
  it('reads what the run stored, every model feature with its value', async () => {
    const id = world.ids.joseRamirez;
    const stored = world.current.predictions.get(id)!;
    const served = await servedPrediction(db.pool, world.current.predictionRunId, id);
    expect(served).toMatchObject({
      playerId: id,
      name: 'José Ramírez',
      modelVersion: world.current.modelVersion,
      asOfSeason: 2025,
      probability: stored.probability,
      baseValue: -2.5,
    });
    expect(served!.contributions.map((c) => c.feature)).toEqual(world.current.featureNames);
    served!.contributions.forEach((c, j) => {
      expect(c.contribution).toBeCloseTo(stored.shap[j]!, 5);
      const value = stored.values[c.feature];
      if (value === null || value === undefined) expect(c.value).toBeNull();
      else expect(c.value).toBeCloseTo(value, 5);
    });
    expect(served!.narrative.length).toBeGreaterThan(0);
    expect(served!.dynasty.value).toBeCloseTo(stored.dynastyValue, 3);
  });

  it('reads an older run with its own model', async () => {
    const id = world.ids.joseRamirez;
    const served = await servedPrediction(db.pool, world.older.predictionRunId, id);
    expect(served!.modelVersion).toBe(world.older.modelVersion);
    expect(served!.probability).toBeCloseTo(world.older.predictions.get(id)!.probability, 5);
    expect(served!.contributions.map((c) => c.feature)).toEqual(world.older.featureNames);
    expect(await servedPrediction(db.pool, world.older.predictionRunId, world.ids.newcomer)).toBeNull();
  });

  it('reads many at once in the order asked, leaving out unscored players', async () => {
    const ids = [world.ids.yoanMoncada, 123, world.ids.joseRamirez];
    const served = await servedPredictions(db.pool, world.current.predictionRunId, ids);
    expect(served.map((p) => p.playerId)).toEqual([world.ids.yoanMoncada, world.ids.joseRamirez]);
    expect(await servedPredictions(db.pool, 'no-such-run', ids)).toEqual([]);
  });
});
