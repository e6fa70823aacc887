/**
 * Plain-English lines for the top SHAP factors of a prediction: "Young for Double-A, 2.1 years under the level's
 * average: +8 points". Points are probability points, converted from log-odds exactly as the site's
 * explainFactors (site/format.ts) does, so the narrative and the factor bars always agree.
 */
import { MINOR_LEVELS } from '../lib/domain.ts';
import { FEATURE_CATALOG, FEATURE_INDEX, type FeatureName } from './feature-catalog.ts';

type Row = ArrayLike<number>;

const LEVEL_NAMES: Record<string, string> = {
  ROK: 'Rookie ball',
  'ROK+': 'Rookie Advanced',
  'A-': 'Short-Season A',
  A: 'Single-A',
  'A+': 'High-A',
  AA: 'Double-A',
  AAA: 'Triple-A',
};
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

const get = (row: Row, name: FeatureName): number => row[FEATURE_INDEX[name]] ?? Number.NaN;
const known = (x: number): boolean => Number.isFinite(x);
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const count = (x: number): string => Math.round(x).toLocaleString('en-US');

/** A share (0.31) as percentage-point text: "31" at 10 and over, else one decimal without a trailing ".0". */
function pct(share: number): string {
  const p = Math.abs(share * 100);
  return p >= 9.95 ? p.toFixed(0) : String(Number(p.toFixed(1)));
}

/** A per-at-bat rate the baseball way: .215, -.040. */
function baseball(x: number, digits = 3): string {
  const text = Math.abs(x).toFixed(digits);
  return (x < 0 ? '-' : '') + (text.startsWith('0.') ? text.slice(1) : text);
}

function levelName(ordinal: number): string | undefined {
  const level = MINOR_LEVELS[ordinal - 1];
  return level === undefined ? undefined : LEVEL_NAMES[level];
}

const possessive = (what: string): string => (what.endsWith('s') ? `${what}'` : `${what}'s`);

/** "9 points above the level" from a difference of shares. */
function versus(rel: number, what = 'the level'): string {
  if (Math.abs(rel) < 0.005) return `about ${possessive(what)} average`;
  return `${pct(rel)} ${Number(pct(rel)) === 1 ? 'point' : 'points'} ${rel > 0 ? 'above' : 'below'} ${what}`;
}

/** Same, for ISO-style rates: ".040 above the level". */
function versusRate(rel: number, what = 'the level'): string {
  return Math.abs(rel) < 0.0005
    ? `about ${possessive(what)} average`
    : `${baseball(Math.abs(rel))} ${rel > 0 ? 'above' : 'below'} ${what}`;
}

/** "Strikes out 31% of the time, 9 points above the level", or "Strikeout rate 9 points ..." without the raw rate. */
function relative(
  row: Row,
  raw: FeatureName,
  rel: number,
  withRaw: (x: number) => string,
  without: string,
  rate = false,
): string {
  const against = rate ? versusRate(rel) : versus(rel);
  const x = get(row, raw);
  return known(x) ? `${withRaw(x)}, ${against}` : `${without} ${against}`;
}

/** A (grade - 50) / 10 feature back on the 20-80 scale. */
function grade(v: number): string {
  return String(Math.round(50 + 10 * v));
}

