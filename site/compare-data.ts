/**
 * The static data the client-side pages read, emitted by the build: one small card per prospect for /compare/
 * (`/data/prospects/<playerId>.json`) and a name index (`/data/prospects.json`) for its search box and for the
 * watchlist's links. Works on the plain static host: no API involved.
 */
import type { Prospect } from '../lib/snapshot.ts';
import { explainFactors, organizationName } from './format.ts';

/** SHAP factors a compare column shows. */
export const COMPARE_FACTORS = 5;
/** Latest stat lines a compare column shows. */
export const COMPARE_SEASONS = 2;

export interface CompareCard {
  playerId: number;
  slug: string;
  name: string;
  rank: number;
  positionRank: number;
  organization: string;
  position: string;
  isPitcher: boolean;
  level: string;
  age: number | null;
  probability: number;
  confidence: Prospect['confidence'];
  eta: number | null;
  yearsToEta: number;
  dynastyValue: number;
  trend: number | null;
  /** The biggest SHAP factors, in percentage points of probability as the prospect page shows them. */
  factors: { label: string; value: string; points: number }[];
  stats: Prospect['stats'];
}

/** Newest season first; within a season, the line with the most plate appearances (batters faced) first. */
function latestStats(stats: Prospect['stats']): Prospect['stats'] {
  return [...stats].sort((a, b) => b.season - a.season || b.battersOrPa - a.battersOrPa).slice(0, COMPARE_SEASONS);
}

export function compareCard(p: Prospect): CompareCard {
  return {
    playerId: p.playerId,
    slug: p.slug,
    name: p.name,
    rank: p.rank,
    positionRank: p.positionRank,
    organization: organizationName(p),
    position: p.position,
    isPitcher: p.isPitcher,
    level: p.level,
    age: p.age,
    probability: p.probability,
    confidence: p.confidence,
    eta: p.eta,
    yearsToEta: p.dynasty.yearsToEta,
    dynastyValue: p.dynasty.value,
    trend: p.trend,
    factors: explainFactors(p, COMPARE_FACTORS).factors.map((f) => ({
      label: f.label,
      value: f.value,
      points: Math.round(f.points * 10) / 10,
    })),
    stats: latestStats(p.stats),
  };
}

/** One index row: [playerId, name, slug, rank, organization abbreviation or "", position], best rank first. */
export type IndexRow = [number, string, string, number, string, string];

export function prospectIndex(prospects: readonly Prospect[]): IndexRow[] {
  return [...prospects]
    .sort((a, b) => a.rank - b.rank)
    .map((p) => [p.playerId, p.name, p.slug, p.rank, p.organization?.abbreviation ?? '', p.position]);
}
