// Tests for what the pages derive from a snapshot: farm systems, positions, level averages, paging, trends, value.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../lib/snapshot.ts';
import {
  ageInSeason,
  levelAverages,
  levelKey,
  organizations,
  positionName,
  positions,
  rankingPageHref,
  rankingPages,
  slugify,
  trendText,
} from './derive.ts';
import { DEFAULT_DISCOUNT, dynastyValue, prospectValue, TEAM_MODES } from './dynasty.ts';
import { FIXTURE_PATH } from './test-fixtures/generate-snapshot.ts';

const snapshot = JSON.parse(await readFile(FIXTURE_PATH, 'utf8')) as Snapshot;
const prospects = snapshot.prospects;

describe('organizations', () => {
  const orgs = organizations(prospects);

  it('ranks farm systems by total dynasty value and lists their prospects best first', () => {
    expect(orgs.map((o) => o.rank)).toEqual(orgs.map((_, i) => i + 1));
    for (let i = 1; i < orgs.length; i++) expect(orgs[i - 1]!.totalValue).toBeGreaterThanOrEqual(orgs[i]!.totalValue);
    for (const org of orgs) {
      const total = prospects.filter((p) => p.organization?.id === org.id).reduce((s, p) => s + p.dynasty.value, 0);
      expect(org.totalValue).toBeCloseTo(total, 9);
      expect(org.prospects.map((p) => p.organizationRank)).toEqual(org.prospects.map((_, i) => i + 1));
      expect(org.inTop100).toBe(org.prospects.filter((p) => p.rank <= 100).length);
    }
    // Unaffiliated prospects have no farm system.
    expect(orgs.reduce((s, o) => s + o.prospects.length, 0)).toBe(prospects.filter((p) => p.organization).length);
    expect(orgs.find((o) => o.name === 'St. Louis Cardinals')?.slug).toBe('st-louis-cardinals');
  });

  it('gives two clubs with one name different pages', () => {
    const [a, b] = [prospects[0]!, prospects[1]!].map((p) => structuredClone(p));
    a!.organization = { id: 1, name: 'Same Club', abbreviation: 'SC' };
    b!.organization = { id: 2, name: 'Same Club', abbreviation: 'SC' };
    expect(
      organizations([a!, b!])
        .map((o) => o.slug)
        .sort(),
    ).toEqual(['same-club-1', 'same-club-2']);
  });
});

describe('positions', () => {
  it('groups by position in diamond order, ranked within the position', () => {
    const groups = positions(prospects);
    expect(groups.map((g) => g.code)).toEqual(['C', '1B', '2B', '3B', 'SS', 'LF', 'CF', 'RF', 'DH', 'P']);
    for (const g of groups) expect(g.prospects.map((p) => p.positionRank)).toEqual(g.prospects.map((_, i) => i + 1));
    expect(groups.find((g) => g.code === '1B')).toMatchObject({ slug: '1b', plural: 'First basemen' });
    expect(positionName('XX')).toBe('XX');
  });
});

describe('levelAverages', () => {
  it('weights each line by its playing time', () => {
    const line = (battersOrPa: number, strikeoutRate: number | null) => ({
      season: 2025,
      level: 'AA',
      group: 'hitting' as const,
      games: 1,
      battersOrPa,
      innings: null,
      strikeoutRate,
      walkRate: 0.1,
      powerRate: null,
      average: null,
    });
    const p = { ...prospects[0]!, stats: [line(100, 0.2), line(300, 0.3), line(50, null)] };
    const avg = levelAverages([p]).get(levelKey('hitting', 'AA'))!;
    expect(avg.strikeoutRate).toBeCloseTo((100 * 0.2 + 300 * 0.3) / 400, 12);
    expect(avg.walkRate).toBeCloseTo(0.1, 12);
    expect(avg.powerRate).toBeNull();
  });
});

describe('small helpers', () => {
  it('pages, slugs, ages and trends', () => {
    expect(rankingPages([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(rankingPages([], 2)).toEqual([[]]);
    expect(rankingPageHref('/', 1)).toBe('/');
    expect(rankingPageHref('/', 3)).toBe('/rankings/3/');
    expect(slugify("José O'Neil-Ramírez")).toBe('jose-o-neil-ramirez');
    expect(slugify('!!!')).toBe('x');
    expect(ageInSeason(21.4, 2025, 2023)).toBe(19.4);
    expect(ageInSeason(null, 2025, 2023)).toBeNull();
    expect(trendText(3)).toMatchObject({ text: '↑3', kind: 'up', label: 'Up 3 places since the last run' });
    expect(trendText(-1)).toMatchObject({ text: '↓1', kind: 'down', label: 'Down 1 place since the last run' });
    expect(trendText(0).kind).toBe('flat');
    expect(trendText(null).kind).toBe('new');
  });
});

describe('dynasty value', () => {
  it("reproduces the snapshot's value at the default discount", () => {
    for (const p of prospects) {
      expect(dynastyValue({ probability: p.probability, ...p.dynasty }, DEFAULT_DISCOUNT)).toBeCloseTo(
        p.dynasty.value,
        3,
      );
    }
  });

  it('discounts harder for a contending team and barely for a rebuilding one', () => {
    const p = { probability: 0.5, dynasty: { roleWeight: 1, yearsToEta: 3, value: 100 * 0.5 * 0.9 ** 3 } };
    const [contending, balanced, rebuilding] = TEAM_MODES.map((m) => prospectValue(p, m.discount));
    expect(contending).toBeCloseTo(50 * 0.7 ** 3, 10);
    expect(balanced).toBe(p.dynasty.value);
    expect(rebuilding).toBeCloseTo(50 * 0.97 ** 3, 10);
    expect(prospectValue({ ...p, dynasty: { ...p.dynasty, yearsToEta: 0 } }, 0.3)).toBe(50);
  });
});
