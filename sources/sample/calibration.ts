/**
 * Measures a set of season lines the way /work/shared/CALIBRATION.md was measured, so the generator can be checked
 * against real-world figures (volumes, ages, rates, movement, success by level and relative age).
 */
import type { SeasonLine } from '../../lib/domain.ts';
import { SUCCESS, levelOfSport, levelOrdinal } from '../../lib/domain.ts';

export interface LevelFigures {
  hitterLines: number;
  pitcherLines: number;
  medianPa: number;
  medianIp: number;
  ageMean: number;
  ageSd: number;
  hitK: number;
  hitKSd: number;
  hitBb: number;
  hitIso: number;
  hitAvg: number;
  pitK: number;
  pitKSd: number;
  pitBb: number;
  pitHr: number;
}

export interface CalibrationFigures {
  /** Per sportId, averaged over the measured seasons. */
  levels: Record<number, LevelFigures>;
  /** Level change next season among players seen again: "-2", "-1", "0", "+1", "+2", "+3". */
  movement: Record<string, number>;
  returnRate: number;
  success: { overall: number; hitters: number; pitchers: number; cohortLines: number };
  /** Per sportId, success rate by relative-age bucket (2+ younger ... 2+ older). */
  successByAge: Record<number, number[]>;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const sd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] ?? NaN) : NaN;
};

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * @param ageOf age (years, decimal) of a player on July 1 of a season
 * @param seasons seasons whose lines are measured (cohorts for success must have 4 later seasons in `lines`)
 */
