/**
 * The published rankings snapshot: the one contract between the pipeline (writer) and the site (reader).
 * Bump `SNAPSHOT_FORMAT` on any breaking change so an old site build refuses a new file loudly.
 */
import { z } from 'zod';

export const SNAPSHOT_FORMAT = 1;

export const ConfidenceSchema = z.enum(['High', 'Medium', 'Low']);
export type Confidence = z.infer<typeof ConfidenceSchema>;

/** One SHAP contribution, in log-odds, of one feature to one prediction. */
export const FactorSchema = z.object({
  feature: z.string(),
  /** Human label of the feature, e.g. "Age relative to level". */
  label: z.string(),
  /** The feature's value for this player; null when missing. */
  value: z.number().nullable(),
  contribution: z.number(),
});

/** A season line summarised for display; rates are fractions (0.215 = 21.5%). */
export const StatLineSchema = z.object({
  season: z.number().int(),
  level: z.string(),
  group: z.enum(['hitting', 'pitching']),
  games: z.number().int(),
  /** Plate appearances for hitters, batters faced for pitchers. */
  battersOrPa: z.number().int(),
  /** Innings pitched as a decimal (166.67), pitchers only. */
  innings: z.number().nullable(),
  strikeoutRate: z.number().nullable(),
  walkRate: z.number().nullable(),
  /** ISO for hitters, home runs per batter faced for pitchers. */
  powerRate: z.number().nullable(),
  /** Batting average for hitters, null for pitchers. */
  average: z.number().nullable(),
});

export const ProspectSchema = z.object({
  playerId: z.number().int(),
  rank: z.number().int().positive(),
  slug: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  organization: z
    .object({ id: z.number().int(), name: z.string(), abbreviation: z.string() })
    .nullable(),
  position: z.string(),
  isPitcher: z.boolean(),
  level: z.string(),
  age: z.number().nullable(),
  probability: z.number().min(0).max(1),
  confidence: ConfidenceSchema,
  /** Log-odds of the model before any feature is known. */
  baseValue: z.number(),
  /** Largest contributions first. */
  factors: z.array(FactorSchema),
  stats: z.array(StatLineSchema),
});
export type Prospect = z.infer<typeof ProspectSchema>;

export const SnapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  snapshotId: z.string(),
  generatedAt: z.string(),
  asOfSeason: z.number().int(),
  model: z.object({
    version: z.string(),
    trainedAt: z.string(),
    metrics: z.record(z.string(), z.number()),
  }),
  prospects: z.array(ProspectSchema),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
