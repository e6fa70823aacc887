import { describe, expect, it } from 'vitest';
import type { QuarantineReport } from '../db/quarantine.ts';
import { formatQuarantineReport, PAYLOAD_CHARS } from './quarantine-format.ts';

const where = { season: 2006, sportId: 1, group: 'pitching', entity: 'season_line' };
const report: QuarantineReport = {
  batches: [
    {
      batchId: 7,
      season: 2006,
      source: 'mlb-stats-api',
      status: 'breached',
      startedAt: new Date('2026-11-29T10:00:00Z'),
      finishedAt: null,
      rowsFetched: 12000,
      rowsLoaded: 0,
      rowsQuarantined: 9593,
      breach: 'data-quality breach: 2006 MLB pitching: 9,593 of 9,593 rows quarantined (100%)',
    },
  ],
  cells: [
    { ...where, quarantined: 9593 },
    { season: 2006, sportId: null, group: 'hitting', entity: 'season_line', quarantined: 1 },
  ],
  causes: [
    { ...where, field: 'stat.battersFaced', rule: 'missing_field', quarantined: 9592 },
    { ...where, field: null, rule: 'bf_accounting', quarantined: 1 },
  ],
  samples: [
    {
      ...where,
      field: 'stat.battersFaced',
      rule: 'missing_field',
      batchId: 7,
      reason: 'shape: ... missing',
      payload: { stat: { note: 'x'.repeat(500) } },
    },
  ],
  flags: [{ rule: 'placeholder_birth_date', flags: 15, examples: ['birth date 1950-01-01 is a placeholder'] }],
};

describe('formatQuarantineReport', () => {
  const text = formatQuarantineReport(report, 'batch 7');

  it('shows the batch with its breach, counts by cell and by cause, samples and flags', () => {
    expect(text).toContain(
      'batch 7  season 2006  mlb-stats-api  breached (not finished)  fetched 12,000, loaded 0, quarantined 9,593',
    );
    expect(text).toContain('    BREACH: data-quality breach: 2006 MLB pitching');
    expect(text).toContain('Quarantined: 9,594 rows');
    expect(text).toContain('     9,593  2006 MLB pitching\n');
    expect(text).toContain('         1  2006 unknown level hitting\n');
    expect(text).toContain('     9,592  2006 MLB pitching: missing field stat.battersFaced\n');
    expect(text).toContain('         1  2006 MLB pitching: bf_accounting\n');
    expect(text).toContain('    batch 7: shape: ... missing');
    expect(text).toContain(
      '        15  placeholder_birth_date\n            e.g. birth date 1950-01-01 is a placeholder',
    );
  });

  it('shortens a long payload and says how to re-run after a breach', () => {
    const payloadLine = text.split('\n').find((l) => l.startsWith('      {"stat"'));
    expect(payloadLine?.trim().length).toBe(PAYLOAD_CHARS);
    expect(payloadLine?.endsWith('...')).toBe(true);
    expect(text).toContain('add --refresh to fetch again');
    expect(text).toContain('npm run quarantine -- --batch <id> --resolve');
  });

  it('says so when nothing matches', () => {
    expect(formatQuarantineReport({ batches: [], cells: [], causes: [], samples: [], flags: [] }, 'season 1999')).toBe(
      'No ingest batch matches season 1999.\n',
    );
  });
});
