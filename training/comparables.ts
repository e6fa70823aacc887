/**
 * Historical comparables: the past prospects nearest to a current one in a standardised feature space, with what
 * became of them (success, no, or still pending) and their MLB playing time to date.
 *
 * Distance: a weighted root-mean-square of standardised differences over a few features per group (the strongest
 * predictors, age against the level and draft position, weigh most). Features are standardised with the pool's
 * means and standard deviations; a value missing on one side only costs MISSING_PENALTY standard deviations, and
 * one missing on both sides costs nothing. Similarity = 1 / (1 + distance): 1 for identical rows, 0.5 for rows a
 * standard deviation apart on average. Candidates share the query's group (hitter/pitcher), play within one level
 * of it, come from an earlier as-of season than the query's, and are never the query's own player; each past
 * player appears once, at his nearest season.
 */
import { MINOR_LEVELS, type StatGroup } from '../lib/domain.ts';
import type { Dataset, DatasetRow } from './dataset.ts';
import { FEATURE_COUNT, FEATURE_INDEX, type FeatureName } from './feature-catalog.ts';

interface Dimension {
  feature: FeatureName;
  weight: number;
  /** Heavy-tailed counts are compared on a log scale: pick 5 vs 50 matters, pick 505 vs 550 does not. */
  log: boolean;
}

/** [feature, weight, compared on a log scale] */
type Spec = readonly [FeatureName, number, boolean?];
const dimensions = (specs: readonly Spec[]): Dimension[] =>
  specs.map(([feature, weight, log = false]) => ({ feature, weight, log }));
const SHARED: Spec[] = [
  ['age_rel_level', 3],
  ['level_ordinal', 2],
  ['age', 1],
  ['draft_pick', 2, true],
  ['undrafted', 1],
  ['seasons_pro', 0.5],
];

/** Features compared per group, with their weights; the first (heaviest) one is also the search key of each level. */
export const COMPARABLE_DIMENSIONS: Record<StatGroup, readonly Dimension[]> = {
  hitting: dimensions([
    ...SHARED,
    ['hit_pa', 0.5],
    ['hit_career_pa', 0.5, true],
    ['hit_k_rate_w3', 1],
    ['hit_bb_rate_w3', 1],
    ['hit_iso_w3', 1],
    ['hit_woba', 1],
    ['hit_sb_rate', 0.5],
    ['pos_c', 0.5],
  ]),
  pitching: dimensions([
    ...SHARED,
    ['pit_bf', 0.5],
    ['pit_career_bf', 0.5, true],
    ['pit_k_rate_w3', 1],
    ['pit_bb_rate_w3', 1],
    ['pit_hr_rate_w3', 0.5],
    ['pit_gs_share', 1],
    ['throws_left', 0.5],
  ]),
};

/** Cost, in standard deviations, of a feature known on one side only. */
export const MISSING_PENALTY = 1;

export type Outcome = 'success' | 'no' | 'pending';

export interface Comparable {
  playerId: number;
  asOfSeason: number;
  level: string;
  age: number | null;
  /** 0-1, 1 = identical on every compared feature. */
  similarity: number;
  outcome: Outcome;
  mlbPlateAppearances: number;
  /** Decimal innings (outs / 3), two decimals. */
  mlbInnings: number;
}

export interface ComparableQuery {
  /** Excluded from his own comparables. */
  playerId?: number;
  group: StatGroup;
  /** Only as-of seasons before this one are candidates. @default any */
  asOfSeason?: number;
}

export interface ComparableIndexInput {
  dataset: Dataset;
  /** Which rows may serve as comparables. @default every row */
  include?: (row: DatasetRow, index: number) => boolean;
  /** MLB totals through the latest season (e.g. labels.ts mlbTotals over his lines). */
  mlbToDate: (playerId: number) => { plateAppearances: number; outs: number };
}

/**
 * One level's candidates of one group, sorted by the first (heaviest) dimension so a search can walk outward from
 * the query's value and stop once that dimension alone costs more than the k-th best distance so far.
 */
interface Bucket {
  /** Level ordinal of every candidate (0 = none). */
  level: number;
  /** Dimensions that hold one value across the bucket (level, undrafted): they give a floor on any distance. */
  constants: { j: number; z: number }[];
  /** Standardised first dimension, ascending over the first `known` rows; rows missing it follow. */
  keys: Float64Array;
  known: number;
  /** Standardised values, row-major `length x D`; NaN = missing. */
  values: Float64Array;
  asOf: Int32Array;
  playerIds: Int32Array;
  /** Dataset row of each candidate. */
  source: Int32Array;
}

interface Pool {
  dims: readonly Dimension[];
  weights: Float64Array;
  means: Float64Array;
  sds: Float64Array;
  weightSum: number;
  /** One per level (0 = none) and draft status: crossing either costs more than most matches, so it is pruned. */
  buckets: Bucket[];
}