function ordinalNumber(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Season-over-season change of a rate against the level; `rate` = ISO-style (.049), else share points. */
function change(rel: number, what: string, rate = false): string {
  if (Math.abs(rel) < (rate ? 0.0005 : 0.005)) return `${capital(what)} against the level unchanged from last season`;
  const size = rate ? baseball(Math.abs(rel)) : `${pct(rel)} points`;
  return `${capital(what)} against the level ${rel > 0 ? 'up' : 'down'} ${size} from last season`;
}

function draftText(row: Row): string {
  const round = get(row, 'draft_round');
  const pick = get(row, 'draft_pick');
  if (!known(round) && !known(pick))
    return get(row, 'undrafted') === 1 ? 'Not drafted (international or undrafted free agent)' : 'No draft record';
  const roundText = !known(round)
    ? 'Drafted'
    : Number.isInteger(round)
      ? `Drafted in round ${round}`
      : `Drafted in the supplemental round after round ${Math.floor(round)}`;
  return known(pick) ? `${roundText} (pick ${pick})` : roundText;
}

type Template = (value: number, row: Row) => string;

/** Hand-written sentences for the features that most often lead a prediction; called with a known value only. */
const TEMPLATES: Partial<Record<FeatureName, Template>> = {
  age: (v) => `${v.toFixed(1)} years old this season`,
  age_rel_level: (v, row) => {
    const level = levelName(get(row, 'level_ordinal')) ?? 'his level';
    if (Math.abs(v) < 0.05) return `The usual age for ${level}`;
    return v < 0
      ? `Young for ${level}, ${Math.abs(v).toFixed(1)} years under the level's average`
      : `Old for ${level}, ${v.toFixed(1)} years over the level's average`;
  },
  level_ordinal: (v) => `Highest level this season: ${levelName(v) ?? `level ${v}`}`,
  levels_played: (v) => (v > 1 ? `Played at ${v} levels this season` : 'Played at one level this season'),
  level_climb: (v) =>
    v > 0
      ? `Climbed ${v === 1 ? 'a level' : `${v} levels`} since last season`
      : v < 0
        ? `Dropped ${v === -1 ? 'a level' : `${-v} levels`} since last season`
        : 'Same level as last season',
  seasons_pro: (v) => `${capital(ORDINALS[v - 1] ?? `${v}th`)} pro season`,
  seasons_at_level: (v, row) =>
    `${capital(ORDINALS[v - 1] ?? `${v}th`)} season at ${levelName(get(row, 'level_ordinal')) ?? 'his level'}`,
  age_first_pro: (v) => `Turned pro at ${v.toFixed(1)}`,
  is_pitcher: (v) => (v === 1 ? 'A pitcher' : 'A position player'),
  mlb_ab_to_date: (v) => (v > 0 ? `Already has ${plural(v, 'MLB at-bat')}` : 'No MLB at-bats yet'),
  mlb_outs_to_date: (v) => (v > 0 ? `Already has ${Math.floor(v / 3)}.${v % 3} MLB innings` : 'No MLB innings yet'),
  draft_round: (_v, row) => draftText(row),
  draft_pick: (v) => `Drafted ${ordinalNumber(v)} overall`,
  draft_age: (v) => `Drafted at ${v.toFixed(1)}`,
  undrafted: (v, row) => (v === 1 ? 'Not drafted (international or undrafted free agent)' : draftText(row)),
  bats_left: (v) => (v === 1 ? 'Bats left-handed' : 'Does not bat left-handed'),
  bats_switch: (v) => (v === 1 ? 'A switch hitter' : 'Not a switch hitter'),
  throws_left: (v) => (v === 1 ? 'Throws left-handed' : 'Throws right-handed'),
  pos_c: (v) => (v === 1 ? 'A catcher' : 'Not a catcher'),
  pos_if: (v) => (v === 1 ? 'An infielder' : 'Not an infielder'),
  pos_of: (v) => (v === 1 ? 'An outfielder' : 'Not an outfielder'),
  pos_p: (v) => (v === 1 ? 'Listed as a pitcher' : 'Listed as a position player'),
  hit_pa: (v) => `${count(v)} plate appearances this season`,
  hit_career_pa: (v) => `${count(v)} plate appearances in his career`,
  hit_k_rate: (v) => `Strikes out ${pct(v)}% of the time`,
  hit_k_rate_rel: (v, row) =>
    relative(row, 'hit_k_rate', v, (x) => `Strikes out ${pct(x)}% of the time`, 'Strikeout rate'),
  hit_k_rate_w3: (v) => `Strikeout rate over three seasons ${versus(v, 'his levels')}`,
  hit_k_rate_delta: (v) => change(v, 'strikeout rate'),
  hit_bb_rate: (v) => `Walks ${pct(v)}% of the time`,
  hit_bb_rate_rel: (v, row) => relative(row, 'hit_bb_rate', v, (x) => `Walks ${pct(x)}% of the time`, 'Walk rate'),
  hit_bb_rate_w3: (v) => `Walk rate over three seasons ${versus(v, 'his levels')}`,
  hit_bb_rate_delta: (v) => change(v, 'walk rate'),
  hit_iso: (v) => `Isolated power of ${baseball(v)}`,
  hit_iso_rel: (v, row) =>
    relative(row, 'hit_iso', v, (x) => `Isolated power of ${baseball(x)}`, 'Isolated power', true),
  hit_iso_w3: (v) => `Isolated power over three seasons ${versusRate(v, 'his levels')}`,
  hit_iso_delta: (v) => change(v, 'isolated power', true),
  hit_sb_rate: (v) => `Steals on ${pct(v)}% of his times on first`,
  pit_ip: (v) => `${v.toFixed(1)} innings this season`,
  pit_bf: (v) => `Faced ${count(v)} batters this season`,
  pit_career_bf: (v) => `Faced ${count(v)} batters in his career`,
  pit_k_rate: (v) => `Strikes out ${pct(v)}% of batters`,
  pit_k_rate_rel: (v, row) =>
    relative(row, 'pit_k_rate', v, (x) => `Strikes out ${pct(x)}% of batters`, 'Strikeout rate'),
  pit_k_rate_w3: (v) => `Strikeout rate over three seasons ${versus(v, 'his levels')}`,
  pit_k_rate_delta: (v) => change(v, 'strikeout rate'),
  pit_bb_rate: (v) => `Walks ${pct(v)}% of batters`,
  pit_bb_rate_rel: (v, row) => relative(row, 'pit_bb_rate', v, (x) => `Walks ${pct(x)}% of batters`, 'Walk rate'),
  pit_bb_rate_w3: (v) => `Walk rate over three seasons ${versus(v, 'his levels')}`,
  pit_bb_rate_delta: (v) => change(v, 'walk rate'),
  pit_k_bb_rate: (v) => `Strikeouts minus walks: ${v < 0 ? '-' : ''}${pct(v)}% of batters`,
  pit_hr_rate: (v) => `Allows a home run to ${pct(v)}% of batters`,
  pit_hr_rate_rel: (v, row) =>
    relative(row, 'pit_hr_rate', v, (x) => `Allows a home run to ${pct(x)}% of batters`, 'Home-run rate'),
  pit_gs_share: (v) =>
    v <= 0
      ? 'Pitched only in relief'
      : v >= 0.995
        ? 'Started every game he pitched'
        : `Started ${pct(v)}% of his games`,
  pit_hr_rate_w3: (v) => `Home-run rate over three seasons ${versus(v, 'his levels')}`,
  pit_hr_rate_delta: (v) => change(v, 'home-run rate'),
  pit_ip_per_app: (v) => `${v.toFixed(1)} innings per appearance`,
  fg_fv: (v) => `FanGraphs Future Value of ${grade(v)}`,
  fg_hit_future: (v) => `FanGraphs future hit and game-power grades average ${grade(v)}`,
  fg_pitch_future: (v) => `FanGraphs future pitch and command grades average ${grade(v)}`,
  ba_top100_rank: (v) => `Ranked ${ordinalNumber(v)} on Baseball America's list`,
  fg_grade_age: (v) =>
    v === 0 ? 'FanGraphs grades from this season' : `FanGraphs grades from ${plural(v, 'season')} ago`,
};

const BIRTH = 'No birth date on record';
/** Wording when a hand-templated feature is missing (NaN). */
const MISSING: Partial<Record<FeatureName, string>> = {
  age: BIRTH,
  age_rel_level: `${BIRTH}, so his age against the level is unknown`,
  age_first_pro: BIRTH,
  level_ordinal: 'No minor-league level this season',
  level_climb: 'No previous season to measure a climb',
  bats_left: 'Batting side unknown',
  bats_switch: 'Batting side unknown',
  throws_left: 'Throwing hand unknown',
  pos_c: 'Position unknown',
  pos_if: 'Position unknown',
  pos_of: 'Position unknown',
  pos_p: 'Position unknown',
  fg_fv: 'No FanGraphs grade',
  fg_hit_future: 'No FanGraphs hitting tool grades',
  fg_pitch_future: 'No FanGraphs pitching tool grades',
  ba_top100_rank: 'Not on a Baseball America list',
  fg_grade_age: 'No FanGraphs grade',
};

const SPEC = new Map<string, (typeof FEATURE_CATALOG)[number]>(FEATURE_CATALOG.map((f) => [f.name, f]));

/** Catalog-driven sentence for features without a template, by unit. */
function generic(name: FeatureName, v: number): string {
  const { label, unit } = SPEC.get(name)!;
  if (unit === 'flag') return `${label}: ${v === 1 ? 'yes' : 'no'}`;
  if (unit.startsWith('share of')) return `${label}: ${pct(v)}%`;
  if (unit.startsWith('difference of shares')) return `${label}: ${v < 0 ? '-' : '+'}${pct(v)} points`;
  if (/per (at-bat|ball in play|PA|opportunity)|on-base average/.test(unit)) return `${label}: ${baseball(v)}`;
  if (unit === 'years' || unit === 'innings') return `${label}: ${v.toFixed(1)} ${unit}`;
  return `${label}: ${Number.isInteger(v) ? count(v) : String(Number(v.toFixed(2)))} ${unit}`;
}

/** The sentence for one feature of one row (FEATURE_CATALOG order), without the points. */
export function describeFeature(name: FeatureName, row: Row): string {
  const v = get(row, name);
  if (!known(v)) {
    if (name === 'draft_round' || name === 'draft_pick') return draftText(row);
    if (name === 'draft_age')
      return known(get(row, 'draft_round')) || known(get(row, 'draft_pick'))
        ? 'Age at draft unknown (no birth date)'
        : draftText(row);
    const pitcher = get(row, 'is_pitcher') === 1;
    if (name.startsWith('hit_') && pitcher) return 'A pitcher, so no hitting line';
    if (name.startsWith('pit_') && !pitcher) return 'A position player, so no pitching line';
    if (name.endsWith('_delta'))
      return `No previous season to compare his ${SPEC.get(name)!.label.split(' vs')[0]} with`;
    return MISSING[name] ?? `${SPEC.get(name)!.label}: missing`;
  }
  return (TEMPLATES[name] ?? ((x: number) => generic(name, x)))(v, row);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Log-odds contributions to probability points, the site's way: each is scaled by the average slope of the
 * logistic curve between the base value and the prediction, so all of them add up to the probability gap.
 */
export function probabilityPoints(contributions: ArrayLike<number>, baseValue: number, probability: number): number[] {
  const p = Math.min(Math.max(probability, 1e-6), 1 - 1e-6);
  const gap = Math.log(p / (1 - p)) - baseValue;
  const slope = Math.abs(gap) < 1e-9 ? p * (1 - p) : (p - sigmoid(baseValue)) / gap;
  return Array.from(contributions, (c) => c * slope * 100);
}

/** "+8 points", "−5 points" (a true minus sign), "+0.4 points", "about 0 points". */
export function formatNarrativePoints(points: number): string {
  const digits = Math.abs(points) >= 0.95 ? 0 : 1;
  const text = Math.abs(points).toFixed(digits);
  if (Number(text) === 0) return 'about 0 points';
  return `${points > 0 ? '+' : '\u2212'}${text} ${text === '1' ? 'point' : 'points'}`;
}

export interface NarrativeInput {
  /** One feature row, FEATURE_CATALOG order; NaN = missing. */
  values: Row;
  /** SHAP contributions (log-odds) in the same order; a trailing bias value is ignored. */
  contributions: Row;
  baseValue: number;
  /** The probability shown for this prospect. */
  probability: number;
  /** Lines to write, largest contributions first. @default 5 */
  limit?: number;
}

/** One line per top factor, largest |contribution| first: "Drafted in round 1 (pick 12): +6 points". */
export function narrate({ values, contributions, baseValue, probability, limit = 5 }: NarrativeInput): string[] {
  const features = FEATURE_CATALOG.map((f) => f.name);
  const shap = Array.from({ length: features.length }, (_, i) => contributions[i] ?? 0);
  const points = probabilityPoints(shap, baseValue, probability);
  return features
    .map((name, i) => ({ name, contribution: shap[i]!, points: points[i]! }))
    .filter((f) => f.contribution !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, limit)
    .map((f) => `${describeFeature(f.name, values)}: ${formatNarrativePoints(f.points)}`);
}
