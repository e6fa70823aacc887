/**
 * Dynasty value of a prospect: 100 x probability x role weight x (1 - discount)^yearsToEta, on a 0-100 scale.
 * The site re-discounts the published { roleWeight, yearsToEta } with the same formula (site/dynasty.ts), so a
 * contender (steep discount) and a rebuilder (gentle one) can rank the same prospects differently.
 */
import { SUCCESS } from '../lib/domain.ts';
import { positionGroup } from './features.ts';

export const DEFAULT_DISCOUNT = 0.1;

/**
 * What one MLB success is worth in a typical 5x5 / points dynasty league, relative to an everyday hitter.
 * - hitter 1.0: ~600 PA a year feed every hitting category;
 * - catcher 0.85: catchers catch ~120 games and rest, so fewer PA and counting stats;
 * - starter 0.9: ~170 IP feed wins, strikeouts, ERA and WHIP, but pitchers carry more injury and role risk;
 * - reliever 0.45: ~65 IP, and only the few closers add saves; middle relievers barely move a roster.
 * Pitchers between the two are weighted by their starter share (games started / games), linearly from
 * RELIEVER_SHARE (or less) to STARTER_SHARE (or more): minor-league staffs piggyback, so 0.5 is not yet a reliever.
 */
export const ROLE_WEIGHTS = { hitter: 1, catcher: 0.85, starter: 0.9, reliever: 0.45 } as const;
export const RELIEVER_SHARE = 0.2;
export const STARTER_SHARE = 0.8;

/** Years charged to a prospect whose ETA is unknown: past the label's 4-season window. */
export const UNKNOWN_ETA_YEARS = SUCCESS.horizonSeasons + 1;

export interface DynastyInput {
  /** Calibrated probability of MLB success (0-1). */
  probability: number;
  /** Primary position ("C", "SS", "P", "2", ...). */
  position: string | null;
  isPitcher: boolean;
  /** Games started / games in the as-of season (pitchers); unknown = halfway between reliever and starter. */
  gamesStartedShare?: number | null;
  /** Expected first MLB season; null when the ETA model cannot say. */
  eta: number | null;
  /** Season of the prediction. */
  asOfSeason: number;
  /** Yearly discount rate (0-1). @default 0.10 */
  discount?: number;
}

export interface DynastyValue {
  roleWeight: number;
  /** ETA minus the as-of season, at least 0 (already in the majors). */
  yearsToEta: number;
  /** 0-100. */
  value: number;
}

export function roleWeight(input: Pick<DynastyInput, 'position' | 'isPitcher' | 'gamesStartedShare'>): number {
  if (!input.isPitcher) return positionGroup(input.position) === 'C' ? ROLE_WEIGHTS.catcher : ROLE_WEIGHTS.hitter;
  const share = input.gamesStartedShare;
  const t =
    share === null || share === undefined || !Number.isFinite(share)
      ? 0.5
      : Math.min(1, Math.max(0, (share - RELIEVER_SHARE) / (STARTER_SHARE - RELIEVER_SHARE)));
  return ROLE_WEIGHTS.reliever + t * (ROLE_WEIGHTS.starter - ROLE_WEIGHTS.reliever);
}

/** The discounting both the pipeline and the site apply: 100 x p x roleWeight x (1 - discount)^yearsToEta. */
export function discountedValue(
  input: { probability: number; roleWeight: number; yearsToEta: number },
  discount: number = DEFAULT_DISCOUNT,
): number {
  if (!(discount >= 0 && discount < 1)) throw new RangeError(`discount must be in [0, 1), got ${discount}`);
  const p = Math.min(1, Math.max(0, input.probability));
  return 100 * p * input.roleWeight * (1 - discount) ** input.yearsToEta;
}

export function dynastyValue(input: DynastyInput): DynastyValue {
  const weight = roleWeight(input);
  const yearsToEta = input.eta === null ? UNKNOWN_ETA_YEARS : Math.max(0, input.eta - input.asOfSeason);
  return {
    roleWeight: weight,
    yearsToEta,
    value: discountedValue({ probability: input.probability, roleWeight: weight, yearsToEta }, input.discount),
  };
}