export function measure(
  lines: readonly SeasonLine[],
  ageOf: (playerId: number, season: number) => number,
  seasons: readonly number[],
): CalibrationFigures {
  const measured = new Set(seasons);
  const lastSeason = lines.reduce((m, l) => Math.max(m, l.season), -Infinity);
  const bySport = new Map<number, SeasonLine[]>();
  for (const l of lines) {
    if (!measured.has(l.season)) continue;
    const list = bySport.get(l.sportId) ?? [];
    list.push(l);
    bySport.set(l.sportId, list);
  }
  const levels: Record<number, LevelFigures> = {};
  const levelMeanAge = new Map<number, number>();
  for (const [sportId, ls] of bySport) {
    const nSeasons = new Set(ls.map((l) => l.season)).size;
    const hit = ls.flatMap((l) => (l.group === 'hitting' ? [{ l, s: l.stats }] : []));
    const pit = ls.flatMap((l) => (l.group === 'pitching' ? [{ l, s: l.stats }] : []));
    const hq = hit.filter((h) => h.s.plateAppearances >= 100);
    const pq = pit.filter((p) => p.s.outs >= 60);
    const ages = hit.map((h) => ageOf(h.l.playerId, h.l.season));
    levelMeanAge.set(sportId, mean(ages));
    levels[sportId] = {
      hitterLines: round(hit.length / nSeasons, 0),
      pitcherLines: round(pit.length / nSeasons, 0),
      medianPa: median(hq.map((h) => h.s.plateAppearances)),
      medianIp: round(median(pq.map((p) => p.s.outs / 3)), 1),
      ageMean: round(mean(ages), 2),
      ageSd: round(sd(ages), 2),
      hitK: round(mean(hq.map((h) => h.s.strikeOuts / h.s.plateAppearances))),
      hitKSd: round(sd(hq.map((h) => h.s.strikeOuts / h.s.plateAppearances))),
      hitBb: round(mean(hq.map((h) => h.s.baseOnBalls / h.s.plateAppearances))),
      hitIso: round(mean(hq.map((h) => (h.s.doubles + 2 * h.s.triples + 3 * h.s.homeRuns) / Math.max(1, h.s.atBats)))),
      hitAvg: round(mean(hq.map((h) => h.s.hits / Math.max(1, h.s.atBats)))),
      pitK: round(mean(pq.map((p) => p.s.strikeOuts / p.s.battersFaced))),
      pitKSd: round(sd(pq.map((p) => p.s.strikeOuts / p.s.battersFaced))),
      pitBb: round(mean(pq.map((p) => p.s.baseOnBalls / p.s.battersFaced))),
      pitHr: round(mean(pq.map((p) => p.s.homeRuns / p.s.battersFaced)), 4),
    };
  }

  // Highest minor-league level per player-season, and MLB playing time per player-season.
  const highest = new Map<string, number>();
  const mlbPa = new Map<string, number>();
  const firstMlb = new Map<number, number>();
  for (const l of lines) {
    const key = `${l.playerId}:${l.season}`;
    if (l.sportId === 1) {
      const v = l.group === 'hitting' ? l.stats.plateAppearances : l.stats.outs;
      mlbPa.set(`${key}:${l.group}`, (mlbPa.get(`${key}:${l.group}`) ?? 0) + v);
      firstMlb.set(l.playerId, Math.min(firstMlb.get(l.playerId) ?? Infinity, l.season));
    }
    const level = levelOfSport(l.sportId);
    if (!level) continue;
    const ord = levelOrdinal(level);
    highest.set(key, Math.max(highest.get(key) ?? 0, ord));
  }
  const movement: Record<string, number> = { '-2': 0, '-1': 0, '0': 0, '+1': 0, '+2': 0, '+3': 0 };
  let seen = 0;
  let again = 0;
  for (const [key, ord] of highest) {
    const [id, season] = key.split(':').map(Number);
    if (id === undefined || season === undefined || !measured.has(season) || season >= lastSeason || ord >= 8) continue;
    seen += 1;
    const next = highest.get(`${id}:${season + 1}`);
    if (next === undefined) continue;
    again += 1;
    const d = next - ord;
    const bucket = d <= -2 ? '-2' : d >= 3 ? '+3' : d > 0 ? `+${d}` : String(d);
    movement[bucket] = (movement[bucket] ?? 0) + 1;
  }
  for (const k of Object.keys(movement)) movement[k] = round((movement[k] ?? 0) / Math.max(1, again));

  const successByAgeCounts: Record<number, { n: number[]; s: number[] }> = {};
  const totals = { n: 0, s: 0, hn: 0, hs: 0, pn: 0, ps: 0 };
  for (const l of lines) {
    if (!measured.has(l.season) || l.sportId === 1 || l.season + SUCCESS.horizonSeasons > lastSeason) continue;
    if ((firstMlb.get(l.playerId) ?? Infinity) <= l.season) continue;
    const qualifies = l.group === 'hitting' ? l.stats.plateAppearances >= 100 : l.stats.outs >= 60;
    if (!qualifies) continue;
    let sum = 0;
    for (let y = l.season + 1; y <= l.season + SUCCESS.horizonSeasons; y++)
      sum += mlbPa.get(`${l.playerId}:${y}:${l.group}`) ?? 0;
    const ok = sum >= (l.group === 'hitting' ? SUCCESS.plateAppearances : SUCCESS.outs);
    totals.n += 1;
    totals.s += ok ? 1 : 0;
    if (l.group === 'hitting') {
      totals.hn += 1;
      totals.hs += ok ? 1 : 0;
    } else {
      totals.pn += 1;
      totals.ps += ok ? 1 : 0;
    }
    const rel = ageOf(l.playerId, l.season) - (levelMeanAge.get(l.sportId) ?? 0);
    const bucket = rel < -2 ? 0 : rel < -1 ? 1 : rel < 0 ? 2 : rel < 1 ? 3 : rel < 2 ? 4 : 5;
    const c = (successByAgeCounts[l.sportId] ??= { n: [0, 0, 0, 0, 0, 0], s: [0, 0, 0, 0, 0, 0] });
    c.n[bucket] = (c.n[bucket] ?? 0) + 1;
    c.s[bucket] = (c.s[bucket] ?? 0) + (ok ? 1 : 0);
  }
  const successByAge: Record<number, number[]> = {};
  for (const [sportId, c] of Object.entries(successByAgeCounts)) {
    successByAge[Number(sportId)] = c.n.map((n, i) => round((c.s[i] ?? 0) / Math.max(1, n)));
  }
  return {
    levels,
    movement,
    returnRate: round(again / Math.max(1, seen)),
    success: {
      overall: round(totals.s / Math.max(1, totals.n)),
      hitters: round(totals.hs / Math.max(1, totals.hn)),
      pitchers: round(totals.ps / Math.max(1, totals.pn)),
      cohortLines: totals.n,
    },
    successByAge,
  };
}
