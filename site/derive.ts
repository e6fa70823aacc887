/**
 * What the pages derive from the snapshot: organizations and their farm-system ranking, position groups,
 * level averages for the trajectory charts, and the paging of the full rankings.
 */
import type { Prospect } from '../lib/snapshot.ts';

type StatLine = Prospect['stats'][number];

/** URL segment for a name: "St. Louis Cardinals" -> "st-louis-cardinals", "1B" -> "1b". */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug || 'x';
}

const POSITIONS: Record<string, readonly [singular: string, plural: string]> = {
  C: ['Catcher', 'Catchers'],
  '1B': ['First baseman', 'First basemen'],
  '2B': ['Second baseman', 'Second basemen'],
  '3B': ['Third baseman', 'Third basemen'],
  SS: ['Shortstop', 'Shortstops'],
  LF: ['Left fielder', 'Left fielders'],
  CF: ['Center fielder', 'Center fielders'],
  RF: ['Right fielder', 'Right fielders'],
  OF: ['Outfielder', 'Outfielders'],
  DH: ['Designated hitter', 'Designated hitters'],
  UT: ['Utility player', 'Utility players'],
  TWP: ['Two-way player', 'Two-way players'],
  P: ['Pitcher', 'Pitchers'],
  SP: ['Starting pitcher', 'Starting pitchers'],
  RP: ['Relief pitcher', 'Relief pitchers'],
};
const POSITION_ORDER = Object.keys(POSITIONS);

export function positionName(code: string, plural = false): string {
  const names = POSITIONS[code];
  return names ? names[plural ? 1 : 0] : code;
}

const LEVEL_NAMES: Record<string, string> = {
  ROK: 'Rookie',
  'ROK+': 'Rookie Advanced',
  'A-': 'Short-season A',
  A: 'Single-A',
  'A+': 'High-A',
  AA: 'Double-A',
  AAA: 'Triple-A',
  MLB: 'Major leagues',
};
/** Lowest first, the order a player climbs. */
export const LEVEL_ORDER = ['DSL', 'FCL', 'ACL', 'CPX', 'ROK', 'RK', 'ROK+', 'A-', 'A', 'A+', 'AA', 'AAA', 'MLB'];

export function levelName(level: string): string {
  return LEVEL_NAMES[level] ?? level;
}

export function levelRank(level: string): number {
  const index = LEVEL_ORDER.indexOf(level.toUpperCase());
  return index === -1 ? LEVEL_ORDER.length : index;
}

export interface OrganizationView {
  id: number;
  name: string;
  abbreviation: string;
  slug: string;
  /** Farm-system rank by total dynasty value, 1 = best. */
  rank: number;
  totalValue: number;
  inTop100: number;
  /** His prospects, best first. */
  prospects: Prospect[];
}

/** Organizations with at least one prospect, best farm system (largest total dynasty value) first. */
export function organizations(prospects: readonly Prospect[]): OrganizationView[] {
  const byId = new Map<number, { org: NonNullable<Prospect['organization']>; prospects: Prospect[] }>();
  for (const p of prospects) {
    if (!p.organization) continue;
    const entry = byId.get(p.organization.id) ?? { org: p.organization, prospects: [] };
    entry.prospects.push(p);
    byId.set(p.organization.id, entry);
  }
  const usedSlugs = new Map<string, number>();
  for (const { org } of byId.values()) usedSlugs.set(slugify(org.name), (usedSlugs.get(slugify(org.name)) ?? 0) + 1);
  const views = [...byId.values()].map(({ org, prospects: list }) => {
    const base = slugify(org.name);
    return {
      ...org,
      // Two clubs with one name (a data slip) must not share a page.
      slug: (usedSlugs.get(base) ?? 0) > 1 ? `${base}-${org.id}` : base,
      rank: 0,
      totalValue: list.reduce((sum, p) => sum + p.dynasty.value, 0),
      inTop100: list.filter((p) => p.rank <= 100).length,
      prospects: list.sort(
        (a, b) => (a.organizationRank ?? a.rank) - (b.organizationRank ?? b.rank) || a.rank - b.rank,
      ),
    };
  });
  views.sort((a, b) => b.totalValue - a.totalValue || a.name.localeCompare(b.name));
  views.forEach((v, i) => (v.rank = i + 1));
  return views;
}

