// Rejects of every entity a batch carries keep their entity name, and a season line's cell is read from whatever
// level id the broken split still has.
import { describe, expect, it } from 'vitest';
import { parseBatchResponses } from './batch-responses.ts';

const BASE = 'http://sample.test/api/v1';
const SEASON = 2016;
const hittingStat = {
  gamesPlayed: 30,
  plateAppearances: 120,
  atBats: 105,
  hits: 30,
  homeRuns: 3,
  baseOnBalls: 12,
  strikeOuts: 25,
};
const stats = (group: 'hitting' | 'pitching', ...splits: unknown[]) => ({
  url: `${BASE}/stats?stats=season&group=${group}&sportIds=11&season=${SEASON}`,
  body: { stats: [{ splits }] },
});

describe('parseBatchResponses rejects', () => {
  it('names people, teams and draft picks that cannot be used, with their reasons', () => {
    const batch = parseBatchResponses(
      [
        {
          url: `${BASE}/people?personIds=1,2`,
          body: { people: [{ id: 1, fullName: 'Kept Player' }, { fullName: 'No Id' }] },
        },
        { url: `${BASE}/teams?sportId=11&season=${SEASON}`, body: { teams: [{ id: 512, sport: { id: 11 } }] } },
        {
          url: `${BASE}/draft/${SEASON}`,
          body: {
            drafts: { draftYear: SEASON, rounds: [{ round: '1', picks: [{ pickRound: '1', person: { id: 9 } }] }] },
          },
        },
      ],
      SEASON,
    );
    expect(batch.bios.map((b) => b.playerId)).toEqual([1]);
    expect(batch.teams).toEqual([{ organizations: [], affiliates: [] }]);
    expect(batch.picks).toEqual([]);
    expect(batch.rejects.map((r) => [r.entity, r.reason])).toEqual([
      ['player', expect.stringMatching(/id/)],
      ['team', 'team without name'],
      ['draft_pick', 'a pick without pickNumber'],
    ]);
    expect(batch.rejects.every((r) => r.cell === undefined && r.cause === undefined)).toBe(true);
  });

  it('gives a parser reject of each group its cell, reading a digit-string level id, and its cause', () => {
    const split = (stat: unknown, sport: unknown) => ({
      season: String(SEASON),
      player: { id: 7 },
      sport,
      team: { id: 3 },
      stat,
    });
    const batch = parseBatchResponses(
      [
        stats('hitting', split({ ...hittingStat, hits: 200 }, { id: 11 })),
        stats(
          'pitching',
          split(
            { gamesPlayed: 3, battersFaced: 20, hits: 30, homeRuns: 0, baseOnBalls: 0, strikeOuts: 0, outs: 12 },
            { id: 11 },
          ),
        ),
      ],
      SEASON,
    );
    expect(batch.minorsAsked).toBe(true);
    expect(batch.rejects.map((r) => ({ entity: r.entity, cell: r.cell, cause: r.cause }))).toEqual([
      {
        entity: 'season_line',
        cell: { season: SEASON, sportId: 11, group: 'hitting' },
        cause: { field: 'stat.hits', rule: 'inconsistent_counts' },
      },
      {
        entity: 'season_line',
        cell: { season: SEASON, sportId: 11, group: 'pitching' },
        cause: expect.objectContaining({ rule: 'inconsistent_counts' }),
      },
    ]);
  });

  it('a shape reject with a digit-string level keeps the level; one with none has a null level', () => {
    const broken = (sport: unknown) => ({
      season: String(SEASON),
      player: { id: 7 },
      sport,
      team: { id: 3 },
      stat: 'none',
    });
    const batch = parseBatchResponses([stats('hitting', broken({ id: '12' }), broken(undefined))], SEASON);
    expect(batch.shapeRejected).toBe(2);
    expect(batch.rejects.map((r) => r.cell)).toEqual([
      { season: SEASON, sportId: 12, group: 'hitting' },
      { season: SEASON, sportId: null, group: 'hitting' },
    ]);
  });
});
