import { describe, expect, it } from 'vitest';
import {
  ACCEPT_CONFIDENCE,
  ageOnJuly1,
  indexCandidates,
  matchPlayer,
  normalizeName,
  organizationMatches,
  positionGroups,
  type Candidate,
} from './match.ts';

const org = (abbreviation: string, season = 2023, name = `${abbreviation} Club`) => ({
  season,
  orgId: abbreviation.charCodeAt(0),
  abbreviation,
  name,
});
const player = (playerId: number, fullName: string, more: Partial<Candidate> = {}): Candidate => ({
  playerId,
  fullName,
  birthDate: '2002-03-15',
  primaryPosition: 'SS',
  orgs: [org('POR')],
  ...more,
});

describe('normalizeName', () => {
  it('lower-cases, strips accents, punctuation and suffixes, and turns "Last, First" round', () => {
    expect(normalizeName('José Peña')).toBe('jose pena');
    expect(normalizeName('Peña, José')).toBe('jose pena');
    expect(normalizeName('Guerrero Jr., Vladimir')).toBe('vladimir guerrero');
    expect(normalizeName('Vladimir Guerrero Jr.')).toBe('vladimir guerrero');
    expect(normalizeName('Ken Griffey III')).toBe('ken griffey');
    expect(normalizeName("Tyler O'Neill")).toBe('tyler oneill');
    expect(normalizeName('J.P. Crawford')).toBe('jp crawford');
    expect(normalizeName('J. P.  Crawford')).toBe('jp crawford');
    expect(normalizeName('Isiah Kiner-Falefa')).toBe('isiah kiner falefa');
    expect(normalizeName('Elly De La Cruz')).toBe('elly de la cruz');
  });
});

describe('organizationMatches, positionGroups, ageOnJuly1', () => {
  it('matches abbreviations, known aliases, full names and nicknames', () => {
    expect(organizationMatches('por', { abbreviation: 'POR', name: 'Portland Pioneers' })).toBe(true);
    expect(organizationMatches('SDP', { abbreviation: 'SD', name: 'San Diego Padres' })).toBe(true);
    expect(organizationMatches('Pioneers', { abbreviation: 'POR', name: 'Portland Pioneers' })).toBe(true);
    expect(organizationMatches('Portland Pioneers', { abbreviation: 'POR', name: 'Portland Pioneers' })).toBe(true);
    expect(organizationMatches('NSH', { abbreviation: 'POR', name: 'Portland Pioneers' })).toBe(false);
  });

  it('groups positions into pitchers and hitters', () => {
    expect([...positionGroups('RHP')]).toEqual(['pitcher']);
    expect([...positionGroups('SP')]).toEqual(['pitcher']);
    expect([...positionGroups('SS/2B')]).toEqual(['hitter']);
    expect(positionGroups('TWP').size).toBe(2);
    expect(positionGroups(null).size).toBe(0);
  });

  it('computes age on July 1', () => {
    expect(ageOnJuly1('2000-07-01', 2020)).toBeCloseTo(20, 2);
    expect(ageOnJuly1('2001-01-01', 2020)).toBeCloseTo(19.5, 1);
  });
});

describe('matchPlayer', () => {
  const query = { name: 'Jose Pena', organization: 'POR', position: 'SS', age: 21.3 };

  it('matches an exact name with full confidence when everything agrees', () => {
    const m = matchPlayer(query, indexCandidates([player(1, 'Jose Pena')]), 2023);
    expect(m).toMatchObject({
      status: 'matched',
      playerId: 1,
      confidence: 1,
      method: 'exact-name+organization+age+position',
    });
  });

  it('matches through accent, suffix and "Last, First" normalisation', () => {
    const index = indexCandidates([player(2, 'José Peña Jr.')]);
    expect(matchPlayer({ ...query, name: 'Pena, Jose' }, index, 2023)).toMatchObject({
      status: 'matched',
      playerId: 2,
      method: expect.stringMatching(/^normalized-name/),
    });
    expect(matchPlayer(query, index, 2023)).toMatchObject({ status: 'matched', playerId: 2 });
  });

  it('lets the organization pick between two players with the same name', () => {
    const index = indexCandidates([
      player(3, 'Jose Pena', { orgs: [org('NSH')] }),
      player(4, 'Jose Pena', { orgs: [org('POR', 2022)] }),
    ]);
    expect(matchPlayer(query, index, 2023)).toMatchObject({ status: 'matched', playerId: 4, confidence: 1 });
    expect(matchPlayer({ ...query, organization: 'NSH' }, index, 2023)).toMatchObject({
      status: 'matched',
      playerId: 3,
    });
  });

  it('calls two equally plausible players ambiguous', () => {
    const index = indexCandidates([player(5, 'Jose Pena'), player(6, 'José Peña')]);
    const m = matchPlayer(query, index, 2023);
    expect(m.status).toBe('ambiguous');
    expect(m.considered.map((c) => c.playerId)).toEqual([5, 6]);
    if (m.status !== 'matched') expect(m.reason).toMatch(/2 candidates within/);
  });

  it('reports an unknown name as unmatched', () => {
    const m = matchPlayer({ ...query, name: 'Nobody Known' }, indexCandidates([player(1, 'Jose Pena')]), 2023);
    expect(m).toMatchObject({ status: 'unmatched', considered: [] });
    if (m.status !== 'matched') expect(m.reason).toMatch(/no player named "Nobody Known"/);
  });

  it('lowers confidence when age or organization disagree, and refuses a name-only match against the evidence', () => {
    const index = indexCandidates([player(7, 'Jose Pena')]);
    const full = matchPlayer(query, index, 2023);
    const oldAge = matchPlayer({ ...query, age: 25 }, index, 2023);
    const otherOrg = matchPlayer({ ...query, organization: 'NSH' }, index, 2023);
    const noAge = matchPlayer({ ...query, age: null }, index, 2023);
    if (
      full.status !== 'matched' ||
      oldAge.status !== 'matched' ||
      otherOrg.status !== 'matched' ||
      noAge.status !== 'matched'
    )
      throw new Error('expected matches');
    expect(oldAge.confidence).toBeLessThan(noAge.confidence);
    expect(noAge.confidence).toBeLessThan(full.confidence);
    expect(otherOrg.confidence).toBeLessThan(oldAge.confidence);
    expect(otherOrg.checks.organization).toMatchObject({ result: 'disagree', detail: 'CSV NSH, MLB data POR 2023' });
    const against = matchPlayer({ ...query, organization: 'NSH', age: 30, position: 'RHP' }, index, 2023);
    expect(against.status).toBe('unmatched');
    expect(against.considered[0]?.confidence).toBeLessThan(ACCEPT_CONFIDENCE);
  });
});
