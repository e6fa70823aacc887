/** Comparables: the nearest past prospects, checked against a brute-force search on a small generated universe. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SeasonLine, StatGroup } from '../lib/domain.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import { COMPARABLE_DIMENSIONS, ComparableIndex, MISSING_PENALTY, type ComparableQuery } from './comparables.ts';
import { buildDataset, type Dataset } from './dataset.ts';
import { takeRows } from './ensemble.ts';
import { FEATURE_COUNT, FEATURE_INDEX, FEATURE_NAMES, type FeatureName } from './feature-catalog.ts';
import { mlbTotals } from './labels.ts';
import { universeHistory } from '../sources/sample/history.ts';

function universe(): { dataset: Dataset; mlb: Map<number, { plateAppearances: number; outs: number }> } {
  const u = generateUniverse({ seed: 9, scale: 0.05 });
  const seasons = Array.from(
    { length: u.options.toSeason - u.options.fromSeason + 1 },
    (_, i) => u.options.fromSeason + i,
  );
  const dataset = buildDataset({ asOfSeasons: seasons, ...universeHistory(u), lastCompleteSeason: u.options.toSeason });
  const byPlayer = Map.groupBy(u.lines, (l: SeasonLine) => l.playerId);
  return { dataset, mlb: new Map([...byPlayer].map(([id, own]) => [id, mlbTotals(own)])) };
}

let dataset: Dataset;
let index: ComparableIndex;
let mlb: Map<number, { plateAppearances: number; outs: number }>;
const value = (i: number, name: FeatureName) => dataset.matrix[i * FEATURE_COUNT + FEATURE_INDEX[name]]!;

beforeAll(() => {
  ({ dataset, mlb } = universe());
  index = new ComparableIndex({ dataset, mlbToDate: (id) => mlb.get(id) ?? { plateAppearances: 0, outs: 0 } });
});

/** Every candidate scored the slow way, with the same rules, for comparison. */
function bruteForce(row: number, query: ComparableQuery, k: number): { playerId: number; similarity: number }[] {
  const dims = COMPARABLE_DIMENSIONS[query.group];
  const scales = index.scales(query.group);
  const z = (i: number) =>
    dims.map((d, j) => {
      const x = value(i, d.feature);
      return ((d.log ? Math.log1p(Math.max(0, x)) : x) - scales[j]!.mean) / scales[j]!.sd;
    });
  const zq = z(row);
  const level = value(row, 'level_ordinal');
  const best = new Map<number, number>();
  dataset.rows.forEach((r, i) => {
    if (r.group !== query.group || r.playerId === query.playerId || r.asOfSeason >= (query.asOfSeason ?? Infinity))
      return;
    if (Math.abs(value(i, 'level_ordinal') - level) > 1) return;
    const zc = z(i);
    const d2 = dims.reduce((s, d, j) => {
      const [a, x] = [zq[j]!, zc[j]!];
      if (Number.isNaN(a) !== Number.isNaN(x)) return s + d.weight * MISSING_PENALTY ** 2;
      return Number.isNaN(a) ? s : s + d.weight * (a - x) ** 2;
    }, 0);
    if (d2 < (best.get(r.playerId) ?? Infinity)) best.set(r.playerId, d2);
  });
  const weightSum = dims.reduce((s, d) => s + d.weight, 0);
  return [...best]
    .sort((a, b) => a[1] - b[1])
    .slice(0, k)
    .map(([playerId, d2]) => ({ playerId, similarity: 1 / (1 + Math.sqrt(d2 / weightSum)) }));
}

