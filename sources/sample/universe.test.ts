import { describe, expect, it } from 'vitest';
import { createSampleApi } from './api.ts';
import { measure } from './calibration.ts';
import { generateUniverse } from './universe.ts';

const allSports = '1,11,12,13,14,15,16,5442';

function statsBody(universe: ReturnType<typeof generateUniverse>, season: number, group: string): string {
  const api = createSampleApi(universe);
  const url = new URL(
    `http://x/api/v1/stats?stats=season&group=${group}&season=${season}&sportIds=${allSports}&playerPool=All&limit=100000`,
  );
  return JSON.stringify(api('GET', url).body);
}

describe('generateUniverse determinism', () => {
  const options = { seed: 11, fromSeason: 2012, toSeason: 2016, scale: 0.05 };

  it('gives byte-identical responses for the same seed', () => {
    const a = generateUniverse(options);
    const b = generateUniverse(options);
    for (const season of [2012, 2016]) {
      expect(statsBody(a, season, 'hitting')).toBe(statsBody(b, season, 'hitting'));
      expect(statsBody(a, season, 'pitching')).toBe(statsBody(b, season, 'pitching'));
    }
    const apiA = createSampleApi(a);
    const apiB = createSampleApi(b);
    for (const path of [
      '/api/v1/draft/2014',
      '/api/v1/teams?sportIds=1,11,16&season=2013',
      '/api/v1/sports/12/players?season=2015',
    ]) {
      expect(JSON.stringify(apiA('GET', new URL(`http://x${path}`)).body)).toBe(
        JSON.stringify(apiB('GET', new URL(`http://x${path}`)).body),
      );
    }
  });

  it('gives a different history for a different seed', () => {
    const a = generateUniverse(options);
    const c = generateUniverse({ ...options, seed: 12 });
    expect(statsBody(a, 2014, 'hitting')).not.toBe(statsBody(c, 2014, 'hitting'));
  });

  it('rejects bad options at construction with a precise message', () => {
    expect(() => generateUniverse({ scale: 0 })).toThrow('scale must be in (0, 1], got 0');
    expect(() => generateUniverse({ fromSeason: 2015, toSeason: 2014 })).toThrow(
      'toSeason must be an integer between fromSeason (2015) and 2100, got 2014',
    );
    expect(() => generateUniverse({ seed: 1.5 })).toThrow('seed must be an integer, got 1.5');
  });
});

describe('generateUniverse at full scale, measured like CALIBRATION.md', () => {
  const started = performance.now();
  const universe = generateUniverse({ seed: 2026, fromSeason: 2010, toSeason: 2026, scale: 1 });
  const generationMs = performance.now() - started;
  const seasons = [2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019];
  const figures = measure(universe.lines, universe.ageOf, seasons);
  // CALIBRATION.md: lines per level (Rookie counts both Rookie leagues), hitter K%, and mean age.
  const expected: Record<number, { lines: number; k: number; age: number }> = {
    11: { lines: 690, k: 0.18, age: 27.1 },
    12: { lines: 970, k: 0.183, age: 24.5 },
    13: { lines: 740, k: 0.192, age: 23 },
    14: { lines: 670, k: 0.198, age: 21.8 },
    15: { lines: 450, k: 0.205, age: 21.3 },
  };

  it('generates seventeen seasons in well under 30 seconds', () => {
    expect(generationMs).toBeLessThan(30_000);
  });

  it('has about the real number of hitter and pitcher lines per level', () => {
    for (const [sportId, e] of Object.entries(expected)) {
      const level = figures.levels[Number(sportId)];
      expect(level?.hitterLines, `hitter lines at sport ${sportId}`).toBeGreaterThan(e.lines * 0.7);
      expect(level?.hitterLines, `hitter lines at sport ${sportId}`).toBeLessThan(e.lines * 1.3);
      expect(level?.pitcherLines, `pitcher lines at sport ${sportId}`).toBeGreaterThan(e.lines * 0.7);
      expect(level?.pitcherLines, `pitcher lines at sport ${sportId}`).toBeLessThan(e.lines * 1.4);
    }
    const rookie = (figures.levels[16]?.hitterLines ?? 0) + (figures.levels[5442]?.hitterLines ?? 0);
    expect(rookie).toBeGreaterThan(900 * 0.7);
    expect(rookie).toBeLessThan(900 * 1.3);
  });

  it('has level means of K% and ages near the real ones', () => {
    for (const [sportId, e] of Object.entries(expected)) {
      const level = figures.levels[Number(sportId)];
      expect(Math.abs((level?.hitK ?? 0) - e.k), `K% at sport ${sportId}`).toBeLessThan(0.015);
      expect(Math.abs((level?.ageMean ?? 0) - e.age), `age at sport ${sportId}`).toBeLessThan(1.6);
    }
    // Older levels are older: the ladder is visible in ages.
    expect(figures.levels[14]?.ageMean).toBeLessThan(figures.levels[13]?.ageMean ?? 0);
    expect(figures.levels[13]?.ageMean).toBeLessThan(figures.levels[12]?.ageMean ?? 0);
  });

  it('makes about one prospect-season in twenty a success, more often for players young for their level', () => {
    expect(figures.success.overall).toBeGreaterThan(0.02);
    expect(figures.success.overall).toBeLessThan(0.1);
    for (const sportId of [12, 13, 14]) {
      const byAge = figures.successByAge[sportId] ?? [];
      expect(byAge[0], `2+ years young at sport ${sportId}`).toBeGreaterThan(byAge[4] ?? 1);
    }
  });

  it('moves most returning players up a level or keeps them, rarely down', () => {
    const m = figures.movement;
    expect((m['+1'] ?? 0) + (m['+2'] ?? 0) + (m['+3'] ?? 0)).toBeGreaterThan(0.4);
    expect((m['-1'] ?? 0) + (m['-2'] ?? 0)).toBeLessThan(0.15);
  });

  it('injects every documented fault and serves no minor-league season in 2020', () => {
    const kinds = new Set(universe.faults.records.map((r) => r.kind));
    for (const kind of [
      'placeholder-rates',
      'missing-optional-fields',
      'missing-outs',
      'missing-player-id',
      'duplicate',
      'negative-count',
      'hits-over-at-bats',
      'pa-under-at-bats',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    expect(universe.faults.aggregateRows).toBeGreaterThan(100);
    expect(universe.faults.shapeDriftSeason).toBe(2015);
    expect(universe.lines.filter((l) => l.season === 2020 && l.sportId !== 1)).toHaveLength(0);
    expect(universe.lines.filter((l) => l.season === 2020 && l.sportId === 1).length).toBeGreaterThan(500);
  });
});
