/**
 * Builds the published ranking snapshot (lib/snapshot.ts, the site's only input) from a prediction run: prospects
 * with their stats, history and trend, risers and fallers with the factor that moved them, and the methodology.
 */
import type { Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import { levelOfSport, levelOrdinal, type Level } from '../lib/domain.ts';
import { SNAPSHOT_FORMAT, SnapshotSchema, type Prospect, type Snapshot } from '../lib/snapshot.ts';
import { FEATURE_CATALOG } from '../training/feature-catalog.ts';
import { sourceFreshness } from './freshness.ts';
import { toSeasonLine } from './history.ts';

const TOP_FACTORS = 8;
const MOVERS = 15;

function slugify(name: string, playerId: number): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${base || 'player'}-${playerId}`;
}

function ageOn(birthDate: string | null, season: number): number | null {
  if (!birthDate) return null;
  const years = (Date.UTC(season, 6, 1) - Date.parse(`${birthDate}T00:00:00Z`)) / (365.2425 * 86_400_000);
  return Math.round(years * 10) / 10;
}

const rate = (num: number, den: number) => (den > 0 ? num / den : null);
const finite = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

function statLine(row: Record<string, number | string | null>) {
  const line = toSeasonLine(row);
  const level: Level = levelOfSport(line.sportId) ?? 'ROK';
  if (line.group === 'hitting') {
    const h = line.stats;
    return {
      season: line.season, level, group: 'hitting' as const, games: h.games, battersOrPa: h.plateAppearances, innings: null,
      strikeoutRate: rate(h.strikeOuts, h.plateAppearances), walkRate: rate(h.baseOnBalls, h.plateAppearances),
      powerRate: rate(h.doubles + 2 * h.triples + 3 * h.homeRuns, h.atBats), average: rate(h.hits, h.atBats),
    };
  }
  const s = line.stats;
  return {
    season: line.season, level, group: 'pitching' as const, games: s.games, battersOrPa: s.battersFaced,
    innings: Math.round((s.outs / 3) * 100) / 100, strikeoutRate: rate(s.strikeOuts, s.battersFaced),
    walkRate: rate(s.baseOnBalls, s.battersFaced), powerRate: rate(s.homeRuns, s.battersFaced), average: null,
  };
}

interface ScoreJson { rows?: number; positives?: number; rocAuc?: number; prAuc?: number; brier?: number; logLoss?: number }
const metricsOf = (m: ScoreJson | undefined) =>
  m && typeof m.brier === 'number'
    ? { rows: m.rows ?? 0, positives: m.positives ?? 0, rocAuc: finite(m.rocAuc), prAuc: finite(m.prAuc), brier: m.brier, logLoss: m.logLoss ?? 0 }
    : undefined;

export async function buildSnapshot(pool: Pool, config: Config, input: { predictionRunId: string; rankingSnapshotId: string }): Promise<Snapshot> {
  const { rows: runs } = await pool.query(
    `SELECT r.as_of_season, r.snapshot_id, m.model_version, m.created_at, m.metrics, m.feature_names
     FROM prediction_runs r JOIN models m USING (model_version) WHERE r.prediction_run_id = $1`,
    [input.predictionRunId],
  );
  const run = runs[0];
  if (!run) throw new Error(`prediction run ${input.predictionRunId} does not exist`);
  const asOf: number = run.as_of_season;
  const featureNames: string[] = run.feature_names;
  const { rows: predictions } = await pool.query(
    `SELECT p.*, pl.full_name, to_char(pl.birth_date, 'YYYY-MM-DD') AS birth_date, pl.primary_position, f.features
     FROM predictions p JOIN players pl USING (player_id)
     LEFT JOIN player_features f ON f.snapshot_id = $2 AND f.player_id = p.player_id AND f.as_of_season = p.as_of_season
     WHERE p.prediction_run_id = $1 ORDER BY p.rank`,
    [input.predictionRunId, run.snapshot_id],
  );
  const ids = predictions.map((p) => p.player_id as number);
  const { rows: lineRows } = await pool.query(
    `SELECT s.*, a.org_id, o.name AS org_name, o.abbreviation AS org_abbreviation
     FROM player_season_stats s
     LEFT JOIN affiliates a ON a.team_id = s.team_id AND a.season = s.season
     LEFT JOIN organizations o ON o.org_id = a.org_id
     WHERE s.player_id = ANY($1) AND s.season <= $2 ORDER BY s.season, s.sport_id`,
    [ids, asOf],
  );
  const linesByPlayer = Map.groupBy(lineRows, (r) => r.player_id as number);
  // Earlier snapshots: rank and probability over time per player, as three arrays a player (not their SHAP values,
  // nor an object per snapshot and player: a season of daily snapshots of every prospect is over a million pairs).
  const { rows: past } = await pool.query<{ player_id: number; dates: string[]; ranks: number[]; probabilities: number[] }>(
    `SELECT p.player_id,
            array_agg(to_char(rs.generated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ORDER BY rs.generated_at) AS dates,
            array_agg(p.rank ORDER BY rs.generated_at) AS ranks,
            array_agg(p.probability ORDER BY rs.generated_at) AS probabilities
     FROM ranking_snapshots rs JOIN predictions p USING (prediction_run_id)
     WHERE rs.snapshot_id <> $2 AND p.player_id = ANY($1) GROUP BY p.player_id`,
    [ids, input.rankingSnapshotId],
  );
  const historyByPlayer = new Map(past.map((r) => [r.player_id, r]));
  const historyOf = (playerId: number) => {
    const h = historyByPlayer.get(playerId);
    return h ? h.dates.map((date, i) => ({ date, rank: h.ranks[i]!, probability: h.probabilities[i]! })) : [];
  };
  // The latest earlier snapshot that ranked any of these prospects, for trends and movers.
  const { rows: previousRuns } = await pool.query<{ snapshot_id: string; prediction_run_id: string; same: boolean }>(
    `SELECT rs.snapshot_id, rs.prediction_run_id, (m.feature_names = $3::text[]) AS same
     FROM ranking_snapshots rs JOIN prediction_runs r USING (prediction_run_id) JOIN models m USING (model_version)
     WHERE rs.snapshot_id <> $2
       AND EXISTS (SELECT 1 FROM predictions p WHERE p.prediction_run_id = rs.prediction_run_id AND p.player_id = ANY($1))
     ORDER BY rs.generated_at DESC LIMIT 1`,
    [ids, input.rankingSnapshotId, featureNames],
  );
  const previousSnapshotId: string | null = previousRuns[0]?.snapshot_id ?? null;
  const comparableShap = previousRuns[0]?.same === true;
  // That one run's predictions, with SHAP only when its model used the same features (the movers' factors need it).
  const { rows: previousRows } = previousRuns[0]
    ? await pool.query(
      `SELECT player_id, rank, ${comparableShap ? 'shap' : 'NULL::real[] AS shap'} FROM predictions
       WHERE prediction_run_id = $1 AND player_id = ANY($2)`,
      [previousRuns[0].prediction_run_id, ids])
    : { rows: [] };
  const previous = new Map(previousRows.map((r) => [r.player_id as number, r]));
  const predictionsById = new Map(predictions.map((p) => [p.player_id as number, p]));
  const labelOf = new Map(FEATURE_CATALOG.map((f) => [f.name as string, f.label]));
  const generatedAt = new Date().toISOString();

  const prospects: Prospect[] = predictions.map((p) => {
    const lines = linesByPlayer.get(p.player_id) ?? [];
    const current = lines
      .filter((l) => l.season === asOf && l.sport_id !== 1)
      .sort((a, b) => levelOrdinal(levelOfSport(b.sport_id) ?? 'ROK') - levelOrdinal(levelOfSport(a.sport_id) ?? 'ROK'))[0];
    const values: number[] = p.features ?? [];
    const shap: number[] = p.shap;
    const factors = shap
      .map((contribution, i) => ({ feature: featureNames[i]!, contribution, value: finite(values[i]) }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, TOP_FACTORS)
      .map((f) => ({ ...f, label: labelOf.get(f.feature) ?? f.feature }));
    const earlier = previous.get(p.player_id);
    return {
      playerId: p.player_id,
      rank: p.rank,
      positionRank: p.position_rank ?? p.rank,
      organizationRank: p.organization_rank ?? null,
      slug: slugify(p.full_name, p.player_id),
      name: p.full_name,
      organization: current?.org_id ? { id: current.org_id, name: current.org_name, abbreviation: current.org_abbreviation } : null,
      position: p.primary_position ?? (current?.stat_group === 'pitching' ? 'P' : 'UT'),
      isPitcher: current?.stat_group === 'pitching',
      level: (current ? levelOfSport(current.sport_id) : undefined) ?? 'ROK',
      age: ageOn(p.birth_date, asOf),
      probability: p.probability,
      confidence: p.confidence,
      evidence: p.evidence ?? { seasonWorkload: 0, careerWorkload: 0, seasons: 0, levels: 0, spread: 0 },
      eta: p.eta ?? null,
      dynasty: p.dynasty ?? { roleWeight: 1, yearsToEta: 0, value: 100 * p.probability },
      trend: earlier ? earlier.rank - p.rank : null,
      baseValue: p.base_value,
      factors,
      narrative: p.narrative ?? [],
      comparables: p.comparables ?? [],
      history: [
        ...historyOf(p.player_id),
        { date: generatedAt, rank: p.rank, probability: p.probability },
      ],
      stats: lines.map(statLine),
    };
  });

  const moves = prospects.flatMap((pr) => {
    const before = previous.get(pr.playerId);
    if (!before || before.rank === pr.rank) return [];
    let factor: { feature: string; label: string; delta: number } | null = null;
    if (comparableShap) {
      const now: number[] = predictionsById.get(pr.playerId)?.shap ?? [];
      const then: number[] = before.shap;
      const up = before.rank > pr.rank;
      let best = -1;
      now.forEach((v, i) => {
        const d = v - (then[i] ?? 0);
        if (best < 0 || (up ? d > (now[best]! - then[best]!) : d < (now[best]! - then[best]!))) best = i;
      });
      if (best >= 0) factor = { feature: featureNames[best]!, label: labelOf.get(featureNames[best]!) ?? featureNames[best]!, delta: now[best]! - then[best]! };
    }
    return [{ playerId: pr.playerId, slug: pr.slug, name: pr.name, previousRank: before.rank as number, rank: pr.rank, factor }];
  });
  const risers = moves.filter((m) => m.rank < m.previousRank).sort((a, b) => (b.previousRank - b.rank) - (a.previousRank - a.rank)).slice(0, MOVERS);
  const fallers = moves.filter((m) => m.rank > m.previousRank).sort((a, b) => (b.rank - b.previousRank) - (a.rank - a.previousRank)).slice(0, MOVERS);

  const metrics = (run.metrics ?? {}) as Record<string, unknown>;
  const holdout = metricsOf(metrics.holdout as ScoreJson | undefined);
  const baselines = Object.fromEntries(
    Object.entries((metrics.baselines ?? {}) as Record<string, ScoreJson>).flatMap(([k, v]) => {
      const m = metricsOf(v);
      return m ? [[k, m]] : [];
    }),
  );
  const freshness = await sourceFreshness(pool, config);
  return SnapshotSchema.parse({
    format: SNAPSHOT_FORMAT,
    snapshotId: input.rankingSnapshotId,
    previousSnapshotId,
    generatedAt,
    asOfSeason: asOf,
    model: {
      version: run.model_version,
      trainedAt: new Date(run.created_at).toISOString(),
      metrics: Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))),
    },
    prospects,
    movers: { risers, fallers },
    methodology: {
      backtest: holdout && typeof metrics.holdoutSeason === 'number'
        ? {
          trainThrough: Number(metrics.trainThrough ?? metrics.holdoutSeason), testSeasons: [metrics.holdoutSeason], model: holdout, baselines,
          ...(typeof metrics.validationSeason === 'number' ? { validationSeason: metrics.validationSeason } : {}),
        }
        : null,
      reliability: Array.isArray(metrics.reliability) ? metrics.reliability : [],
      featureCatalog: FEATURE_CATALOG.map((f) => ({ ...f })),
      sources: freshness.map((f) => ({ source: f.source, lastSuccess: f.lastSuccess?.toISOString() ?? null, stale: f.stale })),
    },
  });
}
