/** Display helpers for the rankings site: numbers, stat lines and SHAP factors turned into plain words. */
import type { Prospect } from '../lib/snapshot.ts';
import { levelRank } from './derive.ts';
import { maxOf } from './extremes.ts';

type StatLine = Prospect['stats'][number];

const DASH = '—';

export function formatPercent(fraction: number | null, digits = 1): string {
  return fraction === null ? DASH : `${(fraction * 100).toFixed(digits)}%`;
}

export function formatAge(age: number | null): string {
  if (age === null) return DASH;
  return Number.isInteger(age) ? String(age) : age.toFixed(1);
}

/** Baseball style: .287, not 0.287. */
export function formatAverage(value: number | null): string {
  if (value === null) return DASH;
  const text = value.toFixed(3);
  return text.startsWith('0.') ? text.slice(1) : text;
}

/** Decimal innings (166.67) in box-score notation (166.2, i.e. two outs into the 167th). */
export function formatInnings(innings: number | null): string {
  if (innings === null) return DASH;
  const outs = Math.round(innings * 3);
  return `${Math.floor(outs / 3)}.${outs % 3}`;
}

export function formatFactorValue(value: number | null): string {
  if (value === null) return 'missing';
  return String(Number(value.toFixed(3)));
}

export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return 'about 0 points';
  return `${rounded > 0 ? '+' : '-'}${Math.abs(rounded).toFixed(1)} points`;
}

/** Lowest level first within a season, so a season's lines read in the order the player climbed. */
export function sortStats(stats: readonly StatLine[]): StatLine[] {
  return [...stats].sort((a, b) => a.season - b.season || levelRank(a.level) - levelRank(b.level));
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

export interface FactorView {
  label: string;
  value: string;
  /** Raw SHAP contribution in log-odds. */
  contribution: number;
  /** The contribution converted to percentage points of probability. */
  points: number;
  /** |contribution| relative to the largest shown, 0..1, for the bar width. */
  share: number;
}

export interface FactorExplanation {
  /** Probability of a prospect the model knows nothing about (sigmoid of the base value). */
  baseProbability: number;
  factors: FactorView[];
  /** Percentage points from the factors not shown, so base + all shown + other = the prediction. */
  otherPoints: number;
}

/**
 * SHAP values add up in log-odds, not probability. Each contribution is scaled by the average slope of the
 * logistic curve between the base value and this prospect's prediction, so the shown points add up exactly
 * (with "other factors") to the gap between the base probability and the prediction.
 */
export function explainFactors(
  prospect: Pick<Prospect, 'baseValue' | 'probability' | 'factors'>,
  limit = 8,
): FactorExplanation {
  const baseProbability = sigmoid(prospect.baseValue);
  // Clamped because a probability of exactly 0 or 1 has infinite log-odds.
  const probability = Math.min(Math.max(prospect.probability, 1e-6), 1 - 1e-6);
  const logOddsGap = logit(probability) - prospect.baseValue;
  const slope =
    Math.abs(logOddsGap) < 1e-9 ? probability * (1 - probability) : (probability - baseProbability) / logOddsGap;
  const shown = [...prospect.factors]
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, limit);
  const largest = maxOf(
    shown.map((f) => Math.abs(f.contribution)),
    Number.MIN_VALUE,
  );
  const factors = shown.map((f) => ({
    label: f.label,
    value: formatFactorValue(f.value),
    contribution: f.contribution,
    points: f.contribution * slope * 100,
    share: Math.abs(f.contribution) / largest,
  }));
  const shownPoints = factors.reduce((sum, f) => sum + f.points, 0);
  return { baseProbability, factors, otherPoints: (probability - baseProbability) * 100 - shownPoints };
}

export function organizationName(prospect: Pick<Prospect, 'organization'>): string {
  return prospect.organization?.name ?? 'Unaffiliated';
}

export function formatEta(eta: number | null): string {
  return eta === null ? DASH : String(eta);
}

// Built once: toLocale*String with options builds a new formatter per call, thousands of times per build.
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const LONG_DATE = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const SHORT_DATE = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function formatCount(value: number): string {
  return COUNT.format(Math.round(value));
}

/** "2025-11-01T12:00:00.000Z" -> "November 1, 2025" (UTC, so the build machine's zone does not matter). */
export function formatDate(iso: string | null): string {
  if (!iso) return 'never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return LONG_DATE.format(date);
}

export function formatShortDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return SHORT_DATE.format(date);
}

/** What the confidence rests on, in one sentence. */
export function describeEvidence(p: Pick<Prospect, 'isPitcher' | 'evidence'>): string {
  const unit = p.isPitcher ? 'batters faced' : 'plate appearances';
  const e = p.evidence;
  if (e.careerWorkload === 0) return 'No minor-league playing time yet: the estimate rests on his bio and draft alone.';
  const seasons = `${e.seasons} season${e.seasons === 1 ? '' : 's'}`;
  const levels = `${e.levels} level${e.levels === 1 ? '' : 's'}`;
  return (
    `${formatCount(e.seasonWorkload)} ${unit} this season and ${formatCount(e.careerWorkload)} in his career, ` +
    `over ${seasons} at ${levels}; the model's bootstrap ensemble agrees within ±${(e.spread * 100).toFixed(1)} points.`
  );
}
