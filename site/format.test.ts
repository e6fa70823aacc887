// Tests for the display helpers, chiefly that SHAP log-odds become percentage points that add up.
import { describe, expect, it } from 'vitest';
import {
  describeEvidence,
  explainFactors,
  formatCount,
  formatDate,
  formatEta,
  formatShortDate,
  formatAge,
  formatAverage,
  formatInnings,
  formatPercent,
  formatPoints,
  sortStats,
} from './format.ts';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('explainFactors', () => {
  const factors = [
    { feature: 'k', label: 'Strikeout rate', value: -0.21, contribution: -0.4 },
    { feature: 'a', label: 'Age relative to level', value: -2.1, contribution: 1.2 },
    { feature: 'b', label: 'Walk rate', value: null, contribution: 0.3 },
  ];

  it('converts contributions to points that sum to the gap between base and prediction', () => {
    const baseValue = -1.5;
    const probability = sigmoid(baseValue + 1.2 - 0.4 + 0.3);
    const { baseProbability, factors: views, otherPoints } = explainFactors({ baseValue, probability, factors });
    expect(baseProbability).toBeCloseTo(sigmoid(-1.5), 10);
    expect(views.map((v) => v.label)).toEqual(['Age relative to level', 'Strikeout rate', 'Walk rate']);
    const total = views.reduce((sum, v) => sum + v.points, 0);
    expect(total).toBeCloseTo((probability - baseProbability) * 100, 6);
    expect(otherPoints).toBeCloseTo(0, 6);
    expect(views[0]?.points).toBeGreaterThan(0);
    expect(views[1]?.points).toBeLessThan(0);
    expect(views.map((v) => v.share)).toEqual([1, 0.4 / 1.2, 0.3 / 1.2]);
    expect(views[2]?.value).toBe('missing');
  });

  it('puts what the hidden factors add into otherPoints', () => {
    const baseValue = 0;
    const probability = sigmoid(1.2 - 0.4 + 0.3);
    const { factors: views, otherPoints } = explainFactors({ baseValue, probability, factors }, 1);
    expect(views).toHaveLength(1);
    expect(views[0]!.points + otherPoints).toBeCloseTo((probability - 0.5) * 100, 6);
    expect(otherPoints).toBeLessThan(0);
  });

  it('stays finite when the prediction equals the base value or is exactly 0 or 1', () => {
    const flat = explainFactors({ baseValue: 0, probability: 0.5, factors });
    expect(flat.factors[0]?.points).toBeCloseTo(1.2 * 25, 6);
    for (const probability of [0, 1]) {
      for (const view of explainFactors({ baseValue: 0, probability, factors }).factors) {
        expect(Number.isFinite(view.points)).toBe(true);
      }
    }
    expect(explainFactors({ baseValue: 0, probability: 0.5, factors: [] })).toMatchObject({ factors: [] });
  });
});

describe('formatters', () => {
  it('formats numbers the way the pages show them', () => {
    expect(formatPercent(0.4567)).toBe('45.7%');
    expect(formatPercent(null)).toBe('—');
    expect(formatAge(20)).toBe('20');
    expect(formatAge(20.44)).toBe('20.4');
    expect(formatAge(null)).toBe('—');
    expect(formatAverage(0.287)).toBe('.287');
    expect(formatAverage(1)).toBe('1.000');
    expect(formatInnings(166.67)).toBe('166.2');
    expect(formatInnings(44)).toBe('44.0');
    expect(formatInnings(52.333)).toBe('52.1');
    expect(formatPoints(8.14)).toBe('+8.1 points');
    expect(formatPoints(-2.36)).toBe('-2.4 points');
    expect(formatPoints(0.02)).toBe('about 0 points');
    expect(formatEta(2027)).toBe('2027');
    expect(formatEta(null)).toBe('—');
    expect(formatCount(12345.6)).toBe('12,346');
    // UTC, whatever the build machine's time zone.
    expect(formatDate('2025-11-01T00:30:00.000Z')).toBe('November 1, 2025');
    expect(formatDate(null)).toBe('never');
    expect(formatShortDate('2025-08-09')).toBe('Aug 9');
  });

  it('says what the confidence rests on', () => {
    const evidence = { seasonWorkload: 412, careerWorkload: 1250, seasons: 3, levels: 4, spread: 0.0412 };
    expect(describeEvidence({ isPitcher: false, evidence })).toBe(
      "412 plate appearances this season and 1,250 in his career, over 3 seasons at 4 levels; the model's bootstrap " +
        'ensemble agrees within ±4.1 points.',
    );
    expect(describeEvidence({ isPitcher: true, evidence: { ...evidence, seasons: 1, levels: 1 } })).toMatch(
      /^412 batters faced .* over 1 season at 1 level;/,
    );
    expect(describeEvidence({ isPitcher: true, evidence: { ...evidence, careerWorkload: 0 } })).toMatch(
      /No minor-league/,
    );
  });

  it('orders stat lines by season, then up the minor-league ladder', () => {
    const line = (season: number, level: string) => ({
      season,
      level,
      group: 'hitting' as const,
      games: 1,
      battersOrPa: 1,
      innings: null,
      strikeoutRate: null,
      walkRate: null,
      powerRate: null,
      average: null,
    });
    const sorted = sortStats([
      line(2025, 'AAA'),
      line(2024, 'A+'),
      line(2025, 'A+'),
      line(2024, 'A'),
      line(2025, 'AA'),
      line(2024, 'ROK+'),
    ]);
    expect(sorted.map((l) => `${l.season} ${l.level}`)).toEqual([
      '2024 ROK+',
      '2024 A',
      '2024 A+',
      '2025 A+',
      '2025 AA',
      '2025 AAA',
    ]);
  });
});
