/**
 * The accounting every ingest run prints: requests made, and where every fetched row went.
 */
import type { BackfillProgress } from '../workflows/backfill-history.ts';

export function accounting(p: BackfillProgress): string {
  return [
    `Seasons:        ${p.seasonsDone} (${p.seasons.filter((s) => s.mlbOnly).length} MLB-only lead seasons)`,
    `HTTP requests:  ${p.httpRequests} (plus ${p.responsesReused} responses reused from the landing zone; ${p.responsesLost} lost and quarantined)`,
    `Rows fetched:   ${p.rowsFetched} = ${p.rowsLoaded} loaded + ${p.rowsQuarantined} quarantined + ${p.duplicatesMerged} duplicates merged`,
    `Rows new:       ${p.rowsNew} (inserted or changed; 0 when re-running finished seasons)`,
  ].join('\n');
}
