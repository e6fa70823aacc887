import { describe, expect, it } from 'vitest';
import { parseGradesCsv, parseToolGrade } from './grades.ts';
import { MappingError, resolveMapping } from './mapping.ts';

const FG = 'Name,Org,Pos,Age,FV,ETA,Hit,Game,Raw,Spd,Fld,Arm,FB,SL,CB,CH,CMD,PlayerId\n';

describe('parseGradesCsv', () => {
  it('reads FanGraphs rows into canonical records with present/future tool grades', () => {
    const csv = `${FG}Corey Warren,PRO,C,23.4,45+,2026,45/55,60/70,,,,,,,,,,sa042915\n"Pena, Jose",NSH,RHP,19,50,2027,,,,,,,55/60,50/60,,,40/50,sa1\n`;
    const parsed = parseGradesCsv(csv, resolveMapping('fangraphs'), 2024);
    expect(parsed.rejects).toEqual([]);
    expect(parsed.rows).toBe(2);
    expect(parsed.records[0]).toMatchObject({
      line: 2,
      name: 'Corey Warren',
      organization: 'PRO',
      position: 'C',
      age: 23.4,
      futureValue: 45,
      futureValuePlus: true,
      eta: 2026,
      tools: { hit: { present: 45, future: 55 }, gamePower: { present: 60, future: 70 } },
      externalId: 'sa042915',
      rank: null,
    });
    expect(parsed.records[1]?.tools).toEqual({
      fastball: { present: 55, future: 60 },
      slider: { present: 50, future: 60 },
      command: { present: 40, future: 50 },
    });
    expect(parsed.records[1]?.raw.Name).toBe('Pena, Jose');
  });

  it('turns row-level problems into rejects with the reason and the raw row', () => {
    const csv =
      `${FG}A One,PRO,C,23,50,2026,45/95,,,,,,,,,,,x\nB Two,,C,23,50,2026,,,,,,,,,,,,x\nC Three,PRO,C,old,50,2026,,,,,,,,,,,,x\nD Four,PRO,C,23\n` +
      `E Five,PRO,C,23,,2026,,,,,,,,,,,,x\nF Six,PRO,SS,22,50,2026,45-55,,,,,,,,,,,x\n,,,,,,,,,,,,,,,,,\n`;
    const parsed = parseGradesCsv(csv, resolveMapping('fangraphs'), 2024);
    expect(parsed.records).toEqual([]);
    expect(parsed.rows).toBe(6);
    expect(parsed.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, 'Hit future "95" is not a grade on the 20-80 scale'],
      [3, 'empty required Org (organization)'],
      [4, 'Age "old" is not an age between 14 and 45'],
      [5, 'row has 4 fields but the header has 18'],
      [6, 'empty required FV (futureValue)'],
      [7, 'Hit "45-55" is not a grade on the 20-80 scale'],
    ]);
    expect(parsed.rejects[0]?.raw).toMatchObject({ Name: 'A One', Hit: '45/95' });
  });

  it('reads a Baseball America Top 100 and checks its year against the season', () => {
    const csv =
      'Rank,Player,Org,Pos,Year\n1,Jose Garcia,ORL,C,2019\n2,Ronny Martinez,MTY,2B,2018\nx,Jacob Marshall,ABQ,LHP,2019\n';
    const parsed = parseGradesCsv(csv, resolveMapping('baseball_america'), 2019);
    expect(parsed.records).toMatchObject([
      { rank: 1, name: 'Jose Garcia', organization: 'ORL', position: 'C', year: 2019, futureValue: null },
    ]);
    expect(parsed.rejects.map((r) => r.reason)).toEqual([
      'Year "2018" does not match the import\'s season 2019',
      'Rank "x" is not a positive whole number',
    ]);
  });

  it('imports renamed headers through a custom mapping', () => {
    const csv = 'Player Name,Team,Future Value,Hit Tool,Cutter\nCorey Warren,PRO,55,40/50,50/55\n';
    expect(() => parseGradesCsv(csv, resolveMapping('fangraphs'), 2024)).toThrow(MappingError);
    const mapping = resolveMapping('fangraphs', {
      name: 'Player Name',
      organization: 'Team',
      futureValue: 'Future Value',
      tools: { hit: 'Hit Tool', cutter: 'Cutter' },
    });
    const parsed = parseGradesCsv(csv, mapping, 2024);
    expect(parsed.records[0]).toMatchObject({
      name: 'Corey Warren',
      organization: 'PRO',
      futureValue: 55,
      tools: { hit: { present: 40, future: 50 }, cutter: { present: 50, future: 55 } },
    });
  });

  it('parses tool grades', () => {
    expect(parseToolGrade('Spd', '60/55')).toEqual({ present: 60, future: 55 });
    expect(parseToolGrade('Raw', '70')).toEqual({ present: null, future: 70 });
    expect(() => parseToolGrade('Arm', '15/50')).toThrow(/Arm present "15"/);
    expect(() => parseToolGrade('Arm', '45/50/55')).toThrow(/present\/future/);
  });
});
