/**
 * Renders people, teams and draft picks of the sample universe in the Stats API's shapes (see the recorded
 * fixtures in /work/shared/fixtures/statsapi: /people, /sports/1/players, /teams, /draft/{year}).
 */
import type { DraftRecord } from './context.ts';
import { levelSpec } from './levels.ts';
import type { SampleTeam } from './organizations.ts';
import type { Position, SamplePlayer } from './players.ts';

export const COPYRIGHT =
  'Copyright 2026 MLB Advanced Media, L.P.  Use of any content on this page acknowledges agreement to the terms posted here http://gdx.mlb.com/components/copyright.txt';

const POSITIONS: Record<Position, readonly [string, string, string]> = {
  P: ['1', 'Pitcher', 'Pitcher'],
  C: ['2', 'Catcher', 'Catcher'],
  '1B': ['3', 'First Base', 'Infielder'],
  '2B': ['4', 'Second Base', 'Infielder'],
  '3B': ['5', 'Third Base', 'Infielder'],
  SS: ['6', 'Shortstop', 'Infielder'],
  LF: ['7', 'Outfielder', 'Outfielder'],
  CF: ['8', 'Outfielder', 'Outfielder'],
  RF: ['9', 'Outfielder', 'Outfielder'],
  DH: ['10', 'Designated Hitter', 'Hitter'],
};

export function positionJson(position: Position): Record<string, string> {
  const [code, name, type] = POSITIONS[position];
  return { code, name, type, abbreviation: position };
}

const HAND: Record<string, string> = { L: 'Left', R: 'Right', S: 'Switch' };

export interface PersonContext {
  /** Reference date for currentAge: fixed (July 1 of the last season) so responses stay byte-identical. */
  asOfSeason: number;
  /** `currentTeam` as /sports/{id}/players shows it, or undefined to omit. */
  currentTeamId?: number;
}

export function personJson(p: SamplePlayer, ctx: PersonContext): Record<string, unknown> {
  const slug = `${p.firstName}-${p.lastName}`.toLowerCase().replace(/[^a-z]+/g, '-');
  const person: Record<string, unknown> = {
    id: p.id,
    fullName: p.fullName,
    link: `/api/v1/people/${p.id}`,
    firstName: p.firstName,
    lastName: p.lastName,
    primaryNumber: p.primaryNumber,
    birthDate: p.birthDate,
    currentAge: Math.floor(ctx.asOfSeason + 0.5 - p.born),
    birthCity: p.birthCity,
  };
  if (p.birthState) person.birthStateProvince = p.birthState;
  Object.assign(person, {
    birthCountry: p.birthCountry,
    height: `${Math.floor(p.heightInches / 12)}' ${p.heightInches % 12}"`,
    weight: p.weight,
    active: p.status !== 'retired',
  });
  if (ctx.currentTeamId !== undefined)
    person.currentTeam = { id: ctx.currentTeamId, link: `/api/v1/teams/${ctx.currentTeamId}` };
  Object.assign(person, {
    primaryPosition: positionJson(p.position),
    useName: p.firstName,
    boxscoreName: p.lastName,
    gender: 'M',
    isPlayer: true,
    isVerified: p.entry !== 'undrafted',
  });
  if (p.draftYear !== null) person.draftYear = p.draftYear;
  if (p.mlbDebutDate !== null) person.mlbDebutDate = p.mlbDebutDate;
  Object.assign(person, {
    batSide: { code: p.bats, description: HAND[p.bats] },
    pitchHand: { code: p.throws, description: HAND[p.throws] },
    nameFirstLast: p.fullName,
    nameSlug: `${slug}-${p.id}`,
    firstLastName: p.fullName,
    lastFirstName: `${p.lastName}, ${p.firstName}`,
    lastInitName: `${p.lastName}, ${p.firstName.slice(0, 1)}`,
    initLastName: `${p.firstName.slice(0, 1)} ${p.lastName}`,
    fullFMLName: p.fullName,
    fullLFMName: `${p.lastName}, ${p.firstName}`,
    strikeZoneTop: Math.round(p.heightInches * 4.65) / 100,
    strikeZoneBottom: Math.round(p.heightInches * 2.2) / 100,
  });
  return person;
}

export function teamJson(team: SampleTeam, season: number, parent: SampleTeam | undefined): Record<string, unknown> {
  const spec = levelSpec(team.sportId);
  const json: Record<string, unknown> = {
    allStarStatus: 'N',
    id: team.id,
    name: team.name,
    link: `/api/v1/teams/${team.id}`,
    season,
    venue: { id: team.id + 10000, name: `${team.locationName} Park`, link: `/api/v1/venues/${team.id + 10000}` },
    teamCode: team.abbreviation.toLowerCase(),
    fileCode: team.abbreviation.toLowerCase(),
    abbreviation: team.abbreviation,
    teamName: team.teamName,
    locationName: team.locationName,
    firstYearOfPlay: String(team.firstYearOfPlay),
    league: { id: team.league.id, name: team.league.name, link: `/api/v1/league/${team.league.id}` },
    sport: { id: team.sportId, link: `/api/v1/sports/${team.sportId}`, name: spec.name },
    shortName: team.locationName,
  };
  // MLB clubs carry no parentOrgId; that absence is how callers tell an organisation from an affiliate.
  if (parent && team.sportId !== 1) {
    json.parentOrgName = parent.name;
    json.parentOrgId = parent.id;
  }
  Object.assign(json, { franchiseName: team.locationName, clubName: team.teamName, active: true });
  return json;
}

/** Signing bonus of a pick, falling steeply with the pick number like real slot values. */
function bonus(pickNumber: number): string {
  return String(Math.max(10000, Math.round((8_500_000 * Math.exp(-pickNumber / 45)) / 2500) * 2500));
}

export function draftPickJson(d: DraftRecord, p: SamplePlayer, team: SampleTeam): Record<string, unknown> {
  const pick: Record<string, unknown> = {
    bisPlayerId: 100000 + (p.id % 900000),
    pickRound: d.round,
    pickNumber: d.pickNumber,
    displayPickNumber: d.pickNumber,
    roundPickNumber: d.roundPickNumber,
    rank: d.pickNumber,
    pickValue: bonus(d.pickNumber),
  };
  if (d.signed) pick.signingBonus = bonus(d.pickNumber);
  Object.assign(pick, {
    home: { city: p.birthCity, state: p.birthState ?? '', country: p.birthCountry },
    school: { name: d.school, schoolClass: d.schoolClass, country: 'USA', state: p.birthState ?? '' },
    headshotLink: 'https://img.mlbstatic.com/mlb-photos/image/upload/v1/people/0/headshot/silo/current',
    person: {
      id: p.id,
      fullName: p.fullName,
      link: `/api/v1/people/${p.id}`,
      firstName: p.firstName,
      lastName: p.lastName,
      birthDate: p.birthDate,
      birthCity: p.birthCity,
      birthCountry: p.birthCountry,
      primaryPosition: positionJson(p.position),
      batSide: { code: p.bats, description: HAND[p.bats] },
      pitchHand: { code: p.throws, description: HAND[p.throws] },
    },
    team: { allStarStatus: 'N', id: team.id, name: team.name, link: `/api/v1/teams/${team.id}` },
    draftType: { code: 'JR', description: 'June Amateur Draft' },
    isDrafted: true,
    isPass: false,
    year: String(d.year),
  });
  return pick;
}
