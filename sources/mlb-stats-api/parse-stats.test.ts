import { describe, expect, it } from 'vitest';
import type { HittingCounts, PitchingCounts } from '../../lib/domain.ts';
import { outsFromInnings, parseStatSplits } from './parse.ts';
import {
  HYDRATED_PEOPLE,
  OHTANI_SEASON_CAREER,
  SOTO_SEASON_CAREER,
  fixturesAvailable,
  readFixture,
} from './test-fixtures.ts';

describe.skipIf(!fixturesAvailable)('parseStatSplits on real recorded responses', () => {
  it('reads /people?hydrate=stats(yearByYear): one line per player, season and level, traded seasons counted once', () => {
    const body = readFixture(HYDRATED_PEOPLE);
    const hitting = parseStatSplits(body, 'hitting');
    expect(hitting.rejects).toEqual([]);
    expect(hitting.lines).toHaveLength(73);
    expect(hitting.summary.superseded).toBe(81 - 73);
    // Roger Bernadina 2013: Nationals 167 PA + Phillies 83 PA, and the aggregate row of 250 PA without a team.
    const bernadina = hitting.lines.filter((l) => l.playerId === 465668 && l.season === 2013);
    expect(bernadina).toHaveLength(1);
    expect(bernadina[0]).toMatchObject({ sportId: 1, teamId: 143, group: 'hitting' });
    expect((bernadina[0]?.stats as HittingCounts).plateAppearances).toBe(250);
  });

  it('takes innings from "30.2" notation when a pitching row has no outs', () => {
    const pitching = parseStatSplits(readFixture(HYDRATED_PEOPLE), 'pitching');
    expect(pitching.rejects).toEqual([]);
    expect(pitching.lines).toHaveLength(29);
    const jurrjens = pitching.lines.find((l) => l.playerId === 457453 && l.season === 2007);
    expect((jurrjens?.stats as PitchingCounts).outs).toBe(92);
    expect((jurrjens?.stats as PitchingCounts).battersFaced).toBe(122);
  });

  it("reads only season containers of /people/{id}/stats and keeps a traded season's aggregate", () => {
    const soto = parseStatSplits(readFixture(SOTO_SEASON_CAREER), 'hitting');
    expect(soto.rejects).toEqual([]);
    expect(soto.lines).toHaveLength(1);
    expect(soto.lines[0]).toMatchObject({ playerId: 665742, season: 2022, sportId: 1, teamId: 135 });
    expect((soto.lines[0]?.stats as HittingCounts).plateAppearances).toBe(664);
    const ohtani = parseStatSplits(readFixture(OHTANI_SEASON_CAREER), 'pitching');
    expect(ohtani.lines).toHaveLength(1);
    expect(ohtani.lines[0]?.stats).toMatchObject({ outs: 498, battersFaced: 660, strikeOuts: 219 });
    expect(parseStatSplits(readFixture(OHTANI_SEASON_CAREER), 'hitting').lines).toEqual([]);
  });
});

const hitStat = (o: Partial<Record<string, unknown>> = {}) => ({
  gamesPlayed: 100,
  plateAppearances: 400,
  atBats: 350,
  hits: 90,
  doubles: 20,
  triples: 2,
  homeRuns: 10,
  baseOnBalls: 40,
  intentionalWalks: 2,
  hitByPitch: 5,
  strikeOuts: 80,
  stolenBases: 5,
  caughtStealing: 2,
  sacFlies: 3,
  avg: '.257',
  ...o,
});
const split = (o: Record<string, unknown> = {}, stat: Record<string, unknown> = hitStat()) => ({
  season: '2019',
  stat,
  team: { id: 5001, name: 'Akron Aviators' },
  player: { id: 600001, fullName: 'A B' },
  sport: { id: 12 },
  ...o,
});

