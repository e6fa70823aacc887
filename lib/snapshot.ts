/**
 * The published rankings snapshot: the one contract between the pipeline (writer) and the site (reader).
 * Bump `SNAPSHOT_FORMAT` on any breaking change so an old site build refuses a new file loudly.
 */
import { z } from 'zod';

export const SNAPSHOT_FORMAT = 2;

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

/** A past prospect close to this one in feature space, with what became of him. */
export const ComparableSchema = z.object({
  playerId: z.number().int(),
  name: z.string(),
  asOfSeason: z.number().int(),
  level: z.string(),
  age: z.number().nullable(),
  /** 0-1, 1 = identical features. */
  similarity: z.number().min(0).max(1),
  outcome: z.enum(['success', 'no', 'pending']),
  mlbPlateAppearances: z.number().int(),
  mlbInnings: z.number(),
});

export const ProspectSchema = z.object({
  playerId: z.number().int(),
  rank: z.number().int().positive(),
  /** Ranks within his position group and his organization, 1 = best. */
  positionRank: z.number().int().positive(),
  organizationRank: z.number().int().positive().nullable(),
  slug: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  organization: z.object({ id: z.number().int(), name: z.string(), abbreviation: z.string() }).nullable(),
  position: z.string(),
  isPitcher: z.boolean(),
  level: z.string(),
  age: z.number().nullable(),
  /** Calibrated probability of MLB success (500 PA or 100 IP within 4 seasons). */
  probability: z.number().min(0).max(1),
  confidence: ConfidenceSchema,
  /** What the confidence rests on. */
  evidence: z.object({
    /** Plate appearances (hitters) or batters faced (pitchers) in the as-of season and in his career. */
    seasonWorkload: z.number(),
    careerWorkload: z.number(),
    seasons: z.number().int(),
    levels: z.number().int(),
    /** Spread (standard deviation) of the probability across the bootstrap ensemble. */
    spread: z.number().min(0),
  }),
  /** Expected first MLB season, null when the model cannot say. */
  eta: z.number().int().nullable(),
  /** Dynasty value: probability x role weight, discounted per year until the ETA; the site re-discounts it. */
  dynasty: z.object({
    roleWeight: z.number().min(0),
    yearsToEta: z.number().min(0),
    /** At the default discount (10% a year), on a 0-100 scale. */
    value: z.number().min(0),
  }),
  /** Change since the previous snapshot: positive = moved up. Null when he was not ranked then. */
  trend: z.number().int().nullable(),
  /** Log-odds of the model before any feature is known. */
  baseValue: z.number(),
  /** Largest contributions first. */
  factors: z.array(FactorSchema),
  /** Plain-English lines, one per top factor ("Young for Double-A, 2.1 years under the level's average: +8 points"). */
  narrative: z.array(z.string()),
  comparables: z.array(ComparableSchema),
  /** Rank and probability in earlier snapshots, oldest first, this one last. */
  history: z.array(
    z.object({ date: z.string(), rank: z.number().int().positive(), probability: z.number().min(0).max(1) }),
  ),
  stats: z.array(StatLineSchema),
});
export type Prospect = z.infer<typeof ProspectSchema>;

/** A prospect who moved since the previous snapshot, with the factor whose SHAP contribution changed most. */
export const MoverSchema = z.object({
  playerId: z.number().int(),
  slug: z.string(),
  name: z.string(),
  previousRank: z.number().int().positive(),
  rank: z.number().int().positive(),
  factor: z.object({ feature: z.string(), label: z.string(), delta: z.number() }).nullable(),
});

export const MetricsSchema = z.object({
  rows: z.number().int(),
  positives: z.number().int(),
  rocAuc: z.number().nullable(),
  prAuc: z.number().nullable(),
  brier: z.number(),
  logLoss: z.number(),
});

const ReliabilityBinSchema = z.object({
  from: z.number(),
  to: z.number(),
  predicted: z.number(),
  observed: z.number(),
  count: z.number().int(),
});

/** Model monitoring of the day the run was scored (monitoring/, db/monitoring.ts). */
export const MonitoringSchema = z.object({
  /** The day monitored, `YYYY-MM-DD`. */
  day: z.string(),
  modelVersion: z.string(),
  drift: z.object({
    status: z.enum(['measured', 'not-enough-data']),
    /** Why it was not measured. */
    reason: z.string().nullable(),
    /** Rows the serving model trained on, and rows scored that day. */
    trainingRows: z.number().int(),
    scoringRows: z.number().int(),
    /** Features measured; `top` holds the largest PSI first. */
    features: z.number().int(),
    /** The serving model's first monitored day, the FeatureDrift alert's baseline; absent in older snapshots. */
    baselineDay: z.string().nullable().optional(),
    /** `baselinePsi`: the feature's PSI on `baselineDay` (null when not measured then); absent in older snapshots. */
    top: z.array(
      z.object({
        feature: z.string(),
        label: z.string(),
        psi: z.number().min(0),
        baselinePsi: z.number().min(0).nullable().optional(),
      }),
    ),
  }),
  /** Live calibration of the serving model on the outcomes known so far. */
  calibration: z.object({
    status: z.enum(['measured', 'not-enough-data']),
    reason: z.string().nullable(),
    outcomes: z.number().int(),
    positives: z.number().int(),
    /** Cohorts (as-of seasons) whose outcomes are known. */
    asOfSeasons: z.array(z.number().int()),
    ece: z.number().nullable(),
    brier: z.number().nullable(),
    auc: z.number().nullable(),
    /** Equal-count bins. */
    reliability: z.array(ReliabilityBinSchema),
  }),
});
export type Monitoring = z.infer<typeof MonitoringSchema>;

export const MethodologySchema = z.object({
  /** Held-out scores of the model in service and its baselines, on cohorts it never trained, stopped or calibrated on. */
  backtest: z
    .object({
      trainThrough: z.number().int(),
      /** The cohort that stopped the boosting and fitted the calibrator (absent in snapshots from before it was recorded). */
      validationSeason: z.number().int().optional(),
      testSeasons: z.array(z.number().int()),
      model: MetricsSchema,
      baselines: z.record(z.string(), MetricsSchema),
    })
    .nullable(),
  /** Reliability table: mean predicted vs observed success rate per probability bin. */
  reliability: z.array(ReliabilityBinSchema),
  featureCatalog: z.array(
    z.object({ name: z.string(), label: z.string(), definition: z.string(), unit: z.string(), source: z.string() }),
  ),
  sources: z.array(z.object({ source: z.string(), lastSuccess: z.string().nullable(), stale: z.boolean() })),
  /** Drift and live calibration; null when the run was not monitored, absent in snapshots from before monitoring. */
  monitoring: MonitoringSchema.nullable().optional(),
});

export const SnapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  snapshotId: z.string(),
  previousSnapshotId: z.string().nullable(),
  generatedAt: z.string(),
  asOfSeason: z.number().int(),
  model: z.object({
    version: z.string(),
    trainedAt: z.string(),
    metrics: z.record(z.string(), z.number()),
  }),
  prospects: z.array(ProspectSchema),
  movers: z.object({ risers: z.array(MoverSchema), fallers: z.array(MoverSchema) }),
  methodology: MethodologySchema,
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
