/**
 * For tests: writes a tiny recorded archive (the layout of ../shared/realdata) to a directory. Seasons 2005 (MLB
 * only) and 2006 (MLB, Triple-A, Double-A, Single-A, Rookie), eight players, one of them traded within Double-A (two
 * team rows and the aggregate row with numTeams, as the real API sends him). Counts add up, so every line is loadable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface TinyArchive {
  dir: string;
  /** Split counts per file, e.g. '2006-hitting' → 9. */
  splits: Record<string, number>;
  /** Splits per (season-group, sport id). */
  bySport: (file: string, sportId: number) => number;
}

const hitting = (pa: number) => {
  const bb = Math.round(pa * 0.09);
  const hbp = 3;
  const sf = 2;
  const sac = 1;
  const ab = pa - bb - hbp - sf - sac;
  return {
    gamesPlayed: Math.round(pa / 4),
    plateAppearances: pa,
    atBats: ab,
    hits: Math.round(ab * 0.27),
    homeRuns: Math.round(pa / 60),
    baseOnBalls: bb,
    strikeOuts: Math.round(pa * 0.2),
    hitByPitch: hbp,
    sacBunts: sac,
    sacFlies: sf,
    stolenBases: 4,
  };
};
const pitching = (outs: number) => {
  const hits = Math.round(outs * 0.3);
  const bb = Math.round(outs * 0.1);
  const hbp = 2;
  const ip = `${Math.floor(outs / 3)}.${outs % 3}`;
  return {
    gamesPlayed: 25,
    gamesStarted: 20,
    outs,
    inningsPitched: ip,
    battersFaced: outs + hits + bb + hbp,
    strikeOuts: Math.round(outs * 0.3),
    hits,
    baseOnBalls: bb,
    hitBatsmen: hbp,
    earnedRuns: Math.round(outs / 7),
    homeRuns: Math.round(outs / 40),
  };
};

type Split = Record<string, unknown>;
const line = (
  season: number,
  playerId: number,
  sportId: number,
  teamId: number | null,
  stat: object,
  extra: object = {},
): Split => ({
  season: String(season),
  player: { id: playerId, fullName: `Player ${playerId}` },
  sport: { id: sportId },
  ...(teamId === null ? {} : { team: { id: teamId, name: `Team ${teamId}` } }),
  gameType: 'R',
  stat,
  ...extra,
});

const SPLITS: Record<string, Split[]> = {
  '2005-hitting': [line(2005, 1001, 1, null, hitting(520))],
  '2005-pitching': [line(2005, 1002, 1, null, pitching(540))],
  '2006-hitting': [
    line(2006, 1001, 1, null, hitting(600)),
    line(2006, 1003, 12, 201, hitting(450)),
    line(2006, 1004, 14, 301, hitting(380)),
    // Traded within Double-A: the aggregate row first (file order is not sorted), then his two team rows.
    line(2006, 1005, 12, null, hitting(500), { numTeams: 2 }),
    line(2006, 1005, 12, 201, hitting(200)),
    line(2006, 1005, 12, 202, hitting(300)),
    line(2006, 1006, 16, 401, hitting(150)),
    line(2006, 1007, 11, 501, hitting(410)),
  ],
  '2006-pitching': [
    line(2006, 1002, 1, null, pitching(560)),
    line(2006, 1008, 11, 501, pitching(420)),
    line(2006, 1003, 12, 202, pitching(9)),
    // Every minor level with batters has pitchers too (the circuit breaker expects both groups of such a level).
    line(2006, 1004, 14, 301, pitching(300)),
    line(2006, 1006, 16, 401, pitching(120)),
  ],
};

const team = (id: number, season: number, sportId: number, parentOrgId?: number) => ({
  id,
  name: `Team ${id}`,
  abbreviation: `T${id}`,
  season,
  sport: { id: sportId },
  league: { id: 500, name: 'XL' },
  ...(parentOrgId ? { parentOrgId } : {}),
});

/**
 * @param options.emptyMlbSeasons seasons to record as MLB seasons without a line (stats files with no splits, teams
 * with the two organizations), for a run whose lead seasons reach before 2005 (the command line's five).
 */
export function writeTinyArchive(dir: string, options: { emptyMlbSeasons?: readonly number[] } = {}): TinyArchive {
  mkdirSync(path.join(dir, 'stats'), { recursive: true });
  mkdirSync(path.join(dir, 'teams'), { recursive: true });
  const gz = (file: string, body: unknown) => writeFileSync(path.join(dir, file), gzipSync(JSON.stringify(body)));
  for (const [name, splits] of Object.entries(SPLITS)) {
    const group = name.endsWith('hitting') ? 'hitting' : 'pitching';
    gz(`stats/${name}.json.gz`, {
      copyright: 'test',
      stats: [{ type: { displayName: 'season' }, group: { displayName: group }, totalSplits: splits.length, splits }],
    });
  }
  const people = [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008].map((id, i) => ({
    id,
    fullName: `Player ${id}`,
    firstName: 'Player',
    lastName: String(id),
    birthDate: `${1980 + i}-05-0${1 + (i % 9)}`,
    batSide: { code: 'R' },
    pitchHand: { code: 'R' },
    primaryPosition: {
      code: id === 1002 || id === 1008 ? '1' : 'O',
      abbreviation: id === 1002 || id === 1008 ? 'P' : 'OF',
    },
  }));
  gz('people.json.gz', { copyright: 'test', people });
  const orgs = [team(100, 2005, 1), team(101, 2005, 1)];
  gz('teams/2005.json.gz', { copyright: 'test', teams: orgs });
  gz('teams/2006.json.gz', {
    copyright: 'test',
    teams: [
      ...orgs.map((t) => ({ ...t, season: 2006 })),
      team(201, 2006, 12, 100),
      team(202, 2006, 12, 101),
      team(301, 2006, 14, 100),
      team(401, 2006, 16, 101),
      team(501, 2006, 11, 100),
    ],
  });
  for (const season of options.emptyMlbSeasons ?? []) {
    for (const group of ['hitting', 'pitching']) {
      gz(`stats/${season}-${group}.json.gz`, {
        copyright: 'test',
        stats: [{ type: { displayName: 'season' }, group: { displayName: group }, totalSplits: 0, splits: [] }],
      });
    }
    gz(`teams/${season}.json.gz`, { copyright: 'test', teams: orgs.map((t) => ({ ...t, season })) });
  }
  writeFileSync(
    path.join(dir, 'sports.json'),
    JSON.stringify({
      copyright: 'test',
      sports: [1, 11, 12, 13, 14, 15, 16, 5442].map((id) => ({ id, name: `Sport ${id}`, active: true })),
    }),
  );
  const splits = Object.fromEntries(Object.entries(SPLITS).map(([k, v]) => [k, v.length]));
  const bySport = (file: string, sportId: number) =>
    (SPLITS[file] ?? []).filter((s) => (s.sport as { id: number }).id === sportId).length;
  return { dir, splits, bySport };
}
