/**
 * Roster-aware recommendations for one user in one Fantrax league, from the served rankings snapshot: his farm
 * system ranked by dynasty value under his strategy, the best prospects nobody in the league rosters (claims), his
 * prospects whose value rose or fell since the previous publication (hold or sell, with the SHAP factor behind the
 * move), and those close to graduating. Pure: the activity reads the inputs (db/recommendations.ts) and stores the
 * result.
 */
import { prospectValue, TEAM_MODES, type TeamMode } from '../site/dynasty.ts';

export type Strategy = 'contending' | 'rebuilding';

/** The part of a served prospect card the advice needs (lib/snapshot.ts Prospect). */
export interface AdviceProspect {
  playerId: number;
  name: string;
  rank: number;
  organization: string | null;
  position: string;
  level: string;
  eta: number | null;
  probability: number;
  dynasty: { roleWeight: number; yearsToEta: number; value: number };
  /** Places moved since the snapshot before (positive = up); null when he was not ranked then. */
  trend: number | null;
  /** The card's SHAP factors, largest contributions first (a handful is enough). */
  factors: { label: string; contribution: number }[];
  /** The card's first plain-English line, if any. */
  narrative: string | null;
}

/** What the previous published snapshot said of a prospect. */
export interface PreviousValue {
  rank: number;
  probability: number;
  dynasty: { roleWeight: number; yearsToEta: number; value: number };
}

export interface LeagueRosterEntry {
  fantraxId: string;
  teamId: string;
  rosterStatus: string;
  /** Our player id by the effective match (the user's correction first); null when unmatched. */
  playerId: number | null;
}

export interface RecommendationInput {
  strategy: Strategy;
  /** The season the advice is for (ETAs up to the next one count as close). */
  season: number;
  userTeamId: string;
  roster: readonly LeagueRosterEntry[];
  snapshotId: string;
  prospects: readonly AdviceProspect[];
  previousSnapshotId: string | null;
  previous: ReadonlyMap<number, PreviousValue>;
}

export interface RecommendationItem {
  playerId: number;
  fantraxId: string | null;
  name: string;
  rank: number;
  organization: string | null;
  position: string;
  level: string;
  eta: number | null;
  probability: number;
  /** Dynasty value under the user's strategy, 0-100. */
  value: number;
  rankChange: number | null;
  reason: string | null;
}

export interface MoverItem extends RecommendationItem {
  action: 'hold' | 'sell';
  previousValue: number;
  valueChange: number;
}

export interface Recommendations {
  snapshotId: string;
  previousSnapshotId: string | null;
  strategy: Strategy;
  farmSystem: RecommendationItem[];
  freeAgents: RecommendationItem[];
  movers: MoverItem[];
  graduating: RecommendationItem[];
}

export const RECOMMENDATION_LIMITS = {
  freeAgents: 10,
  /** A move counts from this many value points, or this many places. */
  moveValue: 1,
  movePlaces: 15,
} as const;

export function strategyDiscount(strategy: Strategy): number {
  const mode: TeamMode = strategy;
  return TEAM_MODES.find((m) => m.id === mode)!.discount;
}

const round = (x: number) => Math.round(x * 10) / 10;

function factorReason(factor: { label: string; contribution: number } | undefined): string | null {
  if (!factor) return null;
  return `${factor.label} (${factor.contribution >= 0 ? '+' : ''}${factor.contribution.toFixed(2)} log-odds)`;
}

export function computeRecommendations(input: RecommendationInput): Recommendations {
  const discount = strategyDiscount(input.strategy);
  const byId = new Map(input.prospects.map((p) => [p.playerId, p]));
  const value = (p: { probability: number; dynasty: PreviousValue['dynasty'] }) => round(prospectValue(p, discount));
  const item = (p: AdviceProspect, fantraxId: string | null): RecommendationItem => ({
    playerId: p.playerId,
    fantraxId,
    name: p.name,
    rank: p.rank,
    organization: p.organization,
    position: p.position,
    level: p.level,
    eta: p.eta,
    probability: p.probability,
    value: value(p),
    rankChange: p.trend,
    reason: p.narrative ?? factorReason(p.factors[0]),
  });
  const byValue = (a: RecommendationItem, b: RecommendationItem) => b.value - a.value || a.rank - b.rank;

  const mine = new Map<number, string>();
  const rostered = new Set<number>();
  for (const entry of input.roster) {
    if (entry.playerId === null) continue;
    rostered.add(entry.playerId);
    if (entry.teamId === input.userTeamId) mine.set(entry.playerId, entry.fantraxId);
  }

  const farmSystem = [...mine]
    .flatMap(([playerId, fantraxId]) => {
      const p = byId.get(playerId);
      return p ? [item(p, fantraxId)] : [];
    })
    .sort(byValue);

  const freeAgents = input.prospects
    .filter((p) => !rostered.has(p.playerId))
    .map((p) => item(p, null))
    .sort(byValue)
    .slice(0, RECOMMENDATION_LIMITS.freeAgents);

  const movers = farmSystem
    .flatMap((it): MoverItem[] => {
      const before = input.previous.get(it.playerId);
      const p = byId.get(it.playerId)!;
      if (!before) return [];
      const previousValue = value(before);
      const valueChange = round(it.value - previousValue);
      const places = before.rank - p.rank;
      if (
        Math.abs(valueChange) < RECOMMENDATION_LIMITS.moveValue &&
        Math.abs(places) < RECOMMENDATION_LIMITS.movePlaces
      )
        return [];
      const rose = valueChange > 0 || (valueChange === 0 && places > 0);
      // The SHAP factor that pushes the way he moved: what to cite for holding a riser or selling a faller.
      const driver =
        [...p.factors]
          .filter((f) => (rose ? f.contribution > 0 : f.contribution < 0))
          .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))[0] ?? p.factors[0];
      return [
        {
          ...it,
          rankChange: places,
          action: rose ? 'hold' : 'sell',
          previousValue,
          valueChange,
          reason: factorReason(driver) ?? it.reason,
        },
      ];
    })
    .sort((a, b) => Math.abs(b.valueChange) - Math.abs(a.valueChange));

  const graduating = farmSystem
    .filter((it) => it.level === 'AAA' || (it.eta !== null && it.eta <= input.season + 1))
    .sort((a, b) => (a.eta ?? 9999) - (b.eta ?? 9999) || byValue(a, b));

  return {
    snapshotId: input.snapshotId,
    previousSnapshotId: input.previousSnapshotId,
    strategy: input.strategy,
    farmSystem,
    freeAgents,
    movers,
    graduating,
  };
}

/** The strategy of a user's stored preferences (users.preferences); rebuilding, as the API's defaults, otherwise. */
export function strategyOf(preferences: unknown): Strategy {
  const strategy =
    preferences && typeof preferences === 'object' ? (preferences as { strategy?: unknown }).strategy : undefined;
  return strategy === 'contending' ? 'contending' : 'rebuilding';
}
