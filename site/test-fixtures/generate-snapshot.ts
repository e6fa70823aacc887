/**
 * Deterministic format-2 snapshot generator: the site's test fixture (40 prospects) and the benchmark's
 * full-size snapshot (about 5,000) come from the same code. `node site/test-fixtures/generate-snapshot.ts`
 * rewrites snapshot.json; pass a count and an output path for other sizes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_FORMAT, type Prospect, type Snapshot } from '../../lib/snapshot.ts';
import { dynastyValue, DEFAULT_DISCOUNT } from '../dynasty.ts';
import { explainFactors, formatPoints } from '../format.ts';
import { featuresFor, FEATURES, FIRST_NAMES, LAST_NAMES, ORGANIZATIONS, PAST_NAMES } from './fixture-data.ts';

export const FIXTURE_PATH = join(import.meta.dirname, 'snapshot.json');
export const FIXTURE_OPTIONS = { count: 40, seed: 7 } as const;

export interface GenerateOptions {
  count: number;
  seed?: number;
  asOfSeason?: number;
}

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LADDER = ['ROK', 'A', 'A+', 'AA', 'AAA'] as const;
const HITTER_POSITIONS = ['C', '1B', '2B', '3B', 'SS', 'LF', 'CF', 'RF', 'DH'] as const;
const ROLE_WEIGHT: Record<string, number> = { C: 0.9, SS: 1.1, CF: 1.05, '2B': 1, '3B': 1, RF: 1, LF: 0.95, '1B': 0.9, DH: 0.85, P: 0.8 };
const round = (x: number, digits: number) => Number(x.toFixed(digits));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Featured prospects the tests look for by name; the rest are generated. */
const FEATURED = [
  { name: 'Jaxon Hollander', org: 110, position: 'SS', level: 'AAA', age: 20.4, probability: 0.83 },
  { name: 'Marco Bellweather', org: 136, position: 'CF', level: 'AA', age: 21.1, probability: 0.71 },
  { name: 'Tobias Quintrell', org: 134, position: 'P', level: 'AA', age: 22.3, probability: 0.55 },
  { name: "José O'Neil-Ramírez", org: 136, position: 'C', level: 'A+', age: 19.8, probability: 0.42 },
  { name: 'Kenji Arbogast', org: null, position: '2B', level: 'ROK', age: 17.6, probability: 0.2 },
] as const;

function slugify(name: string, playerId: number): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `${base.replace(/^-|-$/g, '')}-${playerId}`;
}

