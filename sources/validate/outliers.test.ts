// Level-wide robust outliers: a planted extreme line is rejected, a moderate one flagged, a thin level skipped.
import { describe, expect, it } from 'vitest';
import type { SeasonLine } from '../../lib/domain.ts';
import { mad, median, OUTLIER, scoreOutliers } from './outliers.ts';
import { validateSeasonLines } from './season-lines.ts';
import { biosFor, hitter, normalLevel, pitcher, SEASON } from './test-lines.ts';

function validate(lines: SeasonLine[]) {
  return validateSeasonLines({ season: SEASON, lines, bios: biosFor(lines) });
}

describe('median and MAD', () => {
  it('are the textbook ones', () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([5, 1, 3].sort((a, b) => a - b))).toBe(3);
    expect(mad([1, 1, 2, 2, 4, 6, 9], 2)).toBe(1);
  });
});

describe('outliers within a level', () => {
  const level = normalLevel('hitting', 40);

  it('leave an ordinary synthetic level alone', () => {
    const r = validate(level);
    expect(r.rejects).toEqual([]);
    expect(r.flags).toEqual([]);
  });

  it('reject a planted impossible strikeout rate (outlier_extreme) and say how far out it is', () => {
    const planted = hitter(1, { pa: 450, k: 0.78 });
    const r = validate([...level, planted]);
    expect(r.rejects.map((x) => [x.raw, x.rule])).toEqual([[planted, 'outlier_extreme']]);
    expect(r.rejects[0]?.reason).toMatch(
      /^player 1 \(Test Player 1\), season 2015, AA hitting: K% 78\.0% is \d+\.\d robust SDs above the level median \d+\.\d% \(MAD \d+\.\d%, 41 qualified\), beyond 8/,
    );
    expect(r.accepted).toHaveLength(40);
  });

  it('flag, and keep, a moderate outlier (5 < |z| <= 8)', () => {
    const planted = hitter(2, { pa: 450, k: 0.58 });
    const r = validate([...level, planted]);
    expect(r.rejects).toEqual([]);
    expect(r.accepted).toContain(planted);
    expect(r.flags.map((f) => [f.playerId, f.rule])).toEqual([[2, 'outlier']]);
    expect(r.flags[0]?.detail).toContain('K% 58.0%');
  });

  it('check pitchers on K%, BB% and HR% the same way', () => {
    const pitchers = normalLevel('pitching', 40, 3000);
    const wild = pitcher(1, { bf: 400, bb: 0.5, k: 0.1 });
    const homers = pitcher(2, { bf: 400, hr: 0.2 });
    const r = validate([...pitchers, wild, homers]);
    expect(r.rejects.map((x) => [x.raw.playerId, x.rule])).toEqual([
      [1, 'outlier_extreme'],
      [2, 'outlier_extreme'],
    ]);
    expect(r.rejects[0]?.reason).toContain('BB% 50.0%');
    expect(r.rejects[1]?.reason).toContain('HR% 20.0%');
  });

  it('only flag an extreme line at MLB, whose counts make the success label', () => {
    const mlb = normalLevel('hitting', 40, 1000, 1);
    const bonds = hitter(25, { pa: 617, bb: 0.6 }, {}, 1);
    const r = validate([...mlb, bonds]);
    expect(r.rejects).toEqual([]);
    expect(r.flags.map((f) => [f.playerId, f.rule])).toEqual([[25, 'outlier_extreme']]);
    expect(r.flags[0]?.detail).toContain('kept at MLB');
  });

  it('skip a level with fewer than five qualified players, and ignore players short of 100 PA / 20 IP', () => {
    const thin = [...level.slice(0, OUTLIER.minQualified - 2), hitter(1, { pa: 450, k: 0.78 })];
    expect(validate(thin).rejects).toEqual([]);
    const unqualified = hitter(3, { pa: 99, k: 0.78 });
    expect(validate([...level, unqualified]).rejects).toEqual([]);
    const reliever = pitcher(4, { bf: 80, k: 0.6 }, { outs: 59 });
    expect(validate([...normalLevel('pitching', 40, 3000), reliever]).rejects).toEqual([]);
  });

  it('compare a line only with its own level, season and group', () => {
    // The planted line sits in Single-A, where only three other hitters qualify: no check, whatever Double-A looks like.
    const singleA = [...normalLevel('hitting', 3, 5000, 14), hitter(1, { pa: 450, k: 0.78 }, {}, 14)];
    expect(scoreOutliers([...level, ...singleA]).size).toBe(0);
    // A strikeout-heavy pitcher is not judged against hitters' K%.
    expect(scoreOutliers([...level, ...normalLevel('pitching', 40, 3000)]).size).toBe(0);
  });

  it('guard MAD = 0: identical lines give no division by zero, and a real deviation is still measured', () => {
    const clones = Array.from({ length: 20 }, (_, i) => hitter(100 + i));
    const odd = hitter(1, { pa: 400, k: 0.26 });
    const scores = scoreOutliers([...clones, odd]);
    for (const list of scores.values()) for (const s of list) expect(Number.isFinite(s.z)).toBe(true);
    expect(validate([...clones, odd]).rejects).toEqual([]);
    expect(validate([...clones, hitter(2, { pa: 450, k: 0.75 })]).rejects.map((x) => x.rule)).toEqual([
      'outlier_extreme',
    ]);
  });
});
