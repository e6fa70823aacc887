import { describe, expect, it } from 'vitest';
import { parseDraft, parsePeople, parseTeams, type ParseReject } from './parse.ts';
import { ONE_PERSON, SPORT_1_PLAYERS, fixturesAvailable, readFixture } from './test-fixtures.ts';

describe.skipIf(!fixturesAvailable)('parsePeople on real recorded responses', () => {
  it('reads /sports/1/players into bios', () => {
    const bios = parsePeople(readFixture(SPORT_1_PLAYERS));
    expect(bios).toHaveLength(11);
    expect(bios[0]).toEqual({
      playerId: 676265, fullName: 'Cory Abbott', birthDate: '1995-09-20', primaryPosition: 'P', batSide: 'R', pitchHand: 'R',
      mlbDebutDate: '2021-06-05',
    });
  });

  it('reads /people/{id}', () => {
    expect(parsePeople(readFixture(ONE_PERSON)).map((b) => b.playerId)).toEqual([676265]);
  });
});

describe('parsePeople', () => {
  it('reports people without an id and makes missing optional fields null', () => {
    const rejects: ParseReject[] = [];
    const bios = parsePeople({ people: [{ fullName: 'No Id' }, { id: 5, firstName: 'Only', lastName: 'Names', birthDate: 'unknown' }] }, (r) => rejects.push(r));
    expect(rejects.map((r) => r.reason)).toEqual(['person without a positive integer id']);
    expect(bios).toEqual([{ playerId: 5, fullName: 'Only Names', birthDate: null, primaryPosition: null, batSide: null, pitchHand: null, mlbDebutDate: null }]);
  });
});

describe('parseTeams', () => {
  it('makes MLB clubs organizations of themselves and affiliates point at parentOrgId', () => {
    const body = {
      teams: [
        { id: 3001, name: 'Portland Pioneers', abbreviation: 'POR', season: 2019, sport: { id: 1 } },
        { id: 5001, name: 'Akron Aviators', season: 2019, sport: { id: 11 }, parentOrgId: 3001 },
        { id: 9000, name: 'Independent Club', sport: { id: 23 } },
        { name: 'No Id', sport: { id: 11 } },
      ],
    };
    const rejects: ParseReject[] = [];
    const parsed = parseTeams(body, { season: 2019, onReject: (r) => rejects.push(r) });
    expect(parsed.organizations).toEqual([{ orgId: 3001, name: 'Portland Pioneers', abbreviation: 'POR' }]);
    expect(parsed.affiliates).toEqual([
      { teamId: 3001, season: 2019, sportId: 1, name: 'Portland Pioneers', orgId: 3001 },
      { teamId: 5001, season: 2019, sportId: 11, name: 'Akron Aviators', orgId: 3001 },
      { teamId: 9000, season: 2019, sportId: 23, name: 'Independent Club', orgId: null },
    ]);
    expect(rejects.map((r) => r.reason)).toEqual(['team without id']);
  });
});

describe('parseDraft', () => {
  it('reads drafts.rounds[].picks[] and reports passes', () => {
    const body = {
      drafts: {
        draftYear: 2019,
        rounds: [
          {
            round: '1',
            picks: [
              { pickRound: '1', pickNumber: 1, person: { id: 600001 }, team: { id: 3001 }, school: { name: 'Coastal HS (CA)' }, year: '2019' },
              { pickRound: '1', pickNumber: 2, isPass: true, team: { id: 3002 } },
            ],
          },
          { round: 'C-A', picks: [{ pickRound: 'C-A', pickNumber: 31, person: { id: 600002 } }] },
        ],
      },
    };
    const rejects: ParseReject[] = [];
    expect(parseDraft(body, (r) => rejects.push(r))).toEqual([
      { playerId: 600001, year: 2019, round: '1', pickNumber: 1, orgId: 3001, school: 'Coastal HS (CA)' },
      { playerId: 600002, year: 2019, round: 'C-A', pickNumber: 31, orgId: null, school: null },
    ]);
    expect(rejects.map((r) => r.reason)).toEqual(['a passed pick (no person)']);
  });
});
