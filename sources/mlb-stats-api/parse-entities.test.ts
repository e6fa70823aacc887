import { describe, expect, it } from 'vitest';
import { parseDraft, parsePeople, parseTeams, type ParseReject } from './parse.ts';
import { ONE_PERSON, SPORT_1_PLAYERS, fixturesAvailable, readFixture } from './test-fixtures.ts';

describe.skipIf(!fixturesAvailable)('parsePeople on real recorded responses', () => {
  it('reads /sports/1/players into bios', () => {
    const bios = parsePeople(readFixture(SPORT_1_PLAYERS));
    expect(bios).toHaveLength(11);
    expect(bios[0]).toEqual({
      playerId: 676265,
      fullName: 'Cory Abbott',
      birthDate: '1995-09-20',
      primaryPosition: 'P',
      batSide: 'R',
      pitchHand: 'R',
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
    const bios = parsePeople(
      { people: [{ fullName: 'No Id' }, { id: 5, firstName: 'Only', lastName: 'Names', birthDate: 'unknown' }] },
      (r) => rejects.push(r),
    );
    expect(rejects.map((r) => r.reason)).toEqual(['person without a positive integer id']);
    expect(bios).toEqual([
      {
        playerId: 5,
        fullName: 'Only Names',
        birthDate: null,
        primaryPosition: null,
        batSide: null,
        pitchHand: null,
        mlbDebutDate: null,
      },
    ]);
  });
});

describe('parseTeams', () => {
  it("makes MLB clubs organizations of themselves, affiliates point at parentOrgId, and reads each team's league", () => {
    const body = {
      teams: [
        { id: 3001, name: 'Portland Pioneers', abbreviation: 'POR', season: 2019, sport: { id: 1 } },
        {
          id: 5001,
          name: 'Akron Aviators',
          season: 2019,
          sport: { id: 11 },
          parentOrgId: 3001,
          league: { id: 117, name: 'IL' },
        },
        { id: 9000, name: 'Independent Club', sport: { id: 23 } },
        { name: 'No Id', sport: { id: 11 } },
      ],
    };
    const rejects: ParseReject[] = [];
    const parsed = parseTeams(body, { season: 2019, onReject: (r) => rejects.push(r) });
    expect(parsed.organizations).toEqual([{ orgId: 3001, name: 'Portland Pioneers', abbreviation: 'POR' }]);
    expect(parsed.affiliates).toEqual([
      { teamId: 3001, season: 2019, sportId: 1, name: 'Portland Pioneers', orgId: 3001, league: null },
      { teamId: 5001, season: 2019, sportId: 11, name: 'Akron Aviators', orgId: 3001, league: 'IL' },
      { teamId: 9000, season: 2019, sportId: 23, name: 'Independent Club', orgId: null, league: null },
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
              {
                pickRound: '1',
                pickNumber: 1,
                person: { id: 600001 },
                team: { id: 3001 },
                school: { name: 'Coastal HS (CA)' },
                year: '2019',
              },
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

describe('shape checks of people, teams and draft responses', () => {
  const collect = () => {
    const rejects: ParseReject[] = [];
    return {
      rejects,
      onReject: (r: ParseReject) => {
        rejects.push(r);
      },
    };
  };

  it('rejects a whole body that is not the expected container, with the reason, instead of parsing to nothing', () => {
    const people = collect();
    expect(parsePeople({ persons: [{ id: 1, fullName: 'A B' }] }, people.onReject)).toEqual([]);
    expect(people.rejects).toEqual([
      {
        reason: 'people response shape: people: Invalid input: expected array, received undefined',
        raw: { persons: [{ id: 1, fullName: 'A B' }] },
      },
    ]);
    const teams = collect();
    expect(parseTeams({ teams: 'none' }, { onReject: teams.onReject })).toEqual({ organizations: [], affiliates: [] });
    expect(teams.rejects.map((r) => r.reason)).toEqual([
      'teams response shape: teams: Invalid input: expected array, received string',
    ]);
    const draft = collect();
    expect(parseDraft({ drafts: { draftYear: 2006 } }, draft.onReject)).toEqual([]);
    expect(draft.rejects.map((r) => r.reason)).toEqual([
      'draft response shape: drafts.rounds: Invalid input: expected array, received undefined',
    ]);
  });

  it('accepts a draft year with no rounds (the recorded archive) without a reject', () => {
    const draft = collect();
    expect(parseDraft({ drafts: { draftYear: 2006, rounds: [] } }, draft.onReject)).toEqual([]);
    expect(draft.rejects).toEqual([]);
  });

  it('rejects a record whose fields have the wrong type, naming the path, and keeps the others', () => {
    const people = collect();
    const bios = parsePeople(
      {
        people: [
          { id: 7, fullName: 'Good One', birthDate: '1950-01-01' },
          { id: 8, fullName: 'Bad Hand', pitchHand: 'R' },
        ],
      },
      people.onReject,
    );
    expect(bios.map((b) => b.playerId)).toEqual([7]);
    expect(people.rejects.map((r) => r.reason)).toEqual([
      'person 8 shape: pitchHand: Invalid input: expected object, received string',
    ]);
    const teams = collect();
    const parsed = parseTeams(
      {
        teams: [
          { id: 1, name: 'Club', sport: { id: 1 }, season: 2006, abbreviation: 12 },
          { id: 2, name: 'Other', sport: { id: 1 }, season: 2006 },
        ],
      },
      { onReject: teams.onReject },
    );
    expect(parsed.organizations.map((o) => o.orgId)).toEqual([2]);
    expect(teams.rejects.map((r) => r.reason)).toEqual([
      'team 1 shape: abbreviation: Invalid input: expected string, received number',
    ]);
    const draft = collect();
    const picks = parseDraft(
      {
        drafts: {
          draftYear: 2006,
          rounds: [{ round: '1', picks: [{ pickNumber: 3, pickRound: '1', person: { id: 9 }, school: 'Coastal HS' }] }],
        },
      },
      draft.onReject,
    );
    expect(picks).toEqual([]);
    expect(draft.rejects.map((r) => r.reason)).toEqual([
      'draft pick 3 shape: school: Invalid input: expected object, received string',
    ]);
  });
});
