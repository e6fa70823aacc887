/** The confidence rule, case by case, and the evidence it reads from a feature row or from season lines. */
import { describe, expect, it } from 'vitest';
import type { SeasonLine } from '../lib/domain.ts';
import {
  careerLevels,
  confidenceFromFeatures,
  evidenceFromFeatures,
  gradeConfidence,
  type Evidence,
} from './confidence.ts';
import { FEATURE_COUNT, FEATURE_INDEX, type FeatureName } from './feature-catalog.ts';
import { emptyHitting, emptyPitching } from './level-norms.ts';

const solid: Evidence = { seasonWorkload: 520, careerWorkload: 1600, seasons: 4, levels: 3, spread: 0.01 };

describe('gradeConfidence', () => {
  it.each<[string, Partial<Evidence>, 'High' | 'Medium' | 'Low']>([
    ['a veteran prospect with a full season and an agreeing ensemble', {}, 'High'],
    [
      'the High thresholds themselves',
      { seasonWorkload: 300, careerWorkload: 1000, seasons: 3, levels: 2, spread: 0.03 },
      'High',
    ],
    ['a part-time season', { seasonWorkload: 299 }, 'Medium'],
    ['a short career', { careerWorkload: 999 }, 'Medium'],
    ['a second pro season', { seasons: 2 }, 'Medium'],
    ['a single level seen', { levels: 1 }, 'Medium'],
    ['an ensemble spread over 3 points', { spread: 0.031 }, 'Medium'],
    ['an unknown spread', { spread: Number.NaN }, 'Medium'],
    ['a debut-sized season', { seasonWorkload: 149 }, 'Low'],
    ['a career under 250', { seasonWorkload: 200, careerWorkload: 249 }, 'Low'],
    ['a first pro season', { seasons: 1 }, 'Low'],
    ['an ensemble spread over 8 points', { spread: 0.081 }, 'Low'],
    ['missing workloads, counted as none', { seasonWorkload: Number.NaN, careerWorkload: Number.NaN }, 'Low'],
  ])('grades %s', (_name, change, expected) => {
    expect(gradeConfidence({ ...solid, ...change }).confidence).toBe(expected);
  });

  it('says why a grade is not higher and returns the evidence it used', () => {
    const low = gradeConfidence({ ...solid, seasons: 1, seasonWorkload: 90 });
    expect(low.reasons).toEqual(['under 150 PA/BF this season', 'first pro season']);
    expect(low.evidence).toEqual({ ...solid, seasons: 1, seasonWorkload: 90 });
    expect(gradeConfidence(solid).reasons).toEqual([]);
    expect(gradeConfidence({ ...solid, levels: 1 }).reasons).toEqual(['one level seen']);
  });
});

function row(values: Partial<Record<FeatureName, number>>): Float32Array {
  const r = new Float32Array(FEATURE_COUNT).fill(Number.NaN);
  for (const [name, v] of Object.entries(values)) r[FEATURE_INDEX[name as FeatureName]] = v;
  return r;
}

describe('evidenceFromFeatures', () => {
  it('reads PA for hitters and batters faced for pitchers', () => {
    const hitter = row({
      is_pitcher: 0,
      hit_pa: 480,
      hit_career_pa: 1300,
      seasons_pro: 3,
      levels_played: 2,
      level_climb: 1,
    });
    expect(evidenceFromFeatures(hitter, 0.02)).toEqual({
      seasonWorkload: 480,
      careerWorkload: 1300,
      seasons: 3,
      levels: 2,
      spread: 0.02,
    });
    const pitcher = row({
      is_pitcher: 1,
      pit_bf: 350,
      pit_career_bf: 900,
      seasons_pro: 2,
      levels_played: 1,
      level_climb: 0,
    });
    expect(evidenceFromFeatures(pitcher, 0.05)).toEqual({
      seasonWorkload: 350,
      careerWorkload: 900,
      seasons: 2,
      levels: 1,
      spread: 0.05,
    });
  });

  it('counts a climb since last season as a second level, and prefers exact levels when given', () => {
    const climbed = row({
      is_pitcher: 0,
      hit_pa: 500,
      hit_career_pa: 1500,
      seasons_pro: 4,
      levels_played: 1,
      level_climb: 1,
    });
    expect(evidenceFromFeatures(climbed, 0.01).levels).toBe(2);
    expect(evidenceFromFeatures(climbed, 0.01, 4).levels).toBe(4);
    expect(confidenceFromFeatures(climbed, 0.01).confidence).toBe('High');
  });

  it('treats missing counts as none', () => {
    expect(evidenceFromFeatures(row({ is_pitcher: 0 }), 0)).toEqual({
      seasonWorkload: 0,
      careerWorkload: 0,
      seasons: 0,
      levels: 1,
      spread: 0,
    });
  });
});

describe('careerLevels', () => {
  const hit = (season: number, sportId: number): SeasonLine => ({
    playerId: 1,
    season,
    sportId,
    teamId: null,
    group: 'hitting',
    stats: emptyHitting(),
  });
  it('counts distinct minor-league levels of his group through the as-of season', () => {
    const lines: SeasonLine[] = [
      hit(2021, 16),
      hit(2022, 14),
      hit(2022, 14),
      hit(2023, 13),
      hit(2023, 1),
      hit(2024, 12),
      { playerId: 1, season: 2022, sportId: 11, teamId: null, group: 'pitching', stats: emptyPitching() },
    ];
    expect(careerLevels(lines, 2023, 'hitting')).toBe(3);
    expect(careerLevels(lines, 2024, 'hitting')).toBe(4);
  });
});
