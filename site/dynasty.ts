/**
 * Dynasty value: 100 x probability x role weight, discounted per year until the ETA. The snapshot carries it at
 * the default 10% a year; the rankings page re-discounts it in the browser (public/rankings.js, same formula)
 * when a reader switches between a contending and a rebuilding team.
 */
import type { Prospect } from '../lib/snapshot.ts';

export const DEFAULT_DISCOUNT = 0.1;

/** The team modes of the rankings switch, with their yearly discount rates. */
export const TEAM_MODES = [
  { id: 'contending', label: 'Contending', discount: 0.3, hint: 'values help soon: 30% off per year to the ETA' },
  { id: 'balanced', label: 'Balanced', discount: DEFAULT_DISCOUNT, hint: '10% off per year to the ETA' },
  { id: 'rebuilding', label: 'Rebuilding', discount: 0.03, hint: 'can wait: 3% off per year to the ETA' },
] as const;

export type TeamMode = (typeof TEAM_MODES)[number]['id'];

export function dynastyValue(
  input: { probability: number; roleWeight: number; yearsToEta: number },
  discount: number = DEFAULT_DISCOUNT,
): number {
  return 100 * input.probability * input.roleWeight * (1 - discount) ** input.yearsToEta;
}

export function prospectValue(
  p: Pick<Prospect, 'probability' | 'dynasty'>,
  discount: number = DEFAULT_DISCOUNT,
): number {
  if (discount === DEFAULT_DISCOUNT) return p.dynasty.value;
  return dynastyValue({ probability: p.probability, ...p.dynasty }, discount);
}

export function formatValue(value: number): string {
  return value.toFixed(1);
}
