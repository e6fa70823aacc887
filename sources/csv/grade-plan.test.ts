import { describe, expect, it } from 'vitest';
import { planGradeImport } from './grade-plan.ts';
import type { GradeRecord, ParsedGrades } from './grades.ts';
import { indexCandidates, type Candidate } from './match.ts';

const SEASON = 2024;
const por = { season: SEASON - 1, orgId: 1, abbreviation: 'POR', name: 'Portland Pioneers' };
const player = (playerId: number, fullName: string, more: Partial<Candidate> = {}): Candidate => ({
  playerId,
  fullName,
  birthDate: '2003-03-15',
  primaryPosition: 'SS',
  orgs: [por],
  ...more,
});
const record = (line: number, name: string, more: Partial<GradeRecord> = {}): GradeRecord => ({
  line,
  raw: { Name: name, line: String(line) },
  name,
  organization: 'POR',
  position: 'SS',
  age: 21,
  futureValue: 50,
  futureValuePlus: false,
  eta: SEASON + 1,
  tools: {},
  rank: null,
  year: null,
  externalId: null,
  ...more,
});
const board = (records: GradeRecord[], rejects: ParsedGrades['rejects'] = []): ParsedGrades => ({
  header: [],
  records,
  rejects,
  missingOptional: [],
  rows: records.length + rejects.length,
});

describe('planGradeImport', () => {
  const index = indexCandidates([
    player(1, 'Ada Lindqvist'),
    player(2, 'Bo Marchetti', { primaryPosition: 'C' }),
    player(3, 'Cy Okafor'),
  ]);

  it('loads each matched row once and quarantines unreadable, unmatched and repeated rows, so rows read = loaded + quarantined', () => {
    const plan = planGradeImport(
      board(
        [record(2, 'Ada Lindqvist'), record(3, 'Ada Lindqvist'), record(4, 'Nobody Known'), record(5, 'Cy Okafor')],
        [{ line: 6, reason: 'FV "9" is not a grade on the 20-80 scale', raw: { Name: 'Broken' } }],
      ),
      index,
      SEASON,
    );
    expect(plan.loaded.map((m) => [m.rec.line, m.playerId])).toEqual([
      [2, 1],
      [5, 3],
    ]);
    expect(plan.quarantined).toBe(3);
    expect(plan.entries.map((e) => [e.payload.line, e.entity, e.reason.split(':')[0]])).toEqual([
      [6, 'grade', 'FV "9" is not a grade on the 20-80 scale'],
      [3, 'grade', 'duplicate of the row on line 2 (same name and organization)'],
      [4, 'grade', 'unmatched'],
    ]);
  });

  it('keeps the stronger of two rows that match one player, and notes a loaded row that disagrees with the MLB data', () => {
    const plan = planGradeImport(
      board([
        record(2, 'Bo Marchetti', { organization: 'NSH', position: 'C' }),
        record(3, 'Bo Marchetti', { position: 'RHP' }),
      ]),
      index,
      SEASON,
    );
    expect(plan.loaded.map((m) => m.rec.line)).toEqual([3]);
    expect(plan.quarantined).toBe(1);
    expect(plan.entries[0]?.reason).toMatch(/^matched player 2 \(.+\), already matched by the row on line 3/);
    // Line 3 says pitcher where the MLB data says catcher: loaded, and noted for review without counting as quarantined.
    expect(plan.inconsistent).toBe(1);
    expect(plan.entries[1]).toMatchObject({
      entity: 'grade_inconsistency',
      reason: expect.stringContaining('position disagrees'),
    });
  });
});
