/** Level norms: who counts toward a level's means, and that a season's norms depend on that season alone. */
import { describe, expect, it } from 'vitest';
import type { HittingCounts, PitchingCounts, PlayerBio, SeasonLine } from '../lib/domain.ts';
import {
  ageOnJuly1,
  birthTime,
  computeLevelNorms,
  emptyHitting,
  emptyPitching,
  normFor,
  ratio,
} from './level-norms.ts';

function bio(playerId: number, birthDate: string | null): PlayerBio {
  return {
    playerId,
    fullName: `P${playerId}`,
    birthDate,
    primaryPosition: null,
    batSide: null,
    pitchHand: null,
    mlbDebutDate: null,
  };
}

function hit(playerId: number, season: number, sportId: number, s: Partial<HittingCounts>): SeasonLine {
  return { playerId, season, sportId, teamId: null, group: 'hitting', stats: { ...emptyHitting(), ...s } };
}

function pit(playerId: number, season: number, sportId: number, s: Partial<PitchingCounts>): SeasonLine {
  return { playerId, season, sportId, teamId: null, group: 'pitching', stats: { ...emptyPitching(), ...s } };
}

const players = [bio(1, '2000-07-01'), bio(2, '1996-07-01'), bio(3, '1990-07-01'), bio(4, null)];

const lines: SeasonLine[] = [
  hit(1, 2020, 14, { plateAppearances: 200, atBats: 180, strikeOuts: 40, baseOnBalls: 20, doubles: 10, homeRuns: 5 }),
  hit(2, 2020, 14, { plateAppearances: 100, atBats: 90, strikeOuts: 30, baseOnBalls: 10, triples: 3 }),
  // Too few PA for the rates, but he still counts toward the level's mean age.
  hit(3, 2020, 14, { plateAppearances: 20, atBats: 20, strikeOuts: 20 }),
  hit(4, 2020, 14, { plateAppearances: 300, atBats: 300, strikeOuts: 60 }),
  hit(3, 2020, 1, { plateAppearances: 400, atBats: 380 }),
  pit(1, 2020, 13, { outs: 60, battersFaced: 100, strikeOuts: 30, baseOnBalls: 10, homeRuns: 2 }),
  pit(2, 2020, 13, { outs: 59, battersFaced: 90, strikeOuts: 10 }),
];

describe('computeLevelNorms', () => {
  const norms = computeLevelNorms(lines, players);

  it('averages ages of everyone at the level and rates of qualified players only', () => {
    const a = normFor(norms, 2020, 'A', 'hitting')!;
    expect(a.agedPlayers).toBe(3);
    expect(a.meanAge).toBeCloseTo((20 + 24 + 30) / 3, 2);
    expect(a.qualified).toBe(3);
    expect(a.kRate).toBeCloseTo((0.2 + 0.3 + 0.2) / 3, 10);
    expect(a.bbRate).toBeCloseTo((0.1 + 0.1 + 0) / 3, 10);
    expect(a.iso).toBeCloseTo((25 / 180 + 6 / 90 + 0) / 3, 10);
    expect(a.hrRate).toBeNaN();
  });

  it('keeps pitchers apart and needs 20 IP (60 outs) for their rates', () => {
    const p = normFor(norms, 2020, 'A+', 'pitching')!;
    expect(p.qualified).toBe(1);
    expect(p.kRate).toBeCloseTo(0.3, 10);
    expect(p.hrRate).toBeCloseTo(0.02, 10);
    expect(p.iso).toBeNaN();
    expect(p.agedPlayers).toBe(2);
  });

  it('skips MLB lines', () => {
    expect(normFor(norms, 2020, 'MLB', 'hitting')).toBeUndefined();
  });

  it('gives NaN rates when nobody qualified', () => {
    const few = computeLevelNorms([hit(3, 2020, 16, { plateAppearances: 50 })], players);
    const rok = normFor(few, 2020, 'ROK', 'hitting')!;
    expect(rok.kRate).toBeNaN();
    expect(rok.meanAge).toBeCloseTo(30, 2);
  });

  it('computes a season from its own lines: adding other seasons changes nothing', () => {
    const more = [
      ...lines,
      hit(2, 2021, 14, { plateAppearances: 500, atBats: 400, strikeOuts: 200 }),
      hit(3, 2019, 14, { plateAppearances: 500, atBats: 400, strikeOuts: 10 }),
    ];
    expect(normFor(computeLevelNorms(more, players), 2020, 'A', 'hitting')).toEqual(
      normFor(norms, 2020, 'A', 'hitting'),
    );
  });
});

describe('helpers', () => {
  it('measures age on July 1', () => {
    expect(ageOnJuly1(birthTime('2000-07-01'), 2020)).toBeCloseTo(20, 2);
    expect(ageOnJuly1(birthTime('2000-01-01'), 2020)).toBeCloseTo(20.5, 2);
    expect(ageOnJuly1(birthTime(null), 2020)).toBeNaN();
    expect(birthTime('not a date')).toBeNaN();
  });

  it('returns NaN, not Infinity or 0, for a rate without denominator', () => {
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(0, 0)).toBeNaN();
    expect(ratio(1, 4)).toBe(0.25);
  });
});
