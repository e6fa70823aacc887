/**
 * Clean season lines of a simulation: one per player, season, level and group, a traded player's stints summed.
 * This is the ground truth the served (faulty) rows are made from, and what calibration and tests measure.
 */
import type { SeasonLine } from '../../lib/domain.ts';
import type { Stint } from './context.ts';
import { addCounts } from './lines.ts';

export function lineKey(l: Pick<SeasonLine, 'playerId' | 'season' | 'sportId' | 'group'>): string {
  return `${l.playerId}:${l.season}:${l.sportId}:${l.group}`;
}

/** Groups stints into lines, in stint order; a traded player's line keeps the team of his last stint. */
export function truthLines(stints: readonly Stint[]): { lines: SeasonLine[]; stintsByLine: Map<string, Stint[]> } {
  const stintsByLine = new Map<string, Stint[]>();
  for (const s of stints) {
    const key = lineKey(s);
    const list = stintsByLine.get(key);
    if (list) list.push(s);
    else stintsByLine.set(key, [s]);
  }
  const lines: SeasonLine[] = [];
  for (const group of stintsByLine.values()) {
    const [first, ...rest] = group;
    if (!first) continue;
    let line: SeasonLine =
      first.group === 'hitting'
        ? {
            playerId: first.playerId,
            season: first.season,
            sportId: first.sportId,
            teamId: first.teamId,
            group: 'hitting',
            stats: { ...first.stats },
          }
        : {
            playerId: first.playerId,
            season: first.season,
            sportId: first.sportId,
            teamId: first.teamId,
            group: 'pitching',
            stats: { ...first.stats },
          };
    for (const s of rest) {
      if (line.group === 'hitting' && s.group === 'hitting')
        line = { ...line, teamId: s.teamId, stats: addCounts(line.stats, s.stats) };
      else if (line.group === 'pitching' && s.group === 'pitching')
        line = { ...line, teamId: s.teamId, stats: addCounts(line.stats, s.stats) };
    }
    lines.push(line);
  }
  return { lines, stintsByLine };
}
