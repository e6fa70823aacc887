// Every way parseTeams and parseDraft turn a record down names what is missing, and the lenient readings (digit
// strings for ids, a season or year from the request or the draft, a blank league) are kept as documented.
import { describe, expect, it } from 'vitest';
import type { ParseReject } from './parse-reject.ts';
import { parseDraft, parseTeams } from './parse.ts';

function collect() {
  const rejects: ParseReject[] = [];
  return { rejects, onReject: (r: ParseReject) => rejects.push(r) };
}

const team = {
  id: 512,
  name: 'Syracuse Mets',
  sport: { id: 11 },
  season: 2019,
  parentOrgId: 121,
  league: { name: 'International League' },
};

describe('parseTeams rejects', () => {
  it.each([
    ['not an object', 'a team', 'team without not an object'],
    ['no id', { ...team, id: undefined }, 'team without id'],
    ['a zero id', { ...team, id: 0 }, 'team without id'],
    ['no sport', { ...team, sport: undefined }, 'team without sport.id'],
    ['no season anywhere', { ...team, season: undefined }, 'team without season'],
    ['no name', { ...team, name: undefined }, 'team without name'],
  ] as const)('a team with %s', (_what, raw, reason) => {
    const { rejects, onReject } = collect();
    expect(parseTeams({ teams: [raw] }, { onReject })).toEqual({ organizations: [], affiliates: [] });
    expect(rejects).toEqual([{ reason, raw }]);
  });

  it('a team with a field of the wrong type is rejected with its path', () => {
    const { rejects, onReject } = collect();
    const raw = { ...team, parentOrgId: 'the Mets' };
    expect(parseTeams({ teams: [raw] }, { onReject }).affiliates).toEqual([]);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]?.reason).toMatch(/^team 512 shape: parentOrgId: /);
  });

  it("takes digit-string ids, the request's season, a bare array, and makes a blank league and no parent null", () => {
    const { rejects, onReject } = collect();
    const parsed = parseTeams([{ id: '600', name: 'Independent Club', sport: { id: '16' }, league: { name: '  ' } }], {
      season: 2021,
      onReject,
    });
    expect(rejects).toEqual([]);
    expect(parsed).toEqual({
      organizations: [],
      affiliates: [{ teamId: 600, season: 2021, sportId: 16, name: 'Independent Club', orgId: null, league: null }],
    });
  });

  it('an MLB club without an abbreviation gets an empty one', () => {
    const parsed = parseTeams({ teams: [{ id: 121, name: 'New York Mets', sport: { id: 1 }, season: '2019' }] });
    expect(parsed.organizations).toEqual([{ orgId: 121, name: 'New York Mets', abbreviation: '' }]);
    expect(parsed.affiliates).toEqual([
      { teamId: 121, season: 2019, sportId: 1, name: 'New York Mets', orgId: 121, league: null },
    ]);
  });
});

const pick = {
  pickNumber: 5,
  pickRound: '1',
  year: 2016,
  person: { id: 700 },
  team: { id: 121 },
  school: { name: 'Some College' },
};
const draft = (...picks: unknown[]) => ({ drafts: { draftYear: 2016, rounds: [{ round: '1', picks }] } });

describe('parseDraft rejects', () => {
  it.each([
    ['not an object', 7, 'pick is not an object'],
    ['no person', { ...pick, person: undefined }, 'a pick without person.id'],
    ['no pick number', { ...pick, pickNumber: undefined }, 'a pick without pickNumber'],
  ] as const)('a pick with %s', (_what, raw, reason) => {
    const { rejects, onReject } = collect();
    expect(parseDraft(draft(raw), onReject)).toEqual([]);
    expect(rejects).toEqual([{ reason, raw }]);
  });

  it('a pick without a year when the draft has none either, and without any round name', () => {
    const { rejects, onReject } = collect();
    const noYear = { ...pick, year: undefined };
    const noRound = { ...pick, pickRound: undefined };
    expect(parseDraft({ drafts: { rounds: [{ picks: [noYear] }] } }, onReject)).toEqual([]);
    expect(parseDraft({ drafts: { draftYear: 2016, rounds: [{ picks: [noRound] }] } }, onReject)).toEqual([]);
    expect(rejects).toEqual([
      { reason: 'a pick without year', raw: noYear },
      { reason: 'a pick without round', raw: noRound },
    ]);
  });

  it('a pick with a field of the wrong type is rejected with its path', () => {
    const { rejects, onReject } = collect();
    expect(parseDraft(draft({ ...pick, isPass: 'no' }), onReject)).toEqual([]);
    expect(rejects[0]?.reason).toMatch(/^draft pick 5 shape: isPass: /);
  });

  it("takes the draft's year and the round's name when a pick lacks them, and no school or team as null", () => {
    const { rejects, onReject } = collect();
    const bare = { pickNumber: '12', person: { id: '701' } };
    expect(parseDraft(draft(bare), onReject)).toEqual([
      { playerId: 701, year: 2016, round: '1', pickNumber: 12, orgId: null, school: null },
    ]);
    expect(parseDraft(draft(pick), onReject)).toEqual([
      { playerId: 700, year: 2016, round: '1', pickNumber: 5, orgId: 121, school: 'Some College' },
    ]);
    expect(rejects).toEqual([]);
  });
});
