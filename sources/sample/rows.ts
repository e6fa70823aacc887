/**
 * Served stat rows: the clean stints laid out the way the Stats API lists them (a traded player's per-team rows plus
 * an aggregate row), then the deliberate faults of faults.ts. Rows are what the server renders into splits.
 */
import type { HittingCounts, PitchingCounts, StatGroup } from '../../lib/domain.ts';
import type { Stint } from './context.ts';
import { addCounts } from './lines.ts';
import { lineKey } from './truth.ts';

export type FaultKind =
  | 'placeholder-rates'
  | 'missing-optional-fields'
  | 'missing-outs'
  | 'missing-player-id'
  | 'duplicate'
  | 'negative-count'
  | 'hits-over-at-bats'
  | 'pa-under-at-bats';

export interface StatRow {
  playerId: number;
  season: number;
  sportId: number;
  group: StatGroup;
  /** Null on a traded player's aggregate row. */
  teamId: number | null;
  /** Number of teams, on aggregate rows only (the real API omits it elsewhere in season splits). */
  numTeams: number | null;
  stats: HittingCounts | PitchingCounts;
  fault: FaultKind | null;
}

/** Rows of one season and group, ordered by level (sportId) then player, the aggregate before its team rows. */
export function rowsFromStints(stints: readonly Stint[]): Map<string, StatRow[]> {
  const byLine = new Map<string, Stint[]>();
  for (const s of stints) {
    const key = lineKey(s);
    const list = byLine.get(key);
    if (list) list.push(s);
    else byLine.set(key, [s]);
  }
  const out = new Map<string, StatRow[]>();
  for (const group of byLine.values()) {
    const [first] = group;
    if (!first) continue;
    const rows: StatRow[] = [];
    // Two stints with the same team (a rehab beside a regular stint) are one row, as the API would show them.
    const byTeam = new Map<number, Stint['stats']>();
    for (const s of group) {
      const prev = byTeam.get(s.teamId);
      byTeam.set(s.teamId, prev ? sum(prev, s.stats) : { ...s.stats });
    }
    const base = {
      playerId: first.playerId,
      season: first.season,
      sportId: first.sportId,
      group: first.group,
      fault: null,
    };
    if (byTeam.size > 1) {
      let total: Stint['stats'] | null = null;
      for (const stats of byTeam.values()) total = total ? sum(total, stats) : { ...stats };
      if (total) rows.push({ ...base, teamId: null, numTeams: byTeam.size, stats: total });
    }
    for (const [teamId, stats] of byTeam) rows.push({ ...base, teamId, numTeams: null, stats });
    const key = `${first.season}:${first.group}`;
    const list = out.get(key);
    if (list) for (const row of rows) list.push(row);
    else out.set(key, rows);
  }
  for (const list of out.values()) {
    list.sort(
      (a, b) =>
        a.sportId - b.sportId || a.playerId - b.playerId || (a.teamId === null ? -1 : b.teamId === null ? 1 : 0),
    );
  }
  return out;
}

function sum(a: Stint['stats'], b: Stint['stats']): Stint['stats'] {
  return addCounts(a as HittingCounts & PitchingCounts, b as HittingCounts & PitchingCounts);
}
