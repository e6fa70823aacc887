/** Narrative lines: the documented examples word for word, every catalog feature covered, points as on the site. */
import { describe, expect, it } from 'vitest';
import { explainFactors } from '../site/format.ts';
import { FEATURE_CATALOG, FEATURE_COUNT, FEATURE_INDEX, type FeatureName } from './feature-catalog.ts';
import { describeFeature, formatNarrativePoints, narrate, probabilityPoints } from './narrative.ts';

function row(values: Partial<Record<FeatureName, number>>): Float32Array {
  const r = new Float32Array(FEATURE_COUNT).fill(Number.NaN);
  for (const [name, v] of Object.entries(values)) r[FEATURE_INDEX[name as FeatureName]] = v;
  return r;
}

function contributions(values: Partial<Record<FeatureName, number>>): Float32Array {
  const c = new Float32Array(FEATURE_COUNT + 1);
  for (const [name, v] of Object.entries(values)) c[FEATURE_INDEX[name as FeatureName]] = v;
  return c;
}

const hitter = row({
  age: 21.3,
  age_rel_level: -2.1,
  level_ordinal: 6,
  levels_played: 2,
  level_climb: 1,
  seasons_pro: 3,
  seasons_at_level: 1,
  age_first_pro: 18.4,
  is_pitcher: 0,
  mlb_ab_to_date: 0,
  mlb_outs_to_date: 0,
  draft_round: 1,
  draft_pick: 12,
  draft_age: 18.2,
  undrafted: 0,
  bats_left: 1,
  bats_switch: 0,
  throws_left: 0,
  pos_c: 0,
  pos_if: 1,
  pos_of: 0,
  pos_p: 0,
  hit_pa: 512,
  hit_k_rate: 0.31,
  hit_bb_rate: 0.12,
  hit_iso: 0.215,
  hit_avg: 0.287,
  hit_babip: 0.35,
  hit_obp: 0.38,
  hit_slg: 0.5,
  hit_sb_rate: 0.12,
  hit_woba: 0.37,
  hit_k_rate_rel: 0.09,
  hit_bb_rate_rel: 0.03,
  hit_iso_rel: 0.04,
  hit_k_rate_w3: 0.05,
  hit_bb_rate_w3: 0.02,
  hit_iso_w3: 0.03,
  hit_k_rate_delta: -0.02,
  hit_bb_rate_delta: 0.01,
  hit_iso_delta: 0.012,
  hit_career_pa: 1204,
});
const pitcher = row({
  age: 23.9,
  age_rel_level: 0.8,
  level_ordinal: 4,
  levels_played: 1,
  level_climb: 0,
  seasons_pro: 2,
  seasons_at_level: 2,
  age_first_pro: 22,
  is_pitcher: 1,
  mlb_ab_to_date: 0,
  mlb_outs_to_date: 31,
  undrafted: 1,
  bats_left: 0,
  bats_switch: 0,
  throws_left: 1,
  pos_c: 0,
  pos_if: 0,
  pos_of: 0,
  pos_p: 1,
  pit_ip: 118.3,
  pit_bf: 480,
  pit_k_rate: 0.28,
  pit_bb_rate: 0.11,
  pit_k_bb_rate: 0.17,
  pit_hr_rate: 0.021,
  pit_gs_share: 0.8,
  pit_ip_per_app: 4.8,
  pit_k_rate_rel: 0.06,
  pit_bb_rate_rel: 0.02,
  pit_hr_rate_rel: -0.004,
  pit_k_rate_w3: 0.04,
  pit_bb_rate_w3: 0.01,
  pit_hr_rate_w3: 0,
  pit_k_rate_delta: 0.03,
  pit_bb_rate_delta: -0.01,
  pit_hr_rate_delta: 0.002,
  pit_career_bf: 800,
});