describe('parseStatSplits quirks', () => {
  it('ignores rate placeholders and recomputable strings', () => {
    const r = parseStatSplits(
      [split({}, hitStat({ avg: '.---', obp: '-.--', atBatsPerHomeRun: '-.--', groundOutsToAirouts: '*.**' }))],
      'hitting',
    );
    expect(r.rejects).toEqual([]);
    expect(r.lines[0]?.stats).toMatchObject({ atBats: 350, hits: 90 });
  });

  it('counts byte-identical duplicate rows once', () => {
    const r = parseStatSplits([split(), split()], 'hitting');
    expect(r.lines).toHaveLength(1);
    expect(r.summary.duplicates).toBe(1);
  });

  it('keeps the aggregate of a traded player, with the last team seen, wherever the rows sit', () => {
    const a = split(
      { team: { id: 5001 } },
      hitStat({ plateAppearances: 100, atBats: 85, hits: 20, strikeOuts: 20, baseOnBalls: 7, doubles: 4, homeRuns: 2 }),
    );
    const b = split(
      { team: { id: 5002 } },
      hitStat({
        plateAppearances: 300,
        atBats: 265,
        hits: 70,
        strikeOuts: 60,
        baseOnBalls: 27,
        doubles: 16,
        homeRuns: 8,
      }),
    );
    const agg = split({ team: undefined, numTeams: 2 });
    const r = parseStatSplits([a, agg, b], 'hitting');
    expect(r.rejects).toEqual([]);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ teamId: 5002, stats: { plateAppearances: 400 } });
    expect(r.summary.superseded).toBe(2);
  });

  it('sums per-team rows when no aggregate came with them', () => {
    const a = split(
      { team: { id: 5001 } },
      hitStat({ plateAppearances: 100, atBats: 85, hits: 20, strikeOuts: 20, baseOnBalls: 7, doubles: 4, homeRuns: 2 }),
    );
    const b = split(
      { team: { id: 5002 } },
      hitStat({
        plateAppearances: 300,
        atBats: 265,
        hits: 70,
        strikeOuts: 60,
        baseOnBalls: 27,
        doubles: 16,
        homeRuns: 8,
      }),
    );
    const r = parseStatSplits([a, b], 'hitting');
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ teamId: 5002, stats: { plateAppearances: 400, atBats: 350, hits: 90 } });
  });

  it('rejects impossible values with a precise reason and the raw row', () => {
    const negative = split({}, hitStat({ strikeOuts: -4 }));
    const tooManyHits = split({ player: { id: 600002 } }, hitStat({ hits: 360 }));
    const paUnderAb = split({ player: { id: 600003 } }, hitStat({ plateAppearances: 340 }));
    const r = parseStatSplits([negative, tooManyHits, paUnderAb], 'hitting');
    expect(r.lines).toEqual([]);
    expect(r.rejects.map((x) => x.reason)).toEqual([
      'negative strikeOuts (-4) (player 600001, season 2019, sport 12)',
      'hits (360) exceed atBats (350) (player 600002, season 2019, sport 12)',
      'atBats (350) exceed plateAppearances (340) (player 600003, season 2019, sport 12)',
    ]);
    expect(r.rejects[0]?.raw).toBe(negative);
  });

  it('rejects rows without player id, season or a core count; defaults optional counts to 0', () => {
    const noId = split({ player: { fullName: 'Nobody' } });
    const noSeason = split({ season: undefined, player: { id: 600004 } });
    const noPa = split({ player: { id: 600005 } }, hitStat({ plateAppearances: undefined }));
    const partial = split(
      { player: { id: 600006 } },
      hitStat({ intentionalWalks: undefined, sacFlies: undefined, caughtStealing: undefined }),
    );
    const r = parseStatSplits([noId, noSeason, noPa, partial], 'hitting');
    expect(r.rejects.map((x) => x.reason)).toEqual([
      'missing player id (player.id)',
      'missing or invalid season undefined',
      'missing plateAppearances (player 600005, season 2019, sport 12)',
    ]);
    expect(r.lines[0]).toMatchObject({
      playerId: 600006,
      stats: { intentionalWalks: 0, sacFlies: 0, caughtStealing: 0 },
    });
  });

  it('reads the drifted shape: numeric season and `person` instead of `player`', () => {
    const drifted = { ...split(), season: 2019, player: undefined, person: { id: 600007 } };
    const r = parseStatSplits({ stats: [{ group: { displayName: 'hitting' }, splits: [drifted] }] }, 'hitting');
    expect(r.lines[0]).toMatchObject({ playerId: 600007, season: 2019 });
  });

  it('skips containers of the other group', () => {
    const body = {
      stats: [{ group: { displayName: 'pitching' }, type: { displayName: 'season' }, splits: [split()] }],
    };
    expect(parseStatSplits(body, 'hitting')).toMatchObject({ lines: [], rejects: [] });
  });
});

describe('outsFromInnings', () => {
  it('reads baseball notation: the digit after the point is outs', () => {
    expect(outsFromInnings('166.2')).toBe(500);
    expect(outsFromInnings('0.1')).toBe(1);
    expect(outsFromInnings('12')).toBe(36);
    expect(outsFromInnings('12.5')).toBeNull();
    expect(outsFromInnings('-.--')).toBeNull();
  });
});