export interface PositionView {
  code: string;
  slug: string;
  name: string;
  plural: string;
  prospects: Prospect[];
}

export function positions(prospects: readonly Prospect[]): PositionView[] {
  const byCode = Map.groupBy(prospects, (p) => p.position);
  const order = (code: string) =>
    POSITION_ORDER.includes(code) ? POSITION_ORDER.indexOf(code) : POSITION_ORDER.length;
  return [...byCode.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([code, list]) => ({
      code,
      slug: slugify(code),
      name: positionName(code),
      plural: positionName(code, true),
      prospects: [...list].sort((a, b) => a.positionRank - b.positionRank || a.rank - b.rank),
    }));
}

export interface RateAverages {
  strikeoutRate: number | null;
  walkRate: number | null;
  powerRate: number | null;
}

/**
 * Playing-time-weighted average rates per (group, level) over every stat line in the snapshot. The snapshot carries
 * no league norms, so "the level's average" is that of the ranked prospects who played there.
 */
export function levelAverages(prospects: readonly Prospect[]): Map<string, RateAverages> {
  type Sums = Record<keyof RateAverages, { sum: number; weight: number }>;
  const sums = new Map<string, Sums>();
  for (const line of prospects.flatMap((p) => p.stats)) {
    const key = levelKey(line.group, line.level);
    const entry: Sums = sums.get(key) ?? {
      strikeoutRate: { sum: 0, weight: 0 },
      walkRate: { sum: 0, weight: 0 },
      powerRate: { sum: 0, weight: 0 },
    };
    for (const rate of ['strikeoutRate', 'walkRate', 'powerRate'] as const) {
      const value = line[rate];
      if (value === null) continue;
      entry[rate].sum += value * line.battersOrPa;
      entry[rate].weight += line.battersOrPa;
    }
    sums.set(key, entry);
  }
  const mean = ({ sum, weight }: { sum: number; weight: number }) => (weight > 0 ? sum / weight : null);
  return new Map(
    [...sums].map(([key, s]) => [
      key,
      { strikeoutRate: mean(s.strikeoutRate), walkRate: mean(s.walkRate), powerRate: mean(s.powerRate) },
    ]),
  );
}

export function levelKey(group: StatLine['group'], level: string): string {
  return `${group}|${level}`;
}

/** His age in an earlier season, from his age in the snapshot's season. */
export function ageInSeason(age: number | null, asOfSeason: number, season: number): number | null {
  return age === null ? null : Math.round((age - (asOfSeason - season)) * 10) / 10;
}

/** The full rankings in pages of `size`; page 1 is the home page. */
export function rankingPages<T>(prospects: readonly T[], size: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < prospects.length; i += size) pages.push(prospects.slice(i, i + size));
  return pages.length ? pages : [[]];
}

export function rankingPageHref(base: string, page: number): string {
  return page === 1 ? base : `${base}rankings/${page}/`;
}

export function trendText(trend: number | null): { text: string; label: string; kind: 'up' | 'down' | 'flat' | 'new' } {
  if (trend === null) return { text: 'new', label: 'New since the last run', kind: 'new' };
  if (trend === 0) return { text: '–', label: 'No change since the last run', kind: 'flat' };
  const places = Math.abs(trend) === 1 ? 'place' : 'places';
  return trend > 0
    ? { text: `↑${trend}`, label: `Up ${trend} ${places} since the last run`, kind: 'up' }
    : { text: `↓${-trend}`, label: `Down ${-trend} ${places} since the last run`, kind: 'down' };
}
