/**
 * The model's answers, read from what batch inference stored for the served snapshot (nothing is computed on
 * request): one prediction (any account; free ones 10 a minute), a batch of up to 500 (premium), and every feature's
 * contribution to one prediction (premium). `as_of` reproduces what the model served on a past day.
 */
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { servedPrediction, servedPredictions, servedRun } from '../../db/predictions.ts';
import type { PublishedSnapshot } from '../../db/rankings.ts';
import { sendJson } from '../cache.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { servedRunFeatures } from '../run-features.ts';
import { limitRoute } from '../middleware/rate-limit.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';
import { AsOfQuerySchema, PlayerIdParamsSchema } from '../schemas/common.ts';
import {
  BatchPredictionSchema,
  BatchPredictRequestSchema,
  ExplanationSchema,
  PredictionSchema,
  toAsOf,
  toExplanation,
  toPrediction,
  toPredictionItem,
} from '../schemas/prediction.ts';
import { cacheKey, servedSnapshot } from './prospects.ts';

/** Free accounts' predictions per minute; premium and admin accounts are not limited here. */
export const FREE_PREDICTIONS_PER_MINUTE = 10;

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export function mlRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();

  const predict = createRoute({
    method: 'post',
    path: '/ml/predict/{id}',
    tags: ['ml'],
    summary: `One prospect's served prediction: probability, confidence, narrative, top SHAP factors, ETA, dynasty value, model version and as-of date (any account; free: ${FREE_PREDICTIONS_PER_MINUTE} a minute).`,
    security: [{ bearer: [] }],
    middleware: [
      requireRole('free', 'premium', 'admin'),
      limitRoute(deps, { name: 'predictions', limit: FREE_PREDICTIONS_PER_MINUTE, windowSeconds: 60, roles: ['free'] }),
    ] as const,
    request: { params: PlayerIdParamsSchema, query: AsOfQuerySchema },
    responses: { 200: json(PredictionSchema, 'The prediction'), ...problemResponses(400, 401, 404, 413, 429, 503) },
  });

  const batch = createRoute({
    method: 'post',
    path: '/ml/batch-predict',
    tags: ['ml'],
    summary: 'Served predictions of up to 500 prospects at once (premium).',
    security: [{ bearer: [] }],
    middleware: [requireRole('premium', 'admin')] as const,
    request: {
      query: AsOfQuerySchema,
      body: { required: true, content: { 'application/json': { schema: BatchPredictRequestSchema } } },
    },
    responses: {
      200: json(BatchPredictionSchema, 'The predictions'),
      ...problemResponses(400, 401, 403, 404, 413, 415, 429, 503),
    },
  });

  const explanation = createRoute({
    method: 'get',
    path: '/ml/explanations/{id}',
    tags: ['ml'],
    summary: "Every feature's SHAP contribution to one served prediction, with the player's value of it (premium).",
    security: [{ bearer: [] }],
    middleware: [requireRole('premium', 'admin')] as const,
    request: { params: PlayerIdParamsSchema, query: AsOfQuerySchema },
    responses: {
      200: json(ExplanationSchema, 'The explanation'),
      ...problemResponses(400, 401, 403, 404, 413, 429, 503),
    },
  });

  /** One player's stored prediction in the served (or `asOf`) snapshot, shaped by `shape`, through the cache. */
  const served = <T>(
    what: string,
    id: number,
    asOf: string | undefined,
    shape: (prediction: NonNullable<Awaited<ReturnType<typeof servedPrediction>>>, snapshot: PublishedSnapshot) => T,
  ) =>
    deps.cache.getOrLoadJson('prediction', cacheKey(`${what}/${id}`, { as_of: asOf ?? 'latest' }), async () => {
      const snapshot = await servedSnapshot(deps, asOf);
      const features = await servedRunFeatures(deps, snapshot.predictionRunId);
      const prediction = await servedPrediction(deps.pool, snapshot.predictionRunId, id, features);
      if (!prediction) throw new HttpProblem(404, `No prediction for player ${id} in snapshot ${snapshot.snapshotId}.`);
      return shape(prediction, snapshot);
    });

  app.openapi(predict, async (c) => {
    const id = Number(c.req.valid('param').id);
    const { as_of: asOf } = c.req.valid('query');
    return sendJson(c, await served('predict', id, asOf, toPrediction));
  });

  // Not cached: a batch's ids rarely repeat, and its one indexed query is cheaper than 500 cache lookups.
  app.openapi(batch, async (c) => {
    const { ids } = c.req.valid('json');
    const { as_of: asOf } = c.req.valid('query');
    const unique = [...new Set(ids)];
    const snapshot = await servedSnapshot(deps, asOf);
    const [run, predictions] = await Promise.all([
      servedRun(deps.pool, snapshot.predictionRunId),
      servedRunFeatures(deps, snapshot.predictionRunId).then((features) =>
        servedPredictions(deps.pool, snapshot.predictionRunId, unique, features),
      ),
    ]);
    if (!run) throw new HttpProblem(404, `Snapshot ${snapshot.snapshotId} has no prediction run.`);
    const found = new Set(predictions.map((p) => p.playerId));
    return c.json(
      {
        modelVersion: run.modelVersion,
        asOf: toAsOf(snapshot, run.asOfSeason),
        predictions: predictions.map(toPredictionItem),
        notFound: unique.filter((id) => !found.has(id)),
      },
      200,
    );
  });

  app.openapi(explanation, async (c) => {
    const id = Number(c.req.valid('param').id);
    const { as_of: asOf } = c.req.valid('query');
    return sendJson(c, await served('explanations', id, asOf, toExplanation));
  });

  return app;
}
