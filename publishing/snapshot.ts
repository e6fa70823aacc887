/**
 * Assembles the published ranking snapshot (lib/snapshot.ts, the site's and the API's input) from plain records of a
 * prediction run: prospects with their stats, history and trend, risers and fallers, and the methodology. Pure: the
 * publish activity reads the records (db/) and passes them in.
 */
import type { OrganizedLine } from '../db/history.ts';
import type { MonitoringDay } from '../db/monitoring.ts';
import type { PredictionRunModel, StoredPrediction } from '../db/prediction-runs.ts';
import type { RankPoint } from '../db/rankings.ts';
import { levelOfSport, levelOrdinal, SPORT_IDS, type Level, type SeasonLine } from '../lib/domain.ts';
import { SNAPSHOT_FORMAT, SnapshotSchema, type Monitoring, type Prospect, type Snapshot } from '../lib/snapshot.ts';
import { FEATURE_CATALOG } from '../training/feature-catalog.ts';
import { findMovers, type EarlierRank } from './movers.ts';

const TOP_FACTORS = 8;
/** Features with the largest PSI that the methodology page lists. */
export const TOP_DRIFT_FEATURES = 12;

export interface SnapshotInput {
  rankingSnapshotId: string;
  /** When the snapshot is generated, ISO 8601: the last point of every prospect's history. */
  generatedAt: string;
  run: PredictionRunModel;
  /** The run's predictions, best rank first. */
  predictions: readonly StoredPrediction[];
  /** Each prospect's season lines through the run's season, oldest first. */
  lines: ReadonlyMap<number, readonly OrganizedLine[]>;
  /** Each prospect's ranks in earlier snapshots, oldest first. */
  history: ReadonlyMap<number, readonly RankPoint[]>;
  /** The latest earlier snapshot that ranked any of them, with their ranks there; null for a first snapshot. */
  previous: { snapshotId: string; ranks: ReadonlyMap<number, EarlierRank> } | null;
  /** Freshness of each source. */
  sources: Snapshot['methodology']['sources'];
  /** The run's model monitoring (drift, live calibration); null when none was recorded. */
  monitoring?: MonitoringDay | null;
}