describe('ComparableIndex', () => {
  it('finds a training row itself first, with similarity 1', () => {
    for (const i of [0, 7, 1500, dataset.rows.length - 1]) {
      const r = dataset.rows[i]!;
      const [first] = index.find(takeRows(dataset.matrix, FEATURE_COUNT, [i]), [{ group: r.group }])[0]!;
      expect(first).toMatchObject({ playerId: r.playerId, asOfSeason: r.asOfSeason, similarity: 1 });
    }
  });

  it('returns k distinct earlier players of the same group and nearby level, most similar first', () => {
    const current = dataset.rows.flatMap((r, i) => (r.asOfSeason === 2026 ? [i] : []));
    const queries = current.map((i) => ({
      playerId: dataset.rows[i]!.playerId,
      group: dataset.rows[i]!.group,
      asOfSeason: 2026,
    }));
    const results = index.find(takeRows(dataset.matrix, FEATURE_COUNT, current), queries, 5);
    const key = new Map(dataset.rows.map((r, i) => [`${r.playerId}:${r.asOfSeason}`, i]));
    results.forEach((comparables, q) => {
      expect(comparables).toHaveLength(5);
      expect(new Set(comparables.map((c) => c.playerId)).size).toBe(5);
      comparables.forEach((c, n) => {
        const i = key.get(`${c.playerId}:${c.asOfSeason}`)!;
        expect(c.playerId).not.toBe(queries[q]!.playerId);
        expect(c.asOfSeason).toBeLessThan(2026);
        expect(dataset.rows[i]!.group).toBe(queries[q]!.group);
        expect(Math.abs(value(i, 'level_ordinal') - value(current[q]!, 'level_ordinal'))).toBeLessThanOrEqual(1);
        expect(c.similarity).toBeGreaterThan(0);
        expect(c.similarity).toBeLessThanOrEqual(1);
        if (n > 0) expect(c.similarity).toBeLessThanOrEqual(comparables[n - 1]!.similarity);
        const label = dataset.rows[i]!.label;
        expect(c.outcome).toBe(label === 1 ? 'success' : label === 0 ? 'no' : 'pending');
        expect(c.mlbPlateAppearances).toBe(mlb.get(c.playerId)?.plateAppearances ?? 0);
      });
    });
  });

  it('agrees with a brute-force search', () => {
    const sample = dataset.rows.flatMap((r, i) => (r.asOfSeason >= 2020 && i % 9 === 0 ? [i] : []));
    expect(sample.length).toBeGreaterThan(100);
    for (const i of sample) {
      const query = {
        playerId: dataset.rows[i]!.playerId,
        group: dataset.rows[i]!.group,
        asOfSeason: dataset.rows[i]!.asOfSeason,
      };
      const fast = index.find(takeRows(dataset.matrix, FEATURE_COUNT, [i]), [query], 5)[0]!;
      const slow = bruteForce(i, query, 5);
      expect(fast.map((c) => c.similarity)).toEqual(slow.map((c) => expect.closeTo(c.similarity, 9)));
    }
  });
});

describe('missing values', () => {
  /** Three identical pitchers except for the draft pick: known, missing, and the query's own. */
  function tiny(): { dataset: Dataset; query: Float32Array } {
    const base = new Float32Array(FEATURE_COUNT).fill(Number.NaN);
    const set = (r: Float32Array, name: FeatureName, x: number) => (r[FEATURE_INDEX[name]] = x);
    for (const [name, x] of [
      ['age_rel_level', 0.5],
      ['level_ordinal', 4],
      ['age', 22],
      ['undrafted', 0],
      ['seasons_pro', 2],
      ['pit_bf', 300],
    ] as const)
      set(base, name, x);
    const known = base.slice();
    set(known, 'draft_pick', 100);
    const spread = base.slice();
    set(spread, 'draft_pick', 300);
    set(spread, 'age', 23);
    const rows: { playerId: number; asOfSeason: number; group: StatGroup; label: 0 | 1 | null }[] = [
      { playerId: 1, asOfSeason: 2015, group: 'pitching', label: 1 },
      { playerId: 2, asOfSeason: 2015, group: 'pitching', label: 0 },
      { playerId: 3, asOfSeason: 2016, group: 'pitching', label: null },
    ];
    const matrix = new Float32Array(3 * FEATURE_COUNT);
    [known, base, spread].forEach((r, i) => matrix.set(r, i * FEATURE_COUNT));
    return { dataset: { featureNames: [...FEATURE_NAMES], rows, matrix }, query: base };
  }

  it('costs nothing when missing on both sides and MISSING_PENALTY sds when missing on one', () => {
    const { dataset: small, query } = tiny();
    const idx = new ComparableIndex({ dataset: small, mlbToDate: () => ({ plateAppearances: 0, outs: 150 }) });
    const [both, one] = idx.find(query, [{ group: 'pitching' }], 2)[0]!;
    expect(both).toMatchObject({ playerId: 2, similarity: 1, outcome: 'no', mlbInnings: 50, level: 'A', age: 22 });
    const weightSum = COMPARABLE_DIMENSIONS.pitching.reduce((s, d) => s + d.weight, 0);
    const pickWeight = COMPARABLE_DIMENSIONS.pitching.find((d) => d.feature === 'draft_pick')!.weight;
    expect(one).toMatchObject({ playerId: 1, outcome: 'success' });
    expect(one!.similarity).toBeCloseTo(1 / (1 + Math.sqrt((pickWeight * MISSING_PENALTY ** 2) / weightSum)), 9);
  });
});
