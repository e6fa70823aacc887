/**
 * The feature catalog: every model feature's name, label, definition, unit and source, in matrix column order.
 * Code, docs and the Arrow schema all derive the feature order from this one array.
 */

export type FeatureSource =
  'bio' | 'draft' | 'season lines' | 'season lines + level norms' | 'season lines + league norms' | 'scouting grades';

export interface FeatureSpec {
  name: string;
  label: string;
  definition: string;
  unit: string;
  source: FeatureSource;
}

const PA = 'share of plate appearances (0-1)';
const BF = 'share of batters faced (0-1)';
const REL = 'difference of shares (-1 to 1)';
const CUR = 'in the as-of season, summed over its minor-league lines';
const GRADE = 'grade above average, in 10-point steps of the 20-80 scale: (grade - 50) / 10';
const LATEST = 'from the latest list of that source dated in or before the as-of season';
const LEAGUE =
  "mean of qualified players of his group in the league of the line's team (its level's mean when the team's league is unknown, as in the sample universe)";
const W3 =
  'Level-adjusted over the as-of season and the two minor-league seasons before it (2020 had none), weighted 3/2/1 by recency and by playing time: ' +
  'sum of w*(events - denominator*level mean) / sum of w*denominator';

export const FEATURE_CATALOG = [
  // Career shape and level: shared by hitters and pitchers.
  { name: 'age', label: 'Age', definition: 'Age on July 1 of the as-of season', unit: 'years', source: 'bio' },
  {
    name: 'age_rel_level',
    label: 'Age vs level',
    definition:
      'Age minus the mean age of players of his group at his current level (highest level of the as-of season); negative = young for the level',
    unit: 'years',
    source: 'season lines + level norms',
  },
  {
    name: 'age_rel_league',
    label: 'Age vs league',
    definition:
      "Age minus the mean age of players of his group in the league of his team at his current level (the team with most of his playing time there); the level's mean when that league is unknown",
    unit: 'years',
    source: 'season lines + league norms',
  },
  {
    name: 'level_ordinal',
    label: 'Level',
    definition:
      'Ordinal of the highest minor-league level played in the as-of season (ROK 1, ROK+ 2, A- 3, A 4, A+ 5, AA 6, AAA 7)',
    unit: 'ordinal',
    source: 'season lines',
  },
  {
    name: 'levels_played',
    label: 'Levels played',
    definition: 'Distinct minor-league levels played in the as-of season',
    unit: 'count',
    source: 'season lines',
  },
  {
    name: 'in_season_climb',
    label: 'Promoted in season',
    definition: 'Highest minus lowest minor-league level ordinal of the as-of season (0 = one level all season)',
    unit: 'levels',
    source: 'season lines',
  },
  {
    name: 'share_at_level',
    label: 'Time at top level',
    definition:
      "Share of the as-of season's plate appearances (pitchers: batters faced) at his highest level of that season",
    unit: 'share (0-1)',
    source: 'season lines',
  },
  {
    name: 'level_climb',
    label: 'Levels climbed',
    definition:
      'Current level ordinal minus the highest level ordinal of the previous season with minor-league play (2019 for 2021); missing without a line that season',
    unit: 'levels',
    source: 'season lines',
  },
  {
    name: 'seasons_pro',
    label: 'Pro seasons',
    definition: 'As-of season minus the first season with any professional line, plus one',
    unit: 'seasons',
    source: 'season lines',
  },
  {
    name: 'left_censored',
    label: 'Career began before the data',
    definition:
      '1 if his first minor-league line is in the first season the data cover (he may have played before it), or he has a major-league line before his first minor-league line; then Pro seasons is a lower bound and Age at pro debut is missing. Else 0',
    unit: 'flag',
    source: 'season lines',
  },
  {
    name: 'prior_season_gap',
    label: 'Seasons without minor leagues',
    definition:
      'Seasons between the previous season with minor-league play and the as-of season (1 for 2021: no minor leagues in 2020, so 2021 looks back on 2019); missing when the data hold no earlier minor-league season',
    unit: 'seasons',
    source: 'season lines',
  },
  {
    name: 'seasons_since_last_line',
    label: 'Seasons since last line',
    definition:
      'As-of season minus his latest earlier season with a minor-league line of his group (1 = played last season; 2 = missed one, or 2021 after 2019); missing if none',
    unit: 'seasons',
    source: 'season lines',
  },
  {
    name: 'seasons_at_level',
    label: 'Seasons at level',
    definition: 'Seasons up to the as-of season with a line at the current level',
    unit: 'seasons',
    source: 'season lines',
  },
  {
    name: 'age_first_pro',
    label: 'Age at pro debut',
    definition:
      'Age on July 1 of the first season with any professional line; missing when his career began before the data (left-censored)',
    unit: 'years',
    source: 'season lines',
  },
  {
    name: 'is_pitcher',
    label: 'Pitcher',
    definition: '1 if classified as a pitcher (more batters faced than plate appearances in the as-of season), else 0',
    unit: 'flag',
    source: 'season lines',
  },
  {
    name: 'mlb_ab_to_date',
    label: 'MLB at-bats',
    definition: 'Career MLB at-bats through the as-of season (at most 130 for a prospect)',
    unit: 'at-bats',
    source: 'season lines',
  },
  {
    name: 'mlb_outs_to_date',
    label: 'MLB outs',
    definition: 'Career MLB outs recorded through the as-of season (at most 150 for a prospect)',
    unit: 'outs',
    source: 'season lines',
  },
  // Draft: the strongest single predictor.
  {
    name: 'draft_round',
    label: 'Draft round',
    definition:
      'Round of the latest draft selection up to the as-of season; supplemental and competitive-balance rounds count as half rounds (1C = 1.5); missing if undrafted or unknown',
    unit: 'round',
    source: 'draft',
  },
  {
    name: 'draft_pick',
    label: 'Overall pick',
    definition: 'Overall pick number of that selection; missing if undrafted',
    unit: 'pick',
    source: 'draft',
  },
  {
    name: 'draft_age',
    label: 'Age at draft',
    definition: 'Age on July 1 of the draft year; missing if undrafted',
    unit: 'years',
    source: 'draft',
  },
  {
    name: 'undrafted',
    label: 'Undrafted',
    definition:
      '1 if no draft selection is known up to the as-of season (international or undrafted free agent), else 0',
    unit: 'flag',
    source: 'draft',
  },
  // Bio.
  {
    name: 'bats_left',
    label: 'Bats left',
    definition: '1 if he bats left-handed, else 0; missing if unknown',
    unit: 'flag',
    source: 'bio',
  },
  {
    name: 'bats_switch',
    label: 'Switch hitter',
    definition: '1 if he is a switch hitter, else 0; missing if unknown',
    unit: 'flag',
    source: 'bio',
  },
  {
    name: 'throws_left',
    label: 'Throws left',
    definition: '1 if he throws left-handed, else 0; missing if unknown',
    unit: 'flag',
    source: 'bio',
  },
  {
    name: 'pos_c',
    label: 'Catcher',
    definition: '1 if his primary position is catcher; missing if unknown',
    unit: 'flag',
    source: 'bio',
  },
  {
    name: 'pos_if',
    label: 'Infielder',
    definition: '1 if his primary position is 1B, 2B, 3B or SS; missing if unknown',
    unit: 'flag',
    source: 'bio',
  },
  {
    name: 'pos_of',
    label: 'Outfielder',
    definition: '1 if his primary position is LF, CF, RF or OF; missing if unknown',
    unit: 'flag',
    source: 'bio',
  },
  {
    name: 'pos_p',
    label: 'Pitcher by position',
    definition: '1 if his primary position is pitcher or two-way; missing if unknown',
    unit: 'flag',
    source: 'bio',
  },
  // Hitting: missing for pitchers.
  {
    name: 'hit_pa',
    label: 'PA',
    definition: `Plate appearances ${CUR}`,
    unit: 'plate appearances',
    source: 'season lines',
  },
  { name: 'hit_k_rate', label: 'K%', definition: `Strikeouts / PA ${CUR}`, unit: PA, source: 'season lines' },
  { name: 'hit_bb_rate', label: 'BB%', definition: `Walks / PA ${CUR}`, unit: PA, source: 'season lines' },
  {
    name: 'hit_iso',
    label: 'ISO',
    definition: `(2B + 2*3B + 3*HR) / AB ${CUR}`,
    unit: 'extra bases per at-bat',
    source: 'season lines',
  },
  { name: 'hit_avg', label: 'AVG', definition: `H / AB ${CUR}`, unit: 'hits per at-bat', source: 'season lines' },
  {
    name: 'hit_babip',
    label: 'BABIP',
    definition: `(H - HR) / (AB - SO - HR + SF) ${CUR}`,
    unit: 'hits per ball in play',
    source: 'season lines',
  },
  {
    name: 'hit_obp',
    label: 'OBP',
    definition: `(H + BB + HBP) / (AB + BB + HBP + SF) ${CUR}`,
    unit: 'times on base per PA',
    source: 'season lines',
  },
  {
    name: 'hit_slg',
    label: 'SLG',
    definition: `Total bases / AB ${CUR}`,
    unit: 'bases per at-bat',
    source: 'season lines',
  },
  {
    name: 'hit_sb_rate',
    label: 'SB rate',
    definition: `Stolen bases / (singles + BB + HBP), i.e. steals per time on first ${CUR}`,
    unit: 'steals per opportunity',
    source: 'season lines',
  },
  {
    name: 'hit_woba',
    label: 'wOBA',
    definition: `wOBA with fixed weights (0.69 uBB, 0.72 HBP, 0.89 1B, 1.27 2B, 1.62 3B, 2.10 HR) / (AB + BB - IBB + SF + HBP) ${CUR}`,
    unit: 'weighted on-base average',
    source: 'season lines',
  },
  {
    name: 'hit_k_rate_rel',
    label: 'K% vs level',
    definition: 'K% minus the PA-weighted mean K% of the levels he played in the as-of season',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'hit_bb_rate_rel',
    label: 'BB% vs level',
    definition: 'BB% minus the PA-weighted mean BB% of the levels he played in the as-of season',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'hit_iso_rel',
    label: 'ISO vs level',
    definition: 'ISO minus the AB-weighted mean ISO of the levels he played in the as-of season',
    unit: 'extra bases per at-bat',
    source: 'season lines + level norms',
  },
  {
    name: 'hit_k_rate_rel_league',
    label: 'K% vs league',
    definition: `K% of the as-of season minus the PA-weighted ${LEAGUE}, regressed like K% vs level`,
    unit: REL,
    source: 'season lines + league norms',
  },
  {
    name: 'hit_bb_rate_rel_league',
    label: 'BB% vs league',
    definition: `BB% of the as-of season minus the PA-weighted ${LEAGUE}, regressed like BB% vs level`,
    unit: REL,
    source: 'season lines + league norms',
  },
  {
    name: 'hit_iso_rel_league',
    label: 'ISO vs league',
    definition: `ISO of the as-of season minus the AB-weighted ${LEAGUE}, regressed like ISO vs level`,
    unit: 'extra bases per at-bat',
    source: 'season lines + league norms',
  },
  {
    name: 'hit_k_rate_w3',
    label: 'K% vs level, 3 seasons',
    definition: `K% vs level. ${W3}`,
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'hit_bb_rate_w3',
    label: 'BB% vs level, 3 seasons',
    definition: `BB% vs level. ${W3}`,
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'hit_iso_w3',
    label: 'ISO vs level, 3 seasons',
    definition: `ISO vs level. ${W3}`,
    unit: 'extra bases per at-bat',
    source: 'season lines + level norms',
  },
  {
    name: 'hit_k_rate_delta',
    label: 'K% vs level, change',
    definition:
      'K% vs level in the as-of season minus the same in the previous season with minor-league play (2019 for 2021)',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'hit_bb_rate_delta',
    label: 'BB% vs level, change',
    definition:
      'BB% vs level in the as-of season minus the same in the previous season with minor-league play (2019 for 2021)',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'hit_iso_delta',
    label: 'ISO vs level, change',
    definition:
      'ISO vs level in the as-of season minus the same in the previous season with minor-league play (2019 for 2021)',
    unit: 'extra bases per at-bat',
    source: 'season lines + level norms',
  },
  {
    name: 'hit_career_pa',
    label: 'Career PA',
    definition: 'Minor-league plate appearances through the as-of season',
    unit: 'plate appearances',
    source: 'season lines',
  },
  // Pitching: missing for hitters.
  {
    name: 'pit_ip',
    label: 'IP',
    definition: `Innings pitched (outs / 3) ${CUR}`,
    unit: 'innings',
    source: 'season lines',
  },
  {
    name: 'pit_bf',
    label: 'Batters faced',
    definition: `Batters faced ${CUR}`,
    unit: 'batters',
    source: 'season lines',
  },
  {
    name: 'pit_k_rate',
    label: 'K%',
    definition: `Strikeouts / batters faced ${CUR}`,
    unit: BF,
    source: 'season lines',
  },
  { name: 'pit_bb_rate', label: 'BB%', definition: `Walks / batters faced ${CUR}`, unit: BF, source: 'season lines' },
  {
    name: 'pit_k_bb_rate',
    label: 'K-BB%',
    definition: `(Strikeouts - walks) / batters faced ${CUR}`,
    unit: BF,
    source: 'season lines',
  },
  {
    name: 'pit_hr_rate',
    label: 'HR%',
    definition: `Home runs / batters faced ${CUR}`,
    unit: BF,
    source: 'season lines',
  },
  {
    name: 'pit_gs_share',
    label: 'Starter share',
    definition: `Games started / games ${CUR}`,
    unit: 'share of games (0-1)',
    source: 'season lines',
  },
  {
    name: 'pit_ip_per_app',
    label: 'IP per appearance',
    definition: `Innings / games ${CUR}`,
    unit: 'innings',
    source: 'season lines',
  },
  {
    name: 'pit_bf_per_game',
    label: 'Batters faced per game',
    definition: `Batters faced / games ${CUR}: workload per appearance (a starter faces about 20-25)`,
    unit: 'batters',
    source: 'season lines',
  },
  {
    name: 'pit_k_bb_w3',
    label: 'K-BB% vs level, 3 seasons',
    definition: `(Strikeouts - walks) per batter faced vs level. ${W3}`,
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_k_rate_rel',
    label: 'K% vs level',
    definition: 'K% minus the BF-weighted mean K% of the levels he pitched at in the as-of season',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_bb_rate_rel',
    label: 'BB% vs level',
    definition: 'BB% minus the BF-weighted mean BB% of the levels he pitched at in the as-of season',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_hr_rate_rel',
    label: 'HR% vs level',
    definition: 'HR% minus the BF-weighted mean HR% of the levels he pitched at in the as-of season',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_k_rate_rel_league',
    label: 'K% vs league',
    definition: `K% of the as-of season minus the BF-weighted ${LEAGUE}, regressed like K% vs level`,
    unit: REL,
    source: 'season lines + league norms',
  },
  {
    name: 'pit_bb_rate_rel_league',
    label: 'BB% vs league',
    definition: `BB% of the as-of season minus the BF-weighted ${LEAGUE}, regressed like BB% vs level`,
    unit: REL,
    source: 'season lines + league norms',
  },
  {
    name: 'pit_hr_rate_rel_league',
    label: 'HR% vs league',
    definition: `HR% of the as-of season minus the BF-weighted ${LEAGUE}, regressed like HR% vs level`,
    unit: REL,
    source: 'season lines + league norms',
  },
  {
    name: 'pit_k_rate_w3',
    label: 'K% vs level, 3 seasons',
    definition: `K% vs level. ${W3}`,
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_bb_rate_w3',
    label: 'BB% vs level, 3 seasons',
    definition: `BB% vs level. ${W3}`,
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_hr_rate_w3',
    label: 'HR% vs level, 3 seasons',
    definition: `HR% vs level. ${W3}`,
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_k_rate_delta',
    label: 'K% vs level, change',
    definition:
      'K% vs level in the as-of season minus the same in the previous season with minor-league play (2019 for 2021)',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_bb_rate_delta',
    label: 'BB% vs level, change',
    definition:
      'BB% vs level in the as-of season minus the same in the previous season with minor-league play (2019 for 2021)',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_hr_rate_delta',
    label: 'HR% vs level, change',
    definition:
      'HR% vs level in the as-of season minus the same in the previous season with minor-league play (2019 for 2021)',
    unit: REL,
    source: 'season lines + level norms',
  },
  {
    name: 'pit_career_bf',
    label: 'Career batters faced',
    definition: 'Minor-league batters faced through the as-of season',
    unit: 'batters',
    source: 'season lines',
  },
  // Scouting grades: missing when no list of that source covers him up to the as-of season.
  {
    name: 'fg_fv',
    label: 'FanGraphs FV',
    definition: `FanGraphs Future Value (20-80) as (FV - 50) / 10, ${LATEST}`,
    unit: GRADE,
    source: 'scouting grades',
  },
  {
    name: 'fg_hit_future',
    label: 'FanGraphs bat',
    definition: `Mean of the future Hit and Game Power grades as (grade - 50) / 10, ${LATEST}; missing for pitchers`,
    unit: GRADE,
    source: 'scouting grades',
  },
  {
    name: 'fg_pitch_future',
    label: 'FanGraphs arsenal',
    definition: `Mean of the future pitch grades (FB, SL, CB, CH, cutter, splitter) and Command as (grade - 50) / 10, ${LATEST}; missing for hitters`,
    unit: GRADE,
    source: 'scouting grades',
  },
  {
    name: 'ba_top100_rank',
    label: 'BA Top 100 rank',
    definition: `Baseball America overall rank (1 = best), ${LATEST}`,
    unit: 'rank',
    source: 'scouting grades',
  },
  {
    name: 'fg_grade_age',
    label: 'FanGraphs grade age',
    definition: 'As-of season minus the season of the FanGraphs list used above',
    unit: 'seasons',
    source: 'scouting grades',
  },
] as const satisfies readonly FeatureSpec[];

export type FeatureName = (typeof FEATURE_CATALOG)[number]['name'];

/** Writes one feature's value into a row being computed. */
export type SetFeature = (name: FeatureName, x: number) => void;

/** Matrix column order. */
export const FEATURE_NAMES: readonly FeatureName[] = FEATURE_CATALOG.map((f) => f.name);

/** Column index of each feature. */
export const FEATURE_INDEX = Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, i])) as Record<
  FeatureName,
  number
>;

export const FEATURE_COUNT = FEATURE_NAMES.length;
