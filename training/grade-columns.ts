// Scouting-grade columns: the latest FanGraphs and Baseball America grades of each player from lists dated no later
// than the as-of season, on the (grade - 50) / 10 scale.
import type { ScoutingGrade, StatGroup } from '../lib/domain.ts';
import type { SetFeature } from './feature-catalog.ts';

const HIT_TOOLS = ['hit', 'gamePower'] as const;
const PITCH_TOOLS = ['fastball', 'slider', 'curveball', 'changeup', 'cutter', 'splitter', 'command'] as const;

/** A 20-80 grade as (grade - 50) / 10; NaN when missing. */
function gradeScale(grade: number | null | undefined): number {
  return typeof grade === 'number' && Number.isFinite(grade) ? (grade - 50) / 10 : NaN;
}

/** Mean of the future grades of the named tools he has, on the (grade - 50) / 10 scale; NaN when he has none. */
function meanFuture(tools: ScoutingGrade['tools'], names: readonly string[]): number {
  let sum = 0;
  let n = 0;
  for (const name of names) {
    const g = gradeScale(tools[name]?.future);
    if (Number.isNaN(g)) continue;
    sum += g;
    n += 1;
  }
  return n ? sum / n : NaN;
}

/** The latest grade of each source per player from lists dated no later than the as-of season. */
export interface PlayerGrades {
  fangraphs?: ScoutingGrade;
  baseball_america?: ScoutingGrade;
}

export function latestGrades(grades: readonly ScoutingGrade[], asOf: number): Map<number, PlayerGrades> {
  const byPlayer = new Map<number, PlayerGrades>();
  for (const g of grades) {
    if (g.season > asOf) continue;
    let own = byPlayer.get(g.playerId);
    if (!own) byPlayer.set(g.playerId, (own = {}));
    const seen = own[g.source];
    if (!seen || g.season > seen.season) own[g.source] = g;
  }
  return byPlayer;
}

export function gradeColumns(set: SetFeature, asOf: number, group: StatGroup, grades?: PlayerGrades): void {
  const fg = grades?.fangraphs;
  if (fg) {
    set('fg_fv', gradeScale(fg.futureValue));
    if (group === 'hitting') set('fg_hit_future', meanFuture(fg.tools, HIT_TOOLS));
    else set('fg_pitch_future', meanFuture(fg.tools, PITCH_TOOLS));
    set('fg_grade_age', asOf - fg.season);
  }
  const rank = grades?.baseball_america?.overallRank;
  if (typeof rank === 'number' && rank > 0) set('ba_top100_rank', rank);
}
