/**
 * The sample universe's clubs: thirty invented MLB organisations, their leagues, and one affiliate per level.
 * Ids are stable across seasons, like real team ids; A- and Rookie Advanced affiliates exist only before 2021.
 */
import { AFFILIATE_NICKNAMES, AFFILIATE_TOWNS, CLUBS } from './names.ts';
import { ladder, levelSpec } from './levels.ts';

export interface SampleLeague {
  id: number;
  name: string;
  abbreviation: string;
}

export interface SampleTeam {
  id: number;
  /** Organisation (MLB club) id; equal to id for the MLB club itself. */
  orgId: number;
  sportId: number;
  name: string;
  teamName: string;
  locationName: string;
  abbreviation: string;
  league: SampleLeague;
  firstYearOfPlay: number;
  /** Last season the club fields a team at this level (2020 for A- and Rookie Advanced), else null. */
  lastSeason: number | null;
}

export interface SampleOrganization {
  id: number;
  index: number;
  team: SampleTeam;
  /** Affiliates by sportId (MLB club included under sportId 1). */
  bySport: Map<number, SampleTeam>;
}

export const ORG_ID_BASE = 3001;
const AFFILIATE_ID_BASE = 5000;
const LEVEL_ORDER = [1, 11, 12, 13, 14, 15, 5442, 16] as const;

const LEAGUES: Record<number, readonly [SampleLeague, SampleLeague]> = {
  1: [
    { id: 601, name: 'Federal League', abbreviation: 'FL' },
    { id: 602, name: 'Continental League', abbreviation: 'CL' },
  ],
  11: [
    { id: 611, name: 'Pacific Triple-A League', abbreviation: 'PTL' },
    { id: 612, name: 'Atlantic Triple-A League', abbreviation: 'ATL' },
  ],
  12: [
    { id: 621, name: 'Central Double-A League', abbreviation: 'CDL' },
    { id: 622, name: 'Eastern Double-A League', abbreviation: 'EDL' },
  ],
  13: [
    { id: 631, name: 'Coastal High-A League', abbreviation: 'CHL' },
    { id: 632, name: 'Midland High-A League', abbreviation: 'MHL' },
  ],
  14: [
    { id: 641, name: 'Carolina Single-A League', abbreviation: 'CSL' },
    { id: 642, name: 'Western Single-A League', abbreviation: 'WSL' },
  ],
  15: [
    { id: 651, name: 'Northwest Short-Season League', abbreviation: 'NSL' },
    { id: 652, name: 'Lakes Short-Season League', abbreviation: 'LSL' },
  ],
  5442: [
    { id: 661, name: 'Mountain Rookie League', abbreviation: 'MRL' },
    { id: 662, name: 'Ridge Rookie League', abbreviation: 'RRL' },
  ],
  16: [
    { id: 671, name: 'Desert Complex League', abbreviation: 'DCL' },
    { id: 672, name: 'Gulf Complex League', abbreviation: 'GCL' },
  ],
};

function league(sportId: number, orgIndex: number): SampleLeague {
  const pair = LEAGUES[sportId];
  if (!pair) throw new Error(`no leagues for sportId ${sportId}`);
  return orgIndex % 2 === 0 ? pair[0] : pair[1];
}

/** Builds the thirty organisations and their affiliates; the same for every seed, so ids never move. */
export function buildOrganizations(): SampleOrganization[] {
  return CLUBS.map(([location, nickname, abbreviation], index) => {
    const id = ORG_ID_BASE + index;
    const bySport = new Map<number, SampleTeam>();
    LEVEL_ORDER.forEach((sportId, levelIndex) => {
      const retired = sportId === 15 || sportId === 5442;
      if (sportId === 1) {
        bySport.set(1, {
          id,
          orgId: id,
          sportId,
          name: `${location} ${nickname}`,
          teamName: nickname,
          locationName: location,
          abbreviation,
          league: league(1, index),
          firstYearOfPlay: 1961 + (index % 7) * 6,
          lastSeason: null,
        });
        return;
      }
      const k = index * 7 + levelIndex - 1;
      const town = AFFILIATE_TOWNS[k % AFFILIATE_TOWNS.length] ?? 'Springfield';
      const nick = AFFILIATE_NICKNAMES[k % AFFILIATE_NICKNAMES.length] ?? 'Isotopes';
      const name = sportId === 16 ? `${abbreviation} Complex ${nickname}` : `${town} ${nick}`;
      bySport.set(sportId, {
        id: AFFILIATE_ID_BASE + index * 10 + levelIndex,
        orgId: id,
        sportId,
        name,
        teamName: sportId === 16 ? nickname : nick,
        locationName: sportId === 16 ? `${location} Complex` : town,
        abbreviation:
          sportId === 16
            ? `${abbreviation}C`
            : town
                .replace(/[^A-Za-z]/g, '')
                .slice(0, 3)
                .toUpperCase(),
        league: league(sportId, index),
        firstYearOfPlay: 1975 + (k % 25),
        lastSeason: retired ? 2020 : null,
      });
    });
    const team = bySport.get(1);
    if (!team) throw new Error('unreachable: MLB club missing');
    return { id, index, team, bySport };
  });
}

/** Teams fielded in a season at the given levels (all levels of that season when sportIds is empty). */
export function teamsInSeason(
  orgs: readonly SampleOrganization[],
  season: number,
  sportIds: readonly number[],
): SampleTeam[] {
  const levels = new Set(sportIds.length > 0 ? sportIds : ladder(season));
  const active = new Set(ladder(season));
  const out: SampleTeam[] = [];
  for (const org of orgs) {
    for (const team of org.bySport.values()) {
      if (levels.has(team.sportId) && active.has(team.sportId) && team.firstYearOfPlay <= season) out.push(team);
    }
  }
  return out.sort((a, b) => a.sportId - b.sportId || a.id - b.id);
}

/** Affiliate of an organisation at a level; throws if the level has no team (a generator bug). */
export function affiliate(org: SampleOrganization, sportId: number): SampleTeam {
  const team = org.bySport.get(sportId);
  if (!team) throw new Error(`organisation ${org.id} has no ${levelSpec(sportId).abbreviation} affiliate`);
  return team;
}
