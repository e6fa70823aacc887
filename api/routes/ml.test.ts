// The ML routes over the seeded world: predictions, batches and explanations read from what batch inference stored,
// who may call them (and how often), as_of, and bad input answered with 4xx problems.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from '@hono/zod-openapi';
import type { PublishedWorld } from '../../test/api-fixture.ts';
import { seededApi } from '../../test/seeded.ts';
import { createUser } from '../../test/api-users.ts';
import type { TestApi, TestRequestOptions } from '../../test/api.ts';
import { BatchPredictionSchema, ExplanationSchema, PredictionSchema } from '../schemas/prediction.ts';

let api: TestApi;
let world: PublishedWorld;
let premium: string;
let free: string;

beforeAll(async () => {
  ({ api, world, premium, free } = await seededApi());
});
afterAll(async () => {
  await api?.close();
});

async function body<T extends z.ZodType>(res: Response, schema: T): Promise<z.infer<T>> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const json = JSON.parse(text) as unknown;
  const parsed = schema.parse(json);
  expect(parsed).toEqual(json);
  return parsed;
}

async function problem(res: Response, status: number): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect((JSON.parse(text) as { detail: string }).detail.length).toBeGreaterThan(0);
}

const call = (method: string, path: string, options?: TestRequestOptions) =>
  api.request(method, `/api/v1${path}`, options);

