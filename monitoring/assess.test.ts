/**
 * The drift rise since a model's baseline day and the threshold warnings, from plain records: a standing PSI (however
 * large) that was there on the baseline day raises nothing, a rise past 0.25 warns with today's PSI and the baseline's,
 * and LiveCalibrationDegraded is unchanged.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureDriftRecord, LiveCalibrationRecord } from '../db/monitoring.ts';
import { ownBaseline, psiRise, psiRises, thresholdWarnings } from './assess.ts';

const drift = (feature: string, psi: number): FeatureDriftRecord => ({
  feature,
  psi,
  binning: 'quantile',
  trainingMissing: 0,
  scoringMissing: 0,
  bins: [],
});
const calibration = (ece: number | null, outcomes: number): LiveCalibrationRecord => ({
  modelVersion: 'm1',
  serving: true,
  status: ece === null ? 'not-enough-data' : 'measured',
  reason: ece === null ? 'too few' : null,
  outcomes,
  positives: 10,
  asOfSeasons: [2016],
  ece,
  brier: ece === null ? null : 0.05,
  auc: null,
  reliability: ece === null ? null : [],
});

describe('psiRises', () => {
  const baseline = {
    day: '2026-07-01',
    psi: new Map([
      ['seasons_pro', 5.6],
      ['age', 0.02],
      ['draft_pick', 0.4],
    ]),
  };

  it("is today's PSI less the baseline day's, largest first, and the whole PSI for a feature the baseline lacks", () => {
    const rises = psiRises(
      [drift('seasons_pro', 5.7), drift('age', 0.5), drift('draft_pick', 0.1), drift('bats_left', 0.3)],
      baseline,
    );
    expect(rises.map((r) => r.feature)).toEqual(['age', 'bats_left', 'seasons_pro', 'draft_pick']);
    expect(rises[0]).toEqual({ feature: 'age', psi: 0.5, baselinePsi: 0.02, rise: 0.48 });
    expect(rises[1]).toEqual({ feature: 'bats_left', psi: 0.3, baselinePsi: null, rise: 0.3 });
    expect(rises[2]!.rise).toBeCloseTo(0.1, 12);
    // A PSI that fell is a negative rise.
    expect(rises[3]!.rise).toBeCloseTo(-0.3, 12);
    expect(psiRise(0.7, null)).toBe(0.7);
  });

  it('is 0 for every feature on the baseline day itself', () => {
    const today = [drift('seasons_pro', 5.6), drift('prior_season_gap', 4.73), drift('age', 0.02)];
    const own = ownBaseline('2026-07-01', today);
    expect(own.day).toBe('2026-07-01');
    expect(psiRises(today, own).map((r) => r.rise)).toEqual([0, 0, 0]);
  });
});

describe('thresholdWarnings', () => {
  it('stays quiet on a large standing PSI that has not risen, and on a rise of exactly 0.25', () => {
    const baseline = {
      day: '2026-07-01',
      psi: new Map([
        ['seasons_pro', 5.6],
        ['age', 0.25],
      ]),
    };
    const rises = psiRises([drift('seasons_pro', 5.0), drift('age', 0.5)], baseline);
    expect(rises.find((r) => r.feature === 'age')!.rise).toBe(0.25);
    expect(thresholdWarnings(rises, baseline.day, [calibration(null, 10)])).toEqual([]);
  });

  it('names every feature whose PSI rose by more than 0.25, with its PSI today and on the baseline day', () => {
    const baseline = {
      day: '2026-07-01',
      psi: new Map([
        ['seasons_pro', 5.6],
        ['age', 0.02],
      ]),
    };
    const rises = psiRises([drift('seasons_pro', 6.1), drift('age', 0.5), drift('bats_left', 0.26)], baseline);
    expect(thresholdWarnings(rises, baseline.day, [calibration(0.05, 300)])).toEqual([
      'FeatureDrift: PSI rose by more than 0.25 since 2026-07-01 for seasons_pro (6.100, was 5.600), age (0.500, was 0.020), ' +
        'bats_left (0.260, was not measured)',
    ]);
  });

  it('warns on degraded live calibration of the serving model only with enough outcomes', () => {
    expect(thresholdWarnings([], null, [calibration(0.12, 250)])).toEqual([
      'LiveCalibrationDegraded: m1 live ECE 0.120 above 0.08 on 250 outcomes',
    ]);
    expect(thresholdWarnings([], null, [calibration(0.12, 120)])).toEqual([]);
    expect(thresholdWarnings([], null, [{ ...calibration(0.3, 900), serving: false }])).toEqual([]);
  });

  it('refuses rises without the day they rise from', () => {
    expect(() => thresholdWarnings([{ feature: 'age', psi: 0.5, baselinePsi: 0, rise: 0.5 }], null, [])).toThrow(
      /baseline day/,
    );
  });
});