/** URL slug of a player: his name without accents or punctuation, and his id (names are not unique). */
export function slugify(name: string, playerId: number): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${base || 'player'}-${playerId}`;
}

/** Age on 1 July of `season` (baseball's age date), to a tenth of a year. */
export function ageOn(birthDate: string | null, season: number): number | null {
  if (!birthDate) return null;
  const years = (Date.UTC(season, 6, 1) - Date.parse(`${birthDate}T00:00:00Z`)) / (365.2425 * 86_400_000);
  return Math.round(years * 10) / 10;
}

const rate = (num: number, den: number) => (den > 0 ? num / den : null);
const finite = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** A season line summarised for display. */
export function statLine(line: SeasonLine): Prospect['stats'][number] {
  const level: Level = levelOfSport(line.sportId) ?? 'ROK';
  if (line.group === 'hitting') {
    const h = line.stats;
    return {
      season: line.season,
      level,
      group: 'hitting' as const,
      games: h.games,
      battersOrPa: h.plateAppearances,
      innings: null,
      strikeoutRate: rate(h.strikeOuts, h.plateAppearances),
      walkRate: rate(h.baseOnBalls, h.plateAppearances),
      powerRate: rate(h.doubles + 2 * h.triples + 3 * h.homeRuns, h.atBats),
      average: rate(h.hits, h.atBats),
    };
  }
  const s = line.stats;
  return {
    season: line.season,
    level,
    group: 'pitching' as const,
    games: s.games,
    battersOrPa: s.battersFaced,
    innings: Math.round((s.outs / 3) * 100) / 100,
    strikeoutRate: rate(s.strikeOuts, s.battersFaced),
    walkRate: rate(s.baseOnBalls, s.battersFaced),
    powerRate: rate(s.homeRuns, s.battersFaced),
    average: null,
  };
}

interface ScoreJson {
  rows?: number;
  positives?: number;
  rocAuc?: number;
  prAuc?: number;
  brier?: number;
  logLoss?: number;
}
const metricsOf = (m: ScoreJson | undefined) =>
  m && typeof m.brier === 'number'
    ? {
        rows: m.rows ?? 0,
        positives: m.positives ?? 0,
        rocAuc: finite(m.rocAuc),
        prAuc: finite(m.prAuc),
        brier: m.brier,
        logLoss: m.logLoss ?? 0,
      }
    : undefined;

/** The methodology page's monitoring section: the features that drifted most, and the serving model's live calibration. */
export function monitoringSection(day: MonitoringDay, labelOf: (feature: string) => string): Monitoring {
  const serving = day.calibration.find((c) => c.serving);
  return {
    day: day.day,
    modelVersion: day.modelVersion,
    drift: {
      status: day.driftStatus,
      reason: day.driftReason,
      trainingRows: day.trainingRows,
      scoringRows: day.scoringRows,
      features: day.drift.length,
      baselineDay: day.baselineDay,
      top: [...day.drift]
        .sort((a, b) => b.psi - a.psi)
        .slice(0, TOP_DRIFT_FEATURES)
        .map((d) => ({ feature: d.feature, label: labelOf(d.feature), psi: d.psi, baselinePsi: d.baselinePsi })),
    },
    calibration: serving
      ? {
          status: serving.status,
          reason: serving.reason,
          outcomes: serving.outcomes,
          positives: serving.positives,
          asOfSeasons: [...serving.asOfSeasons],
          ece: serving.ece,
          brier: serving.brier,
          auc: serving.auc,
          reliability: [...(serving.reliability ?? [])],
        }
      : {
          status: 'not-enough-data',
          reason: 'no live calibration was recorded for the serving model',
          outcomes: 0,
          positives: 0,
          asOfSeasons: [],
          ece: null,
          brier: null,
          auc: null,
          reliability: [],
        },
  };
}

/** The snapshot of a prediction run, validated against SnapshotSchema (a malformed record throws). */
export function assembleSnapshot(input: SnapshotInput): Snapshot {
  const { run, generatedAt } = input;
  const asOf = run.asOfSeason;
  const featureNames = run.featureNames;
  const labels = new Map(FEATURE_CATALOG.map((f) => [f.name as string, f.label]));
  const labelOf = (name: string) => labels.get(name) ?? name;
  const previousRanks = input.previous?.ranks ?? new Map<number, EarlierRank>();

  const prospects: Prospect[] = input.predictions.map((p) => {
    const lines = input.lines.get(p.playerId) ?? [];
    // The highest minor-league level he played at this season gives his level and organization.
    const current = lines
      .filter((l) => l.line.season === asOf && l.line.sportId !== SPORT_IDS.MLB)
      .sort(
        (a, b) =>
          levelOrdinal(levelOfSport(b.line.sportId) ?? 'ROK') - levelOrdinal(levelOfSport(a.line.sportId) ?? 'ROK'),
      )[0];
    const values = p.features ?? [];
    const factors = p.shap
      .map((contribution, i) => ({ feature: featureNames[i]!, contribution, value: finite(values[i]) }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, TOP_FACTORS)
      .map((f) => ({ ...f, label: labelOf(f.feature) }));
    const earlier = previousRanks.get(p.playerId);
    return {
      playerId: p.playerId,
      rank: p.rank,
      positionRank: p.positionRank ?? p.rank,
      organizationRank: p.organizationRank ?? null,
      slug: slugify(p.fullName, p.playerId),
      name: p.fullName,
      organization: current?.organization ?? null,
      position: p.primaryPosition ?? (current?.line.group === 'pitching' ? 'P' : 'UT'),
      isPitcher: current?.line.group === 'pitching',
      level: (current ? levelOfSport(current.line.sportId) : undefined) ?? 'ROK',
      age: ageOn(p.birthDate, asOf),
      probability: p.probability,
      confidence: p.confidence,
      evidence: p.evidence ?? { seasonWorkload: 0, careerWorkload: 0, seasons: 0, levels: 0, spread: 0 },
      eta: p.eta ?? null,
      dynasty: p.dynasty ?? { roleWeight: 1, yearsToEta: 0, value: 100 * p.probability },
      trend: earlier ? earlier.rank - p.rank : null,
      baseValue: p.baseValue,
      factors,
      narrative: p.narrative ?? [],
      comparables: (p.comparables ?? []) as Prospect['comparables'],
      history: [
        ...(input.history.get(p.playerId) ?? []),
        { date: generatedAt, rank: p.rank, probability: p.probability },
      ],
      stats: lines.map((l) => statLine(l.line)),
    };
  });

  const shapOf = new Map(input.predictions.map((p) => [p.playerId, p.shap]));
  const movers = findMovers(
    prospects.map((pr) => ({ ...pr, shap: shapOf.get(pr.playerId) ?? [] })),
    previousRanks,
    { names: featureNames, labelOf },
  );

  const metrics = run.metrics;
  const holdout = metricsOf(metrics.holdout as ScoreJson | undefined);
  const baselines = Object.fromEntries(
    Object.entries((metrics.baselines ?? {}) as Record<string, ScoreJson>).flatMap(([k, v]) => {
      const m = metricsOf(v);
      return m ? [[k, m]] : [];
    }),
  );
  return SnapshotSchema.parse({
    format: SNAPSHOT_FORMAT,
    snapshotId: input.rankingSnapshotId,
    previousSnapshotId: input.previous?.snapshotId ?? null,
    generatedAt,
    asOfSeason: asOf,
    model: {
      version: run.modelVersion,
      trainedAt: new Date(run.modelCreatedAt).toISOString(),
      metrics: Object.fromEntries(
        Object.entries(metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)),
      ),
    },
    prospects,
    movers,
    methodology: {
      backtest:
        holdout && typeof metrics.holdoutSeason === 'number'
          ? {
              trainThrough: Number(metrics.trainThrough ?? metrics.holdoutSeason),
              testSeasons: [metrics.holdoutSeason],
              model: holdout,
              baselines,
              ...(typeof metrics.validationSeason === 'number' ? { validationSeason: metrics.validationSeason } : {}),
            }
          : null,
      reliability: Array.isArray(metrics.reliability) ? metrics.reliability : [],
      featureCatalog: FEATURE_CATALOG.map((f) => ({ ...f })),
      sources: input.sources,
      monitoring: input.monitoring ? monitoringSection(input.monitoring, labelOf) : null,
    },
  });
}
