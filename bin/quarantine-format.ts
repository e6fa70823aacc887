/**
 * The text `npm run quarantine` prints: the batches and their breaker verdicts, quarantined lines by cell and by
 * cause, a few sample rows per cause (reason and the raw payload, shortened), the data flags, and what to do next.
 * Pure: bin/quarantine.ts reads the report (db/quarantine.ts) and prints this.
 */
import { levelOfSport } from '../lib/domain.ts';
import type { QuarantineReport } from '../db/quarantine.ts';

/** Characters of a sample's payload shown before it is cut. */
export const PAYLOAD_CHARS = 300;

const n = (x: number) => x.toLocaleString('en-US');

function cell(c: { season: number | null; sportId: number | null; group: string | null; entity: string }): string {
  if (c.entity !== 'season_line') return `${c.season ?? '-'} ${c.entity}`;
  const level = c.sportId === null ? 'unknown level' : (levelOfSport(c.sportId) ?? `sport ${c.sportId}`);
  return `${c.season ?? '?'} ${level} ${c.group ?? '?'}`;
}

function cause(c: { field: string | null; rule: string | null }): string {
  if (c.rule === 'missing_field' && c.field) return `missing field ${c.field}`;
  if (c.rule === null) return 'unclassified';
  return c.field ? `${c.rule} (${c.field})` : c.rule;
}

function short(payload: unknown): string {
  const text = JSON.stringify(payload) ?? String(payload);
  return text.length > PAYLOAD_CHARS ? `${text.slice(0, PAYLOAD_CHARS - 3)}...` : text;
}

export function formatQuarantineReport(report: QuarantineReport, selection: string): string {
  const out: string[] = [];
  if (report.batches.length === 0) return `No ingest batch matches ${selection}.\n`;
  out.push(`Batches (${selection}):`);
  for (const b of report.batches) {
    out.push(
      `  batch ${b.batchId}  season ${b.season ?? '-'}  ${b.source}  ${b.status}${b.finishedAt ? '' : ' (not finished)'}  ` +
        `fetched ${n(b.rowsFetched)}, loaded ${n(b.rowsLoaded)}, quarantined ${n(b.rowsQuarantined)}  started ${b.startedAt.toISOString()}`,
    );
    if (b.breach) out.push(`    BREACH: ${b.breach}`);
  }
  const total = report.cells.reduce((s, c) => s + c.quarantined, 0);
  out.push('', `Quarantined: ${n(total)} rows`);
  if (total > 0) {
    out.push('', 'By cell (season, level, group):');
    for (const c of report.cells) out.push(`  ${n(c.quarantined).padStart(8)}  ${cell(c)}`);
    out.push('', 'By cause (field and reason), per cell:');
    for (const c of report.causes) out.push(`  ${n(c.quarantined).padStart(8)}  ${cell(c)}: ${cause(c)}`);
    out.push('', 'Samples:');
    let last = '';
    for (const s of report.samples) {
      const head = `${cell(s)}: ${cause(s)}`;
      if (head !== last) out.push(`  ${head}`);
      last = head;
      out.push(`    batch ${s.batchId}: ${s.reason}`, `      ${short(s.payload)}`);
    }
  }
  if (report.flags.length > 0) {
    out.push('', 'Flags (kept, but changed or doubted):');
    for (const f of report.flags) {
      out.push(`  ${n(f.flags).padStart(8)}  ${f.rule}`);
      for (const e of f.examples) out.push(`            e.g. ${e}`);
    }
  }
  if (report.batches.some((b) => b.status === 'breached')) {
    out.push(
      '',
      'A breached batch loaded nothing. Fix the cause, then re-run the same command (e.g. npm run backfill -- --from ... --to ...):',
      '  - our parser or rules were wrong: fix them; the re-run re-validates from the landing zone, no request is repeated;',
      '  - the source sent bad data and has fixed it: add --refresh to fetch again;',
      '  - the data are right and the limit too tight: raise QUARANTINE_CELL_MAX_SHARE / QUARANTINE_BATCH_MAX_SHARE for that run.',
      'Then mark this quarantine handled: npm run quarantine -- --batch <id> --resolve "what was done".',
    );
  }
  return `${out.join('\n')}\n`;
}