/** Weighted squared difference of one standardised dimension, with the missing-value rule. */
function cost(weight: number, a: number, x: number): number {
  const aMissing = Number.isNaN(a);
  if (aMissing !== Number.isNaN(x)) return weight * MISSING_PENALTY * MISSING_PENALTY;
  return aMissing ? 0 : weight * (a - x) * (a - x);
}

function transform(d: Dimension, x: number): number {
  return d.log ? Math.log1p(Math.max(0, x)) : x;
}

/** Level ordinal 1..7, or 0 for rows without a level. */
function levelBucket(ordinal: number): number {
  return Number.isInteger(ordinal) && ordinal >= 1 && ordinal <= MINOR_LEVELS.length ? ordinal : 0;
}

function buildPool(dataset: Dataset, rows: number[], dims: readonly Dimension[]): Pool {
  const D = dims.length;
  const raw = (r: number, d: Dimension) => transform(d, dataset.matrix[r * FEATURE_COUNT + FEATURE_INDEX[d.feature]]!);
  const means = new Float64Array(D);
  const sds = new Float64Array(D);
  dims.forEach((d, j) => {
    const known = rows.map((r) => raw(r, d)).filter(Number.isFinite);
    const mean = known.length > 0 ? known.reduce((s, x) => s + x, 0) / known.length : 0;
    const variance = known.length > 1 ? known.reduce((s, x) => s + (x - mean) ** 2, 0) / (known.length - 1) : 0;
    means[j] = mean;
    // A constant column must not divide by zero; any difference from it then counts as one unit.
    sds[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  const z = (r: number, j: number) => (raw(r, dims[j]!) - means[j]!) / sds[j]!;
  const constant = (['level_ordinal', 'undrafted'] as const)
    .map((name) => dims.findIndex((d) => d.feature === name))
    .filter((j) => j >= 0);
  const groups = new Map<string, { level: number; members: number[] }>();
  for (const r of rows) {
    const level = levelBucket(dataset.matrix[r * FEATURE_COUNT + FEATURE_INDEX.level_ordinal]!);
    const id = `${level}:${dataset.matrix[r * FEATURE_COUNT + FEATURE_INDEX.undrafted]}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { level, members: [] }));
    group.members.push(r);
  }
  const buckets = [...groups.values()].map(({ level, members }): Bucket => {
    const keyed = members.map((r) => ({ r, key: z(r, 0) }));
    // NaN keys sort last: they cannot be reached by walking outward from a known value.
    keyed.sort((a, b) => (Number.isNaN(a.key) ? 1 : 0) - (Number.isNaN(b.key) ? 1 : 0) || a.key - b.key);
    const values = new Float64Array(keyed.length * D);
    keyed.forEach(({ r }, k) => {
      for (let j = 0; j < D; j++) values[k * D + j] = z(r, j);
    });
    return {
      level,
      constants: constant.map((j) => ({ j, z: values[j]! })),
      keys: Float64Array.from(keyed, (e) => e.key),
      known: keyed.filter((e) => !Number.isNaN(e.key)).length,
      values,
      asOf: Int32Array.from(keyed, (e) => dataset.rows[e.r]!.asOfSeason),
      playerIds: Int32Array.from(keyed, (e) => dataset.rows[e.r]!.playerId),
      source: Int32Array.from(keyed, (e) => e.r),
    };
  });
  const weights = Float64Array.from(dims, (d) => d.weight);
  return { dims, weights, means, sds, weightSum: weights.reduce((s, w) => s + w, 0), buckets };
}

type Entry = { bucket: Bucket; c: number; d2: number; playerId: number };

/** Adds a candidate to the k best so far (sorted by weighted squared distance), keeping one entry per player. */
function offer(best: Entry[], k: number, entry: Entry): void {
  const same = best.findIndex((e) => e.playerId === entry.playerId);
  if (same >= 0) {
    if (best[same]!.d2 <= entry.d2) return;
    best.splice(same, 1);
  } else if (best.length === k) best.pop();
  let at = best.length;
  while (at > 0 && best[at - 1]!.d2 > entry.d2) at--;
  best.splice(at, 0, entry);
}

export class ComparableIndex {
  readonly #dataset: Dataset;
  readonly #pools: Record<StatGroup, Pool>;
  readonly #mlbToDate: ComparableIndexInput['mlbToDate'];

  constructor({ dataset, include, mlbToDate }: ComparableIndexInput) {
    if (dataset.featureNames.length !== FEATURE_COUNT) throw new Error('comparables need the FEATURE_CATALOG columns');
    const byGroup: Record<StatGroup, number[]> = { hitting: [], pitching: [] };
    dataset.rows.forEach((row, i) => {
      if (include === undefined || include(row, i)) byGroup[row.group].push(i);
    });
    this.#dataset = dataset;
    this.#mlbToDate = mlbToDate;
    this.#pools = {
      hitting: buildPool(dataset, byGroup.hitting, COMPARABLE_DIMENSIONS.hitting),
      pitching: buildPool(dataset, byGroup.pitching, COMPARABLE_DIMENSIONS.pitching),
    };
  }

  /** Means and standard deviations used to standardise, per group and compared feature (after any log). */
  scales(group: StatGroup): { feature: FeatureName; mean: number; sd: number }[] {
    const pool = this.#pools[group];
    return pool.dims.map((d, j) => ({ feature: d.feature, mean: pool.means[j]!, sd: pool.sds[j]! }));
  }

  /** The k nearest past prospects of each query row (`matrix` row-major, FEATURE_CATALOG columns). */
  find(matrix: Float32Array, queries: readonly ComparableQuery[], k = 5): Comparable[][] {
    if (matrix.length !== queries.length * FEATURE_COUNT) {
      throw new RangeError(
        `${queries.length} queries need ${queries.length * FEATURE_COUNT} values, got ${matrix.length}`,
      );
    }
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
    return queries.map((query, q) =>
      this.#nearest(matrix.subarray(q * FEATURE_COUNT, (q + 1) * FEATURE_COUNT), query, k),
    );
  }

  #nearest(row: Float32Array, query: ComparableQuery, k: number): Comparable[] {
    const pool = this.#pools[query.group];
    const { weights } = pool;
    const D = pool.dims.length;
    const w0 = weights[0]!;
    const z = Float64Array.from(
      pool.dims,
      (d, j) => (transform(d, row[FEATURE_INDEX[d.feature]]!) - pool.means[j]!) / pool.sds[j]!,
    );
    const before = query.asOfSeason ?? Infinity;
    const best: Entry[] = [];
    const limit = (): number => (best.length === k ? best[k - 1]!.d2 : Infinity);
    const consider = (bucket: Bucket, c: number): void => {
      if (bucket.asOf[c]! >= before || bucket.playerIds[c] === query.playerId) return;
      const bound = limit();
      let d2 = 0;
      for (let j = 0; j < D && d2 < bound; j++) d2 += cost(weights[j]!, z[j]!, bucket.values[c * D + j]!);
      if (d2 < bound) offer(best, k, { bucket, c, d2, playerId: bucket.playerIds[c]! });
    };
    const level = levelBucket(row[FEATURE_INDEX.level_ordinal]!);
    // Cheapest buckets first (his own level and draft status): they set a tight limit that prunes the others.
    const buckets = pool.buckets
      .filter((b) => (level === 0 ? b.level === 0 : b.level !== 0 && Math.abs(b.level - level) <= 1))
      .map((bucket) => ({
        bucket,
        floor: bucket.constants.reduce((s, { j, z: x }) => s + cost(weights[j]!, z[j]!, x), 0),
      }))
      .sort((a, b) => a.floor - b.floor);
    const key = z[0]!;
    for (const { bucket, floor } of buckets) {
      if (floor >= limit()) break;
      // Floor of the candidates whose key is missing when the query's is known, or known when it is missing.
      const mismatch = floor + w0 * MISSING_PENALTY * MISSING_PENALTY;
      if (Number.isNaN(key)) {
        for (let c = bucket.known; c < bucket.keys.length; c++) consider(bucket, c);
        for (let c = 0; c < bucket.known && mismatch < limit(); c++) consider(bucket, c);
        continue;
      }
      // Walk outward from the query's key; stop once the key difference alone (plus the floor) exceeds the limit.
      let hi = lowerBound(bucket.keys, bucket.known, key);
      let lo = hi - 1;
      while (lo >= 0 || hi < bucket.known) {
        const down = lo >= 0 ? key - bucket.keys[lo]! : Infinity;
        const up = hi < bucket.known ? bucket.keys[hi]! - key : Infinity;
        const step = Math.min(down, up);
        if (floor + w0 * step * step >= limit()) break;
        consider(bucket, down <= up ? lo-- : hi++);
      }
      for (let c = bucket.known; c < bucket.keys.length && mismatch < limit(); c++) consider(bucket, c);
    }
    return best.map((e) => this.#describe(e.bucket.source[e.c]!, Math.sqrt(e.d2 / pool.weightSum)));
  }

  #describe(index: number, distance: number): Comparable {
    const row = this.#dataset.rows[index]!;
    const value = (name: FeatureName) => this.#dataset.matrix[index * FEATURE_COUNT + FEATURE_INDEX[name]]!;
    const age = value('age');
    const mlb = this.#mlbToDate(row.playerId);
    return {
      playerId: row.playerId,
      asOfSeason: row.asOfSeason,
      level: MINOR_LEVELS[value('level_ordinal') - 1] ?? 'unknown',
      age: Number.isFinite(age) ? Math.round(age * 10) / 10 : null,
      similarity: 1 / (1 + distance),
      outcome: row.label === 1 ? 'success' : row.label === 0 ? 'no' : 'pending',
      mlbPlateAppearances: mlb.plateAppearances,
      mlbInnings: Math.round((mlb.outs / 3) * 100) / 100,
    };
  }
}

/** First index in the sorted prefix keys[0..n) whose key is >= x. */
function lowerBound(keys: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
