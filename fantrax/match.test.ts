import { describe, expect, it } from 'vitest';
import { canonicalOrg, createMatcher, nameScore, normalizeName, type MatchCandidate } from './match.ts';

const CANDIDATES: MatchCandidate[] = [
  { playerId: 1, name: 'José Ramírez', organization: 'CLE', position: '3B', age: 32 },
  { playerId: 2, name: 'Bobby Witt Jr.', organization: 'KC', position: 'SS', age: 25 },
  { playerId: 3, name: 'Michael Harris II', organization: 'ATL', position: 'CF', age: 24 },
  { playerId: 4, name: 'Luis García', organization: 'WSH', position: '2B', age: 25 },
  { playerId: 5, name: 'Luis García', organization: 'SD', position: 'P', age: 38 },
  { playerId: 6, name: 'Colson Montgomery', organization: 'CWS', position: 'SS', age: 23 },
  { playerId: 7, name: "Ke'Bryan Hayes", organization: 'PIT', position: '3B', age: 28 },
  { playerId: 8, name: 'Ethan Salas', organization: 'SD', position: 'C', age: 19 },
];

describe('normalizeName', () => {
  it('drops accents, suffixes and punctuation, and turns "Last, First" around', () => {
    expect(normalizeName('Ramírez, José')).toBe('jose ramirez');
    expect(normalizeName('Witt Jr., Bobby')).toBe('bobby witt');
    expect(normalizeName('Witt, Bobby, Jr.')).toBe('bobby witt');
    expect(normalizeName('Michael Harris II')).toBe('michael harris');
    expect(normalizeName("Hayes, Ke'Bryan")).toBe('kebryan hayes');
    expect(normalizeName('  J.P.   Crawford ')).toBe('jp crawford');
  });

  it('scores nicknames and prefixes below an exact name and above a stranger', () => {
    expect(nameScore('mike harris', 'michael harris')).toBe(0.8);
    expect(nameScore('jose ramirez', 'jose ramirez')).toBe(1);
    expect(nameScore('colson montgomery', 'ethan salas')).toBeLessThan(0.4);
    expect(canonicalOrg('CHW')).toBe('CWS');
    expect(canonicalOrg('FA')).toBeNull();
  });
});

describe('createMatcher', () => {
  const match = createMatcher(CANDIDATES);

  it('is certain of an exact name in the same organization, whatever the accents, suffix or name order', () => {
    expect(match({ fantraxId: 'a', name: 'Ramirez, Jose', team: 'CLE', position: '3B' })).toMatchObject({
      playerId: 1,
      label: 'certain',
    });
    expect(match({ fantraxId: 'b', name: 'Witt Jr., Bobby', team: 'KCR', position: 'SS' })).toMatchObject({
      playerId: 2,
      label: 'certain',
    });
    expect(match({ fantraxId: 'c', name: 'Montgomery, Colson', team: 'CHW', position: 'SS,3B' })).toMatchObject({
      playerId: 6,
      label: 'certain',
    });
  });

  it('matches a nickname, but less surely than the full name', () => {
    const nick = match({ fantraxId: 'd', name: 'Harris, Mike', team: 'ATL', position: 'OF' });
    expect(nick.playerId).toBe(3);
    expect(nick.confidence).toBeLessThan(1);
    expect(['certain', 'likely']).toContain(nick.label);
  });

  it('tells two namesakes apart by organization and position, and is uncertain when nothing tells them apart', () => {
    expect(match({ fantraxId: 'e', name: 'Garcia, Luis', team: 'WSN', position: '2B' })).toMatchObject({ playerId: 4 });
    expect(match({ fantraxId: 'f', name: 'Garcia, Luis', team: 'SDP', position: 'RP' })).toMatchObject({ playerId: 5 });
    const unknown = match({ fantraxId: 'g', name: 'Garcia, Luis', team: 'FA', position: 'UT' });
    expect(unknown.label).toBe('uncertain');
    expect(unknown.confidence).toBeLessThan(0.75);
  });

  it('lowers the confidence when the organization disagrees, and finds no one for a stranger', () => {
    const moved = match({ fantraxId: 'h', name: 'Salas, Ethan', team: 'NYY', position: 'C' });
    expect(moved.playerId).toBe(8);
    expect(moved.confidence).toBeLessThan(0.9);
    expect(match({ fantraxId: 'i', name: 'Nobody, Someone', team: 'NYY', position: 'C' })).toEqual({
      fantraxId: 'i',
      playerId: null,
      confidence: 0,
      label: 'none',
    });
  });

  it('survives a misspelt last name with a weaker, still useful match', () => {
    const typo = match({ fantraxId: 'j', name: 'Montgomery, Colsen', team: 'CHW', position: 'SS' });
    expect(typo.playerId).toBe(6);
    expect(typo.confidence).toBeGreaterThan(0.5);
  });
});
