/**
 * Request and response schemas of the ML routes, and the functions that build the responses field by field from
 * what batch inference stored (db/predictions.ts).
 */
import { z } from '@hono/zod-openapi';
import type { ServedPrediction } from '../../db/predictions.ts';
import type { PublishedSnapshot } from '../../db/rankings.ts';
import { FEATURE_CATALOG } from '../../training/feature-catalog.ts';
import { PlayerIdSchema } from './common.ts';
import { DynastySchema, FactorSchema } from './prospect.ts';

/** Top factors a prediction shows, as the published cards do. */
export const TOP_FACTORS = 8;
export const BATCH_MAX_IDS = 500;

const LABELS = new Map<string, string>(FEATURE_CATALOG.map((f) => [f.name, f.label]));

export const AsOfSchema = z
  .object({
    date: z
      .string()
      .openapi({ description: 'Day the served snapshot was published (YYYY-MM-DD, UTC)', example: '2025-06-01' }),
    publishedAt: z.string().openapi({ description: 'When it was published (ISO 8601, UTC)' }),
    snapshotId: z.string().openapi({ description: 'Ranking snapshot id' }),
    season: z.number().int().openapi({ description: 'The season the features describe', example: 2025 }),
  })
  .openapi('PredictionAsOf');

export const PredictionItemSchema = z
  .object({
    playerId: z.number().int(),
    name: z.string(),
    probability: z
      .number()
      .min(0)
      .max(1)
      .openapi({ description: 'Calibrated probability of MLB success (500 PA or 100 IP within 4 seasons)' }),
    confidence: z.enum(['High', 'Medium', 'Low']),
    narrative: z.array(z.string()).openapi({ description: 'Plain-English lines, one per top factor' }),
    factors: z
      .array(FactorSchema)
      .openapi({ description: `The ${TOP_FACTORS} largest SHAP contributions, largest first` }),
    eta: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Expected first MLB season; null when the model cannot say' }),
    dynasty: DynastySchema,
  })
  .openapi('PredictionItem');

export const PredictionSchema = PredictionItemSchema.extend({
  modelVersion: z.string().openapi({ description: 'The model that made the prediction' }),
  asOf: AsOfSchema,
}).openapi('Prediction');

export const BatchPredictRequestSchema = z
  .strictObject({
    ids: z
      .array(PlayerIdSchema)
      .min(1)
      .max(BATCH_MAX_IDS)
      .openapi({ description: `1 to ${BATCH_MAX_IDS} player ids; repeats are answered once` }),
  })
  .openapi('BatchPredictRequest');

export const BatchPredictionSchema = z
  .object({
    modelVersion: z.string(),
    asOf: AsOfSchema,
    predictions: z.array(PredictionItemSchema).openapi({ description: 'In the order of the ids asked for' }),
    notFound: z.array(z.number().int()).openapi({ description: 'Ids the served run has no prediction for' }),
  })
  .openapi('BatchPrediction');

export const ExplanationSchema = z
  .object({
    playerId: z.number().int(),
    name: z.string(),
    probability: z.number().min(0).max(1),
    modelVersion: z.string(),
    asOf: AsOfSchema,
    baseValue: z.number().openapi({
      description: 'Log-odds of the model before any feature is known; it plus every contribution is the raw log-odds',
    }),
    features: z.array(FactorSchema).openapi({
      description: "Every feature of the model in the model's order, with the player's value and its SHAP contribution",
    }),
  })
  .openapi('Explanation');

export function toAsOf(snapshot: PublishedSnapshot, season: number): z.infer<typeof AsOfSchema> {
  return {
    date: snapshot.publishedAt.toISOString().slice(0, 10),
    publishedAt: snapshot.publishedAt.toISOString(),
    snapshotId: snapshot.snapshotId,
    season,
  };
}

function factors(prediction: ServedPrediction) {
  return prediction.contributions.map((c) => ({
    feature: c.feature,
    label: LABELS.get(c.feature) ?? c.feature,
    value: c.value,
    contribution: c.contribution,
  }));
}

export function toPredictionItem(prediction: ServedPrediction): z.infer<typeof PredictionItemSchema> {
  return {
    playerId: prediction.playerId,
    name: prediction.name,
    probability: prediction.probability,
    confidence: prediction.confidence,
    narrative: [...prediction.narrative],
    factors: factors(prediction)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, TOP_FACTORS),
    eta: prediction.eta,
    dynasty: {
      roleWeight: prediction.dynasty.roleWeight,
      yearsToEta: prediction.dynasty.yearsToEta,
      value: prediction.dynasty.value,
    },
  };
}

export function toPrediction(
  prediction: ServedPrediction,
  snapshot: PublishedSnapshot,
): z.infer<typeof PredictionSchema> {
  return {
    ...toPredictionItem(prediction),
    modelVersion: prediction.modelVersion,
    asOf: toAsOf(snapshot, prediction.asOfSeason),
  };
}

export function toExplanation(
  prediction: ServedPrediction,
  snapshot: PublishedSnapshot,
): z.infer<typeof ExplanationSchema> {
  return {
    playerId: prediction.playerId,
    name: prediction.name,
    probability: prediction.probability,
    modelVersion: prediction.modelVersion,
    asOf: toAsOf(snapshot, prediction.asOfSeason),
    baseValue: prediction.baseValue,
    features: factors(prediction),
  };
}
