// The hitting and pitching columns of a player's minor-league lines of his group: as-of season rates from summed
// counts, pitcher workload, career playing time, and K%/BB%/ISO (hitters) or K%/BB%/HR% (pitchers) vs level and league.
import type { HittingCounts, PitchingCounts, SeasonLine } from '../lib/domain.ts';
import type { SetFeature } from './feature-catalog.ts';
import { addHitting, addPitching, emptyHitting, emptyPitching, isoOf, ratio, type LevelNorms } from './level-norms.ts';
import type { LeagueNorms } from './league-norms.ts';
import type { MinorCalendar } from './career.ts';
import { rateColumns, recencyWeighted, type RateColumns, type RateSpec } from './rate-adjust.ts';

export type HittingLine = Extract<SeasonLine, { group: 'hitting' }>;
export type PitchingLine = Extract<SeasonLine, { group: 'pitching' }>;

const HIT_RATES: readonly RateColumns<HittingCounts>[] = [
  {
    columns: ['hit_k_rate_rel', 'hit_k_rate_w3', 'hit_k_rate_delta', 'hit_k_rate_rel_league'],
    num: (s) => s.strikeOuts,
    den: (s) => s.plateAppearances,
    mean: (n) => n.kRate,
  },
  {
    columns: ['hit_bb_rate_rel', 'hit_bb_rate_w3', 'hit_bb_rate_delta', 'hit_bb_rate_rel_league'],
    num: (s) => s.baseOnBalls,
    den: (s) => s.plateAppearances,
    mean: (n) => n.bbRate,
  },
  {
    columns: ['hit_iso_rel', 'hit_iso_w3', 'hit_iso_delta', 'hit_iso_rel_league'],
    num: (s) => s.doubles + 2 * s.triples + 3 * s.homeRuns,
    den: (s) => s.atBats,
    mean: (n) => n.iso,
  },
];

const PIT_RATES: readonly RateColumns<PitchingCounts>[] = [
  {
    columns: ['pit_k_rate_rel', 'pit_k_rate_w3', 'pit_k_rate_delta', 'pit_k_rate_rel_league'],
    num: (s) => s.strikeOuts,
    den: (s) => s.battersFaced,
    mean: (n) => n.kRate,
  },
  {
    columns: ['pit_bb_rate_rel', 'pit_bb_rate_w3', 'pit_bb_rate_delta', 'pit_bb_rate_rel_league'],
    num: (s) => s.baseOnBalls,
    den: (s) => s.battersFaced,
    mean: (n) => n.bbRate,
  },
  {
    columns: ['pit_hr_rate_rel', 'pit_hr_rate_w3', 'pit_hr_rate_delta', 'pit_hr_rate_rel_league'],
    num: (s) => s.homeRuns,
    den: (s) => s.battersFaced,
    mean: (n) => n.hrRate,
  },
];

const PIT_K_BB: RateSpec<PitchingCounts> = {
  num: (s) => s.strikeOuts - s.baseOnBalls,
  den: (s) => s.battersFaced,
  mean: (n) => n.kRate - n.bbRate,
};

export function hittingColumns(
  set: SetFeature,
  lines: HittingLine[],
  norms: LevelNorms,
  leagues: LeagueNorms,
  calendar: MinorCalendar,
): void {
  const { asOf } = calendar;
  const h = emptyHitting();
  let careerPa = 0;
  for (const l of lines) {
    careerPa += l.stats.plateAppearances;
    if (l.season === asOf) addHitting(h, l.stats);
  }
  const singles = h.hits - h.doubles - h.triples - h.homeRuns;
  const totalBases = singles + 2 * h.doubles + 3 * h.triples + 4 * h.homeRuns;
  const unintentionalBb = h.baseOnBalls - h.intentionalWalks;
  set('hit_pa', h.plateAppearances);
  set('hit_k_rate', ratio(h.strikeOuts, h.plateAppearances));
  set('hit_bb_rate', ratio(h.baseOnBalls, h.plateAppearances));
  set('hit_iso', isoOf(h));
  set('hit_avg', ratio(h.hits, h.atBats));
  set('hit_babip', ratio(h.hits - h.homeRuns, h.atBats - h.strikeOuts - h.homeRuns + h.sacFlies));
  set('hit_obp', ratio(h.hits + h.baseOnBalls + h.hitByPitch, h.atBats + h.baseOnBalls + h.hitByPitch + h.sacFlies));
  set('hit_slg', ratio(totalBases, h.atBats));
  set('hit_sb_rate', ratio(h.stolenBases, singles + h.baseOnBalls + h.hitByPitch));
  const wobaEvents =
    0.69 * unintentionalBb +
    0.72 * h.hitByPitch +
    0.89 * singles +
    1.27 * h.doubles +
    1.62 * h.triples +
    2.1 * h.homeRuns;
  set('hit_woba', ratio(wobaEvents, h.atBats + unintentionalBb + h.sacFlies + h.hitByPitch));
  set('hit_career_pa', careerPa);
  rateColumns(set, lines, norms, leagues, calendar, HIT_RATES);
}

export function pitchingColumns(
  set: SetFeature,
  lines: PitchingLine[],
  norms: LevelNorms,
  leagues: LeagueNorms,
  calendar: MinorCalendar,
): void {
  const { asOf } = calendar;
  const p = emptyPitching();
  let careerBf = 0;
  for (const l of lines) {
    careerBf += l.stats.battersFaced;
    if (l.season === asOf) addPitching(p, l.stats);
  }
  set('pit_ip', p.outs / 3);
  set('pit_bf', p.battersFaced);
  set('pit_k_rate', ratio(p.strikeOuts, p.battersFaced));
  set('pit_bb_rate', ratio(p.baseOnBalls, p.battersFaced));
  set('pit_k_bb_rate', ratio(p.strikeOuts - p.baseOnBalls, p.battersFaced));
  set('pit_hr_rate', ratio(p.homeRuns, p.battersFaced));
  set('pit_gs_share', ratio(p.gamesStarted, p.games));
  set('pit_ip_per_app', ratio(p.outs / 3, p.games));
  set('pit_bf_per_game', ratio(p.battersFaced, p.games));
  set('pit_k_bb_w3', recencyWeighted(lines, norms, calendar, PIT_K_BB));
  set('pit_career_bf', careerBf);
  rateColumns(set, lines, norms, leagues, calendar, PIT_RATES);
}
