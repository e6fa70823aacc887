import { describe, expect, it } from 'vitest';
import type { PlayerBio } from '../lib/domain.ts';
import { biosAsOf, indexBioVersions, type BioVersion } from './bios.ts';

const current: PlayerBio = {
  playerId: 7,
  fullName: 'Seven',
  birthDate: '2001-04-02',
  primaryPosition: '1',
  batSide: 'L',
  pitchHand: 'L',
  mlbDebutDate: null,
};
const version = (seenOn: string, primaryPosition: string, batSide = 'L'): BioVersion => ({
  playerId: 7,
  seenOn,
  birthDate: '2001-04-02',
  primaryPosition,
  batSide,
  pitchHand: 'L',
});

describe('biosAsOf', () => {
  // Seen as a shortstop through 2022, converted to pitcher in the 2023-24 winter; given out of order on purpose.
  const versions = indexBioVersions([
    version('2024-01-20', '1'),
    version('2021-03-01', '6', 'S'),
    version('2022-06-01', '6'),
  ]);

  it('takes the latest version seen on or before the end of the as-of season', () => {
    expect(biosAsOf([current], versions, 2021)[0]).toMatchObject({ primaryPosition: '6', batSide: 'S' });
    expect(biosAsOf([current], versions, 2022)[0]).toMatchObject({ primaryPosition: '6', batSide: 'L' });
    expect(biosAsOf([current], versions, 2023)[0]).toMatchObject({ primaryPosition: '6' });
    expect(biosAsOf([current], versions, 2024)[0]).toMatchObject({ primaryPosition: '1' });
  });

  it('falls back to the earliest version seen when none is as old as the as-of season (history backfilled today)', () => {
    expect(biosAsOf([current], versions, 2015)[0]).toMatchObject({ primaryPosition: '6', batSide: 'S' });
  });

  it('keeps the players row, name and debut date of a player without versions', () => {
    const other: PlayerBio = { ...current, playerId: 8, fullName: 'Eight', mlbDebutDate: '2024-05-01' };
    const [seven, eight] = biosAsOf([current, other], versions, 2021);
    expect(eight).toBe(other);
    expect(seven).toMatchObject({ fullName: 'Seven', mlbDebutDate: null });
  });
});