describe('POST /api/v1/ml/predict/{id}', () => {
  it('needs a login', async () => {
    await problem(await call('POST', `/ml/predict/${world.ids.joseRamirez}`), 401);
  });

  it('answers what the served run stored, with the model version and as-of date', async () => {
    const prediction = await body(
      await call('POST', `/ml/predict/${world.ids.joseRamirez}`, { token: premium }),
      PredictionSchema,
    );
    const stored = world.current.predictions.get(world.ids.joseRamirez)!;
    expect(prediction).toMatchObject({
      playerId: world.ids.joseRamirez,
      name: 'José Ramírez',
      probability: stored.probability,
      modelVersion: world.current.modelVersion,
      asOf: { date: '2025-06-01', snapshotId: world.current.id, season: 2025 },
    });
    expect(prediction.narrative.length).toBeGreaterThan(0);
    expect(prediction.factors).toHaveLength(8);
    const sizes = prediction.factors.map((f) => Math.abs(f.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(prediction.eta).toBe(world.players[0]!.eta);
    expect(prediction.dynasty.value).toBeCloseTo(stored.dynastyValue, 3);
  });

  it('reproduces a past day with as_of, and 404s before the first publication', async () => {
    const prediction = await body(
      await call('POST', `/ml/predict/${world.ids.joseRamirez}?as_of=2025-05-31`, { token: premium }),
      PredictionSchema,
    );
    expect(prediction.probability).toBe(world.older.predictions.get(world.ids.joseRamirez)!.probability);
    expect(prediction.modelVersion).toBe(world.older.modelVersion);
    expect(prediction.asOf).toMatchObject({ date: '2025-03-01', snapshotId: world.older.id, season: 2024 });
    await problem(await call('POST', `/ml/predict/${world.ids.joseRamirez}?as_of=2024-12-31`, { token: premium }), 404);
    await problem(await call('POST', `/ml/predict/${world.ids.newcomer}?as_of=2025-05-31`, { token: premium }), 404);
  });

  it('gives free accounts 10 a minute and premium ones no such limit', async () => {
    const { accessToken } = await createUser(api, 'free');
    for (let i = 0; i < 10; i++) {
      expect((await call('POST', `/ml/predict/${world.ids.yoanMoncada}`, { token: accessToken })).status).toBe(200);
    }
    const refused = await call('POST', `/ml/predict/${world.ids.yoanMoncada}`, { token: accessToken });
    await problem(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let i = 0; i < 15; i++) {
      expect((await call('POST', `/ml/predict/${world.ids.yoanMoncada}`, { token: premium })).status).toBe(200);
    }
  });

  it('answers unknown ids with 404 and malformed ones with 400', async () => {
    await problem(await call('POST', '/ml/predict/123', { token: premium }), 404);
    await problem(await call('POST', `/ml/predict/${world.ids.unpublishedOnly}`, { token: premium }), 404);
    for (const id of [
      'abc',
      '99999999999',
      '0',
      '..%2Fetc%2Fpasswd',
      '1%20OR%201%3D1',
      '1;DROP%20TABLE%20predictions',
    ]) {
      await problem(await call('POST', `/ml/predict/${id}`, { token: premium }), 400);
    }
    await problem(await call('POST', `/ml/predict/${world.ids.joseRamirez}?as_of=2025-13-01`, { token: premium }), 400);
  });
});

describe('POST /api/v1/ml/batch-predict', () => {
  it('is for premium accounts', async () => {
    await problem(await call('POST', '/ml/batch-predict', { body: { ids: [world.ids.joseRamirez] } }), 401);
    await problem(
      await call('POST', '/ml/batch-predict', { body: { ids: [world.ids.joseRamirez] }, token: free }),
      403,
    );
  });

  it('answers every id it has a prediction for, in order, and names the others', async () => {
    const ids = [world.ids.yoanMoncada, 123, world.ids.joseRamirez, world.ids.yoanMoncada];
    const batch = await body(
      await call('POST', '/ml/batch-predict', { body: { ids }, token: premium }),
      BatchPredictionSchema,
    );
    expect(batch.modelVersion).toBe(world.current.modelVersion);
    expect(batch.asOf).toMatchObject({ date: '2025-06-01', snapshotId: world.current.id });
    expect(batch.predictions.map((p) => p.playerId)).toEqual([world.ids.yoanMoncada, world.ids.joseRamirez]);
    expect(batch.predictions[1]!.probability).toBe(world.current.predictions.get(world.ids.joseRamirez)!.probability);
    expect(batch.notFound).toEqual([123]);
  });

  it('takes up to 500 ids, and as_of', async () => {
    const ids = [...world.players.map((p) => p.id), ...Array.from({ length: 440 }, (_, i) => 1_000_000 + i)];
    expect(ids).toHaveLength(500);
    const batch = await body(
      await call('POST', '/ml/batch-predict?as_of=2025-03-01', { body: { ids }, token: premium }),
      BatchPredictionSchema,
    );
    expect(batch.modelVersion).toBe(world.older.modelVersion);
    expect(batch.predictions).toHaveLength(56);
    expect(batch.notFound).toHaveLength(444);
  });

  it('refuses bad bodies with 4xx problems', async () => {
    const tooMany = Array.from({ length: 501 }, (_, i) => i + 1);
    const json = { 'content-type': 'application/json' };
    for (const options of [
      { body: { ids: tooMany } },
      { body: { ids: [] } },
      { body: {} },
      { body: { ids: ['900001'] } },
      { body: { ids: [1.5] } },
      { body: { ids: [0] } },
      { body: { ids: [99999999999] } },
      { body: { ids: '1; DROP TABLE predictions' } },
      { body: { ids: [1], extra: true } },
      { body: [1, 2] },
      { rawBody: '{"ids": [1,', headers: json },
      { rawBody: 'null', headers: json },
    ] satisfies TestRequestOptions[]) {
      const res = await call('POST', '/ml/batch-predict', { ...options, token: premium });
      await problem(res, 400);
    }
    const huge = await call('POST', '/ml/batch-predict', {
      rawBody: JSON.stringify({ ids: Array.from({ length: 20_000 }, (_, i) => i + 1) }),
      headers: json,
      token: premium,
    });
    await problem(huge, 413);
  });
});

describe('GET /api/v1/ml/explanations/{id}', () => {
  it('is for premium accounts', async () => {
    await problem(await call('GET', `/ml/explanations/${world.ids.joseRamirez}`), 401);
    await problem(await call('GET', `/ml/explanations/${world.ids.joseRamirez}`, { token: free }), 403);
  });

  it("gives every feature's value and contribution, in the model's order", async () => {
    for (const id of [world.ids.joseRamirez, world.players.find((p) => p.isPitcher)!.id]) {
      const explanation = await body(
        await call('GET', `/ml/explanations/${id}`, { token: premium }),
        ExplanationSchema,
      );
      const stored = world.current.predictions.get(id)!;
      expect(explanation).toMatchObject({
        playerId: id,
        modelVersion: world.current.modelVersion,
        baseValue: -2.5,
        probability: stored.probability,
      });
      expect(explanation.features.map((f) => f.feature)).toEqual(world.current.featureNames);
      explanation.features.forEach((f, j) => {
        expect(f.contribution).toBeCloseTo(stored.shap[j]!, 5);
        const value = stored.values[f.feature];
        if (value === null || value === undefined) expect(f.value).toBeNull();
        else expect(f.value).toBeCloseTo(value, 5);
        expect(f.label.length).toBeGreaterThan(0);
      });
    }
  });

  it('reproduces the older model with as_of', async () => {
    const explanation = await body(
      await call('GET', `/ml/explanations/${world.ids.joseRamirez}?as_of=2025-03-02`, { token: premium }),
      ExplanationSchema,
    );
    expect(explanation.modelVersion).toBe(world.older.modelVersion);
    expect(explanation.features.map((f) => f.feature)).toEqual(world.older.featureNames);
  });

  it('answers unknown ids with 404 and malformed ones with 400', async () => {
    await problem(await call('GET', '/ml/explanations/123', { token: premium }), 404);
    for (const id of ['abc', '99999999999', '..%2F..%2Fetc%2Fpasswd']) {
      await problem(await call('GET', `/ml/explanations/${id}`, { token: premium }), 400);
    }
  });
});
