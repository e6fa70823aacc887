import { describe, expect, it } from 'vitest';
import { checksumDifferences } from './api-table-checksums.ts';

describe('checksumDifferences', () => {
  const a = [{ table: 'players', rows: 10, md5: 'aaaaaaaa11' }, { table: 'player_season_stats', rows: 40, md5: 'bbbbbbbb22' }];
  it('is empty when every table has the same count and checksum', () => {
    expect(checksumDifferences(a, a.map((x) => ({ ...x })))).toEqual([]);
  });
  it('names a table whose count or checksum differs', () => {
    const b = [{ table: 'players', rows: 10, md5: 'aaaaaaaa11' }, { table: 'player_season_stats', rows: 39, md5: 'cccccccc33' }];
    expect(checksumDifferences(a, b)).toEqual(['player_season_stats: 40 rows bbbbbbbb vs 39 rows cccccccc']);
  });
  it('names a table the other set lacks', () => {
    expect(checksumDifferences(a, a.slice(0, 1))).toEqual(['player_season_stats: missing from the other set']);
  });
});