describe('narrate', () => {
  // Contributions chosen so that, at a base value of -2.5, they come to +8, -5 and +6 probability points.
  const shap = contributions({
    age_rel_level: 0.7864263556823906,
    hit_k_rate_rel: -0.49151647230149415,
    draft_round: 0.5898197667617929,
  });
  const baseValue = -2.5;
  const probability = 1 / (1 + Math.exp(-(baseValue + 0.7864263556823906 - 0.49151647230149415 + 0.5898197667617929)));

  it('writes the documented example sentences, largest contribution first', () => {
    expect(narrate({ values: hitter, contributions: shap, baseValue, probability })).toEqual([
      "Young for Double-A, 2.1 years under the level's average: +8 points",
      'Drafted in round 1 (pick 12): +6 points',
      'Strikes out 31% of the time, 9 points above the level: \u22125 points',
    ]);
  });

  it('stops at the limit and skips features that contributed nothing', () => {
    expect(narrate({ values: hitter, contributions: shap, baseValue, probability, limit: 1 })).toHaveLength(1);
    expect(narrate({ values: hitter, contributions: contributions({}), baseValue, probability: 0.0759 })).toEqual([]);
  });

  it('converts log-odds to the same probability points as the site', () => {
    const factors = [
      { feature: 'age_rel_level', label: 'Age vs level', value: -2.1, contribution: 0.7864263556823906 },
      { feature: 'draft_round', label: 'Draft round', value: 1, contribution: 0.5898197667617929 },
      { feature: 'hit_k_rate_rel', label: 'K% vs level', value: 0.09, contribution: -0.49151647230149415 },
    ];
    const site = explainFactors({ baseValue, probability, factors }).factors.map((f) => f.points);
    const ours = probabilityPoints(
      factors.map((f) => f.contribution),
      baseValue,
      probability,
    );
    ours.forEach((points, i) => expect(points).toBeCloseTo(site[i]!, 9));
    expect(ours.reduce((s, x) => s + x, 0)).toBeCloseTo((probability - 1 / (1 + Math.exp(-baseValue))) * 100, 9);
  });
});

describe('describeFeature', () => {
  it.each(FEATURE_CATALOG.map((f) => f.name))('describes %s for a hitter, a pitcher and when missing', (name) => {
    const texts = [hitter, pitcher, row({ is_pitcher: 0 }), row({ is_pitcher: 1 }), row({})].map((r) =>
      describeFeature(name, r),
    );
    for (const text of texts) {
      expect(text.length).toBeGreaterThan(3);
      expect(text).not.toMatch(/NaN|undefined|null|Infinity/);
      expect(text).toMatch(/^([A-Z0-9]|wOBA)/);
    }
  });

  it.each<[FeatureName, Float32Array, string]>([
    ['draft_pick', hitter, 'Drafted 12th overall'],
    ['draft_round', pitcher, 'Not drafted (international or undrafted free agent)'],
    ['draft_round', row({ undrafted: 0 }), 'No draft record'],
    [
      'draft_round',
      row({ undrafted: 0, draft_round: 1.5, draft_pick: 35 }),
      'Drafted in the supplemental round after round 1 (pick 35)',
    ],
    ['age_rel_level', pitcher, "Old for Single-A, 0.8 years over the level's average"],
    ['age_rel_level', row({}), 'No birth date on record, so his age against the level is unknown'],
    ['level_climb', hitter, 'Climbed a level since last season'],
    ['seasons_at_level', pitcher, 'Second season at Single-A'],
    ['hit_iso_rel', hitter, 'Isolated power of .215, .040 above the level'],
    ['hit_bb_rate_rel', hitter, 'Walks 12% of the time, 3 points above the level'],
    ['hit_k_rate_w3', hitter, 'Strikeout rate over three seasons 5 points above his levels'],
    ['pit_k_rate_rel', pitcher, 'Strikes out 28% of batters, 6 points above the level'],
    ['pit_bb_rate_rel', pitcher, 'Walks 11% of batters, 2 points above the level'],
    ['pit_k_bb_rate', pitcher, 'Strikeouts minus walks: 17% of batters'],
    ['pit_hr_rate_w3', pitcher, "Home-run rate over three seasons about his levels' average"],
    ['mlb_outs_to_date', pitcher, 'Already has 10.1 MLB innings'],
    ['hit_k_rate', pitcher, 'A pitcher, so no hitting line'],
    ['pit_bb_rate', hitter, 'A position player, so no pitching line'],
    ['hit_k_rate_delta', row({ is_pitcher: 0 }), 'No previous season to compare his K% with'],
    ['hit_obp', hitter, 'OBP: .380'],
    ['hit_career_pa', hitter, '1,204 plate appearances in his career'],
  ])('describes %s as expected', (name, values, expected) => {
    expect(describeFeature(name, values)).toBe(expected);
  });
});

describe('formatNarrativePoints', () => {
  it.each([
    [8.04, '+8 points'],
    [-5.3, '\u22125 points'],
    [1.02, '+1 point'],
    [0.42, '+0.4 points'],
    [-0.04, 'about 0 points'],
    [0.96, '+1 point'],
  ])('formats %d as %s', (points, text) => {
    expect(formatNarrativePoints(points)).toBe(text);
  });
});
