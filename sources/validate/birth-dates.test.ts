import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PlayerBio } from '../../lib/domain.ts';
import { parsePeople, parseStatSplits } from '../mlb-stats-api/parse.ts';
import { screenBirthDates } from './birth-dates.ts';
import { validateSeasonLines } from './season-lines.ts';
import { hitter, SEASON } from './test-lines.ts';

const bio = (playerId: number, birthDate: string | null): PlayerBio => ({
  playerId,
  fullName: `Player ${playerId}`,
  birthDate,
  primaryPosition: 'SS',
  batSide: 'R',
  pitchHand: 'R',
  mlbDebutDate: null,
});

describe('screenBirthDates', () => {
  it('makes placeholder, impossible and too-young birth dates unknown and flags each once, keeping real ones', () => {
    const bios = new Map([
      [1, bio(1, '1950-01-01')],
      [2, bio(2, '1900-01-01')],
      [3, bio(3, '2007-01-16')], // a 2007 birth date on a professional (real: realdata's Adam Bowling)
      [4, bio(4, '1990-02-30')],
      [5, bio(5, '1992-05-04')],
      [6, bio(6, null)],
    ]);
    const lines = [1, 2, 3, 4, 5, 6].flatMap((id) => [hitter(id), { ...hitter(id), season: SEASON - 1 }]);
    const r = screenBirthDates(bios, lines);
    expect(r.flags.map((f) => [f.playerId, f.rule]).sort()).toEqual([
      [1, 'placeholder_birth_date'],
      [2, 'placeholder_birth_date'],
      [3, 'implausible_birth_date'],
      [4, 'invalid_birth_date'],
    ]);
    expect(r.flags.find((f) => f.playerId === 3)?.detail).toBe(
      'Player 3 (3): birth date 2007-01-16 makes him 7 on July 1 of 2014, when he played professionally (possible: 15-50)',
    );
    expect(r.flags.find((f) => f.playerId === 1)?.detail).toBe('Player 1 (1): birth date 1950-01-01 is a placeholder');
    expect([...r.bios.values()].map((b) => [b.playerId, b.birthDate])).toEqual([
      [1, null],
      [2, null],
      [3, null],
      [4, null],
      [5, '1992-05-04'],
      [6, null],
    ]);
    // The input is not changed.
    expect(bios.get(1)?.birthDate).toBe('1950-01-01');
  });

  it('judges an implausible age only against seasons the player played in this batch', () => {
    const bios = new Map([[9, bio(9, '1999-08-01')]]);
    // 15 on July 1, 2015: fine; the same birth date in a 2014 line would make him 14.
    expect(screenBirthDates(bios, [hitter(9)]).flags).toEqual([]);
    expect(screenBirthDates(bios, [{ ...hitter(9), season: 2014 }]).flags.map((f) => f.rule)).toEqual([
      'implausible_birth_date',
    ]);
  });

  it('judges a fetched bio against the seasons already stored for its player, so a bio refresh (no lines) cannot restore an impossible date', () => {
    const bios = new Map([
      [3, bio(3, '2007-01-16')],
      [5, bio(5, '1992-05-04')],
      [7, bio(7, '1950-06-01')],
    ]);
    // Player 3 played 2005-2007; 5 played 2010-2015; 7 played 1970-2001 (51 on July 1, 2001).
    const stored = new Map([
      [3, { first: 2005, last: 2007 }],
      [5, { first: 2010, last: 2015 }],
      [7, { first: 1970, last: 2001 }],
    ]);
    const r = screenBirthDates(bios, [], stored);
    expect(r.flags.map((f) => [f.playerId, f.rule]).sort()).toEqual([
      [3, 'implausible_birth_date'],
      [7, 'implausible_birth_date'],
    ]);
    expect(r.flags.find((f) => f.playerId === 3)?.detail).toBe(
      'Player 3 (3): birth date 2007-01-16 makes him -2 on July 1 of 2005, when he played professionally (possible: 15-50)',
    );
    expect(r.flags.find((f) => f.playerId === 7)?.detail).toContain('makes him 51 on July 1 of 2001');
    expect([...r.bios.values()].map((b) => [b.playerId, b.birthDate])).toEqual([
      [3, null],
      [5, '1992-05-04'],
      [7, null],
    ]);
    // Without the stored seasons the same batch passes every date: the gap this closes.
    expect(screenBirthDates(bios, []).flags).toEqual([]);
  });

  it('then validation keeps the line of a player whose birth date was a placeholder (flagged no_birth_date)', () => {
    const line = hitter(1);
    const { bios } = screenBirthDates(new Map([[1, bio(1, '1950-01-01')]]), [line]);
    const v = validateSeasonLines({ season: SEASON, lines: [line], bios });
    expect(v.accepted).toEqual([line]);
    expect(v.rejects).toEqual([]);
    expect(v.flags.map((f) => f.rule)).toEqual(['no_birth_date']);
  });
});

const REALDATA = '/work/shared/realdata';
const realdata = existsSync(`${REALDATA}/people.json.gz`);

describe.skipIf(!realdata)(
  'screenBirthDates on ../shared/realdata (skipped where the shared real data is not present)',
  () => {
    it('no 2005-2007 line is lost to a birth date; the placeholders become unknown', () => {
      const read = (p: string): unknown => JSON.parse(gunzipSync(readFileSync(`${REALDATA}/${p}`)).toString());
      const bios = new Map(parsePeople(read('people.json.gz')).map((b) => [b.playerId, b]));
      const flags = [];
      for (const season of [2005, 2006, 2007]) {
        const lines = (['hitting', 'pitching'] as const).flatMap(
          (g) => parseStatSplits(read(`stats/${season}-${g}.json.gz`), g).lines,
        );
        const screened = screenBirthDates(bios, lines);
        for (const f of screened.flags) flags.push(f);
        const v = validateSeasonLines({ season, lines, bios: screened.bios });
        // What is left are count faults (pa_accounting and the like), never an age.
        expect(v.rejects.filter((r) => /birth|age/.test(r.rule))).toEqual([]);
        expect(v.rejects.length).toBeLessThan(5);
      }
      const placeholders = new Set(flags.filter((f) => f.rule === 'placeholder_birth_date').map((f) => f.playerId));
      expect(placeholders.size).toBeGreaterThanOrEqual(10);
      expect(flags.some((f) => f.rule === 'implausible_birth_date' && f.birthDate.startsWith('2007'))).toBe(true);
    });
  },
);
