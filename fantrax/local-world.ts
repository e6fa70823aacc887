/**
 * A deterministic Fantrax world built from our own players, for `npm start` and the tests: one demo user (Secret ID
 * `DEMO_SECRET_ID`) in a 12-team league where most teams roster some of our ranked prospects and MLB players, the
 * demo user's team with ~8 minor leaguers, and names in Fantrax style ("Last, First", team abbreviations as Fantrax
 * spells them) with some noise (accents dropped, a Jr. suffix, a nickname or two, players we do not know) so that
 * matching meets certain and uncertain cases.
 */
import { normalizeName } from './match.ts';
import type { FantraxWorld, WorldPlayer, WorldRosterItem } from './world.ts';

export const DEMO_SECRET_ID = 'afwd-demo-0000-fantrax-secret';
export const DEMO_LEAGUE_ID = 'afwd-demo-league';
export const DEMO_TEAM_ID = 'team-01';

export interface LocalWorldPlayer {
  playerId: number;
  /** Our full name ("José Ramírez"). */
  name: string;
  organization: string | null;
  position: string | null;
  /** Rank in the served snapshot; null for players who are not ranked prospects. */
  rank: number | null;
  /** True for players who reached the majors. */
  mlb: boolean;
}

const TEAM_NAMES = [
  'Fine Wine Cellar',
  'Corked Bats',
  'Decanters',
  'Sommeliers',
  'Vintage Arms',
  'Barrel Room',
  'Terroir Nine',
  'Grand Crus',
  'Tannin Trouble',
  'Late Harvest',
  'Old Vines',
  'Magnum Force',
];
/** MLB abbreviation → how Fantrax spells it, where they differ. */
const FANTRAX_ORG: Record<string, string> = {
  CWS: 'CHW',
  SD: 'SDP',
  SF: 'SFG',
  TB: 'TBR',
  WSH: 'WSN',
  KC: 'KCR',
  AZ: 'ARI',
};
const NICKNAMES: Record<string, string> = {
  michael: 'Mike',
  matthew: 'Matt',
  nicholas: 'Nick',
  christopher: 'Chris',
  alexander: 'Alex',
  jacob: 'Jake',
  joshua: 'Josh',
  william: 'Will',
};
/** Players Fantrax has and we do not: always unmatched. */
const STRANGERS: WorldPlayer[] = [
  { fantraxId: '0zz01', name: 'Castellano, Bartolo', team: 'MIA', position: 'SP' },
  { fantraxId: '0zz02', name: 'Whitfield, Garrett', team: 'SEA', position: 'OF' },
];

/** A stable Fantrax-looking id from our id (Fantrax's own are short base-36 strings). */
export function localFantraxId(playerId: number): string {
  return `0${(playerId * 37 + 11).toString(36)}`;
}

const title = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** Our name as Fantrax would show it, with the deterministic noise of the world. */
function fantraxName(name: string, i: number): string {
  const words = normalizeName(name).split(' ').map(title);
  const last = words.at(-1) ?? name;
  let first = words.slice(0, -1).join(' ');
  if (i % 4 === 3 && NICKNAMES[first.toLowerCase()]) first = NICKNAMES[first.toLowerCase()]!;
  const suffix = i % 13 === 7 ? ' Jr.' : '';
  return `${last}${suffix}, ${first}`;
}

function fantraxPosition(position: string | null, playerId: number): string {
  if (!position || position === 'P' || position === 'TWP') return playerId % 3 === 0 ? 'RP' : 'SP';
  if (['LF', 'CF', 'RF'].includes(position)) return 'OF';
  return position;
}

export function buildLocalWorld(players: readonly LocalWorldPlayer[]): FantraxWorld {
  const prospects = players.filter((p) => p.rank !== null).sort((a, b) => a.rank! - b.rank!);
  const veterans = players.filter((p) => p.rank === null && p.mlb).sort((a, b) => a.playerId - b.playerId);
  const rosters: WorldRosterItem[][] = TEAM_NAMES.map(() => []);
  const universe = new Map<number, WorldPlayer>();
  const add = (team: number, p: LocalWorldPlayer, status: WorldRosterItem['status']) => {
    const fantraxId = localFantraxId(p.playerId);
    const position = fantraxPosition(p.position, p.playerId);
    const org = p.organization ? (FANTRAX_ORG[p.organization] ?? p.organization) : 'FA';
    universe.set(p.playerId, { fantraxId, name: fantraxName(p.name, universe.size), team: org, position });
    rosters[team]!.push({ id: fantraxId, position, status });
  };

  // The demo team: 8 prospects spread over the ranking (a top one, some middling, a few long shots).
  const demoPicks = new Set([1, 4, 8, 13, 19, 26, 34, 45].map((k) => k % Math.max(1, prospects.length)));
  prospects.forEach((p, k) => {
    if (demoPicks.has(k) && rosters[0]!.length < 8) add(0, p, 'MINORS');
  });
  // The rest go round the other teams, but every fifth stays a free agent (claims to recommend).
  let next = 1;
  prospects.forEach((p, k) => {
    if (demoPicks.has(k) || k % 5 === 2) return;
    add(next, p, k % 11 === 10 ? 'RESERVE' : 'MINORS');
    next = next === TEAM_NAMES.length - 1 ? 1 : next + 1;
  });
  // MLB players: a share for every team, the demo team included.
  veterans
    .slice(0, TEAM_NAMES.length * 20)
    .forEach((p, k) =>
      add(k % TEAM_NAMES.length, p, k % 17 === 5 ? 'INJURED_RESERVE' : k % 4 === 3 ? 'RESERVE' : 'ACTIVE'),
    );
  // Two players we do not know, on two other teams.
  rosters[2]!.push({ id: STRANGERS[0]!.fantraxId, position: 'SP', status: 'ACTIVE' });
  rosters[5]!.push({ id: STRANGERS[1]!.fantraxId, position: 'OF', status: 'RESERVE' });

  return {
    users: { [DEMO_SECRET_ID]: [{ leagueId: DEMO_LEAGUE_ID, teamId: DEMO_TEAM_ID }] },
    leagues: [
      {
        id: DEMO_LEAGUE_ID,
        name: 'A Fine Wine Demo League',
        teams: TEAM_NAMES.map((name, t) => ({
          id: `team-${String(t + 1).padStart(2, '0')}`,
          name,
          division: t < 6 ? 'East' : 'West',
          roster: rosters[t]!,
        })),
      },
    ],
    players: [...universe.values(), ...STRANGERS],
  };
}