export function generateSnapshot({ count, seed = 1, asOfSeason = 2025 }: GenerateOptions): Snapshot {
  const rng = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const generatedAt = `${asOfSeason}-11-01T12:00:00.000Z`;
  const snapshotDates = Array.from({ length: 6 }, (_, k) =>
    new Date(Date.parse(generatedAt) - (5 - k) * 14 * 86_400_000).toISOString().slice(0, 10));
  const orgs = ORGANIZATIONS.slice(0, count <= 60 ? 8 : ORGANIZATIONS.length);
  // Distinct names: walk first x last pairs in a scrambled but fixed order.
  const pairs = FIRST_NAMES.length * LAST_NAMES.length;
  const stride = 7919;
  const usedNames = new Set<string>(FEATURED.map((f) => f.name));
  let cursor = seed;
  const nextName = () => {
    for (;;) {
      cursor = (cursor + stride) % pairs;
      const name = `${FIRST_NAMES[cursor % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(cursor / FIRST_NAMES.length)]}`;
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  };

  const drafts = Array.from({ length: count }, (_, i) => {
    const featured = FEATURED[i];
    const isPitcher = featured ? featured.position === 'P' : rng() < 0.45;
    const position = featured?.position ?? (isPitcher ? 'P' : pick(HITTER_POSITIONS));
    const levelIndex = featured ? LADDER.indexOf(featured.level) : Math.min(4, Math.floor(rng() * rng() * 6));
    const age = featured?.age ?? round(Math.max(16.8, 18.2 + levelIndex * 1.3 + normal() * 1.1), 1);
    const z = normal();
    const probability = featured?.probability ?? round(clamp(sigmoid(-2.3 + 0.9 * z + 0.25 * levelIndex), 0.01, 0.79), 4);
    const orgId = featured ? featured.org : rng() < 0.02 ? null : pick(orgs).id;
    return { playerId: 800_000 + i, name: featured?.name ?? nextName(), isPitcher, position, levelIndex, age, probability, orgId };
  });
  drafts.sort((a, b) => b.probability - a.probability || a.playerId - b.playerId);

  const positionCounts = new Map<string, number>();
  const orgCounts = new Map<number, number>();
  const prospects: Prospect[] = drafts.map((d, index) => {
    const rank = index + 1;
    const level = LADDER[d.levelIndex]!;
    const noStats = d.name === 'Kenji Arbogast';
    const isFeatured = d.playerId - 800_000 < FEATURED.length;
    const stats = noStats ? [] : statLines(d, level, asOfSeason, rng, normal, isFeatured);
    const workload = (lines: typeof stats) => lines.reduce((sum, l) => sum + l.battersOrPa, 0);
    const careerWorkload = workload(stats);
    const spread = round(0.015 + 0.1 * Math.exp(-careerWorkload / 700) + rng() * 0.01, 4);
    const confidence = spread < 0.04 ? 'High' : spread < 0.075 ? 'Medium' : 'Low';
    const eta = noStats || (d.probability < 0.08 && rng() < 0.3) ? null : asOfSeason + Math.max(1, 5 - d.levelIndex - (rng() < 0.4 ? 1 : 0));
    const yearsToEta = eta === null ? 5 : Math.max(0, eta - asOfSeason - 1);
    const roleWeight = ROLE_WEIGHT[d.position] ?? 1;
    const baseValue = -1.8;
    const known = { age: d.age, level_ordinal: [1, 4, 5, 6, 7][d.levelIndex]! };
    const factors = shapFactors(d.isPitcher, logit(d.probability) - baseValue, known, rng, normal);
    const explained = explainFactors({ baseValue, probability: d.probability, factors }, 3);
    const drawn = rng() < 0.9 && !noStats ? Math.floor(rng() * 5) + 1 : 0;
    const previous = isFeatured && !noStats ? 5 : drawn;
    const history = [
      ...snapshotDates.slice(5 - previous, 5).map((date, k) => ({
        date,
        rank: Math.max(1, Math.round(rank + normal() * (8 + rank * 0.15) * (previous - k))),
        probability: round(clamp(d.probability + normal() * 0.03 * (previous - k), 0.005, 0.99), 4),
      })),
      { date: snapshotDates[5]!, rank, probability: d.probability },
    ];
    const before = history.at(-2);
    positionCounts.set(d.position, (positionCounts.get(d.position) ?? 0) + 1);
    if (d.orgId !== null) orgCounts.set(d.orgId, (orgCounts.get(d.orgId) ?? 0) + 1);
    const org = ORGANIZATIONS.find((o) => o.id === d.orgId);
    return {
      playerId: d.playerId,
      rank,
      positionRank: positionCounts.get(d.position)!,
      organizationRank: d.orgId === null ? null : orgCounts.get(d.orgId)!,
      slug: slugify(d.name, d.playerId),
      name: d.name,
      organization: org ? { id: org.id, name: org.name, abbreviation: org.abbreviation } : null,
      position: d.position,
      isPitcher: d.isPitcher,
      level,
      age: noStats && rng() < 0.5 ? null : d.age,
      probability: d.probability,
      confidence,
      evidence: {
        seasonWorkload: workload(stats.filter((l) => l.season === asOfSeason)),
        careerWorkload,
        seasons: new Set(stats.map((l) => l.season)).size,
        levels: new Set(stats.map((l) => l.level)).size,
        spread,
      },
      eta,
      dynasty: {
        roleWeight,
        yearsToEta,
        value: round(dynastyValue({ probability: d.probability, roleWeight, yearsToEta }, DEFAULT_DISCOUNT), 4),
      },
      trend: before ? before.rank - rank : null,
      baseValue,
      factors,
      narrative: explained.factors.map((f) => `${f.label} ${f.value === 'missing' ? 'unknown' : f.value}: ${formatPoints(f.points)}`),
      comparables: comparables(d.probability, d.levelIndex, asOfSeason, rng, pick),
      history,
      stats,
    } satisfies Prospect;
  });

  const moved = prospects.filter((p) => p.trend !== null && p.trend !== 0);
  const mover = (p: Prospect) => {
    const top = p.factors[0];
    return {
      playerId: p.playerId,
      slug: p.slug,
      name: p.name,
      previousRank: p.rank + p.trend!,
      rank: p.rank,
      factor: top && p.rank % 7 !== 3
        ? { feature: top.feature, label: top.label, delta: round(Math.sign(p.trend!) * (0.05 + rng() * 0.6), 3) }
        : null,
    };
  };
  const moverCount = Math.min(25, Math.max(5, Math.round(count / 200)));
  return {
    format: SNAPSHOT_FORMAT,
    snapshotId: `fixture-${asOfSeason}-${String(count).padStart(4, '0')}`,
    previousSnapshotId: `fixture-${asOfSeason}-prev`,
    generatedAt,
    asOfSeason,
    model: { version: 'xgb-fixture-2.0.0', trainedAt: `${asOfSeason}-10-30T08:00:00.000Z`, metrics: { rocAuc: 0.81, brier: 0.142 } },
    prospects,
    movers: {
      risers: moved.filter((p) => p.trend! > 0).sort((a, b) => b.trend! - a.trend! || a.rank - b.rank).slice(0, moverCount).map(mover),
      fallers: moved.filter((p) => p.trend! < 0).sort((a, b) => a.trend! - b.trend! || a.rank - b.rank).slice(0, moverCount).map(mover),
    },
    methodology: methodology(asOfSeason, generatedAt),
  };
}

type Draft = { isPitcher: boolean; levelIndex: number; age: number; probability: number };

function statLines(
  d: Draft, level: string, asOf: number, rng: Rng, normal: () => number, full: boolean,
): Prospect['stats'] {
  // Featured prospects (the tests' and screenshots' subjects) climbed a level a season.
  const random = 1 + Math.floor(rng() * Math.min(4, d.levelIndex + 1));
  const seasons = full ? Math.min(4, d.levelIndex + 1) : random;
  const skill = logit(d.probability);
  const lines: Prospect['stats'] = [];
  for (let j = 0; j < seasons; j++) {
    const season = asOf - (seasons - 1 - j);
    const idx = Math.max(0, d.levelIndex - (seasons - 1 - j));
    const levels = j === seasons - 1 && idx > 0 && rng() < 0.35 ? [idx - 1, idx] : [idx];
    for (const li of levels) {
      const lineLevel = li === d.levelIndex ? level : LADDER[li]!;
      const difficulty = li * 0.006;
      if (d.isPitcher) {
        const games = 8 + Math.floor(rng() * 20);
        const bf = games * (14 + Math.floor(rng() * 10));
        lines.push({
          season, level: lineLevel, group: 'pitching', games, battersOrPa: bf, innings: round(Math.round((bf / 4.3) * 3) / 3, 2),
          strikeoutRate: round(clamp(0.24 + 0.025 * skill - difficulty + normal() * 0.03, 0.1, 0.42), 3),
          walkRate: round(clamp(0.095 - 0.01 * skill + normal() * 0.015, 0.03, 0.18), 3),
          powerRate: round(clamp(0.025 + difficulty / 2 + normal() * 0.006, 0.005, 0.06), 3),
          average: null,
        });
      } else {
        const games = 25 + Math.floor(rng() * 100);
        lines.push({
          season, level: lineLevel, group: 'hitting', games, battersOrPa: Math.round(games * (3.9 + rng() * 0.5)), innings: null,
          strikeoutRate: round(clamp(0.23 - 0.02 * skill + difficulty + normal() * 0.03, 0.08, 0.4), 3),
          walkRate: round(clamp(0.095 + 0.01 * skill + normal() * 0.02, 0.03, 0.2), 3),
          powerRate: round(clamp(0.15 + 0.02 * skill + normal() * 0.035, 0.04, 0.32), 3),
          average: round(clamp(0.255 + 0.01 * skill + normal() * 0.025, 0.18, 0.36), 3),
        });
      }
    }
  }
  return lines;
}

/** Eight SHAP contributions, largest first, adding up (with a small remainder left to "other") to `gap`. */
function shapFactors(
  isPitcher: boolean, gap: number, known: Record<string, number>, rng: Rng, normal: () => number,
): Prospect['factors'] {
  const pool = featuresFor(isPitcher);
  const chosen = [...pool].sort(() => rng() - 0.5).slice(0, 8);
  const raw = chosen.map(() => normal() * 0.35);
  // Most of what the random draws miss is spread over them by size; a tenth is left to the factors not listed.
  const rest = gap - raw.reduce((s, c) => s + c, 0);
  const size = raw.reduce((s, c) => s + Math.abs(c), 0) || 1;
  for (let i = 0; i < raw.length; i++) raw[i]! += 0.9 * rest * (Math.abs(raw[i]!) / size);
  return chosen
    .map((f, i) => ({
      feature: f.name,
      label: f.label,
      value: known[f.name] ?? (rng() < 0.08 ? null : featureValue(f, normal())),
      contribution: round(raw[i]!, 4),
    }))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

function featureValue(f: (typeof FEATURES)[number], z: number): number {
  const value = round(f.center + z * f.scale, f.digits);
  // Shares stay shares, counts stay non-negative.
  if (f.unit.includes('(0-1)')) return clamp(value, 0, 1);
  return f.center > 0 && f.digits === 0 ? Math.max(0, value) : value;
}

function comparables(p: number, levelIndex: number, asOf: number, rng: Rng, pick: <T>(items: readonly T[]) => T) {
  const n = rng() < 0.1 ? 0 : 3;
  return Array.from({ length: n }, (_, k) => {
    const asOfSeason = asOf - 4 - Math.floor(rng() * 8);
    const outcome = asOfSeason > asOf - 5 ? 'pending' : rng() < p ? 'success' : 'no';
    return {
      playerId: 600_000 + Math.floor(rng() * 90_000),
      name: pick(PAST_NAMES),
      asOfSeason,
      level: LADDER[levelIndex]!,
      age: round(18 + levelIndex * 1.2 + rng() * 2, 1),
      similarity: round(0.95 - k * 0.05 - rng() * 0.1, 3),
      outcome,
      mlbPlateAppearances: outcome === 'success' ? 500 + Math.floor(rng() * 2500) : Math.floor(rng() * 300),
      mlbInnings: 0,
    } as const;
  });
}

function methodology(asOf: number, generatedAt: string): Snapshot['methodology'] {
  const metrics = (auc: number, brier: number) => ({
    rows: 18_420, positives: 1_733, rocAuc: auc, prAuc: round(auc - 0.42, 3), brier, logLoss: round(brier * 2.2, 3),
  });
  return {
    backtest: {
      trainThrough: asOf - 7,
      validationSeason: asOf - 6,
      testSeasons: [asOf - 5, asOf - 4],
      model: metrics(0.812, 0.071),
      baselines: { 'Age and level only': metrics(0.731, 0.079), 'Draft round only': metrics(0.688, 0.082) },
    },
    reliability: Array.from({ length: 10 }, (_, i) => ({
      from: i / 10,
      to: (i + 1) / 10,
      predicted: round(i / 10 + 0.05, 3),
      observed: round(clamp(i / 10 + 0.05 + Math.sin(i * 1.7) * 0.03, 0, 1), 3),
      count: Math.round(9000 / (i + 1) ** 1.6),
    })),
    featureCatalog: FEATURES.map(({ name, label, definition, unit, source }) => ({ name, label, definition, unit, source })),
    sources: [
      { source: 'MLB Stats API', lastSuccess: generatedAt, stale: false },
      { source: 'FanGraphs grades', lastSuccess: `${asOf}-09-15T06:00:00.000Z`, stale: true },
      { source: 'Baseball America grades', lastSuccess: null, stale: true },
    ],
    monitoring: monitoring(generatedAt),
  };
}

/**
 * A monitored day: one feature past the major-drift threshold (already there on the model's first day, 30 days
 * before: no alert), one moderate, the rest stable, the last without a baseline PSI; calibration measured.
 */
function monitoring(generatedAt: string): NonNullable<Snapshot['methodology']['monitoring']> {
  const psi = [0.31, 0.14, ...FEATURES.slice(2).map((_, i) => round(0.08 / (i + 1), 4))];
  const baselinePsi = (i: number) => (i === 0 ? 0.29 : i === 11 ? null : psi[i]!);
  return {
    day: generatedAt.slice(0, 10),
    modelVersion: 'xgb-fixture',
    drift: {
      status: 'measured', reason: null, trainingRows: 18_420, scoringRows: 4_812, features: FEATURES.length,
      baselineDay: new Date(Date.parse(generatedAt) - 30 * 86_400_000).toISOString().slice(0, 10),
      top: FEATURES.slice(0, 12).map((f, i) => ({ feature: f.name, label: f.label, psi: psi[i]!, baselinePsi: baselinePsi(i) })),
    },
    calibration: {
      status: 'measured', reason: null, outcomes: 1_240, positives: 96, asOfSeasons: [2019, 2020], ece: 0.021, brier: 0.061, auc: 0.804,
      reliability: Array.from({ length: 10 }, (_, i) => ({
        from: round(i ** 2 / 120, 3), to: round((i + 1) ** 2 / 120 - 0.001, 3), predicted: round((i + 0.5) ** 2 / 120, 3),
        observed: round(clamp((i + 0.5) ** 2 / 120 + Math.cos(i) * 0.01, 0, 1), 3), count: 124,
      })),
    },
  };
}

/** One prospect per line: readable diffs without a 10,000-line file. */
export function serializeSnapshot(snapshot: Snapshot): string {
  const { prospects, ...rest } = snapshot;
  const head = Object.entries(rest).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const body = prospects.map((p) => `    ${JSON.stringify(p)}`).join(',\n');
  return `{\n${head.join(',\n')},\n  "prospects": [\n${body}\n  ]\n}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? FIXTURE_OPTIONS.count);
  const out = process.argv[3] ?? FIXTURE_PATH;
  const options = count === FIXTURE_OPTIONS.count ? FIXTURE_OPTIONS : { count, seed: FIXTURE_OPTIONS.seed };
  await writeFile(out, serializeSnapshot(generateSnapshot(options)));
  console.log(`wrote ${count} prospects to ${out}`);
}
