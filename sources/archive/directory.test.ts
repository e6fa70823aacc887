import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openArchiveDirectory } from './directory.ts';
import { writeTinyArchive } from './test-archive.ts';

describe('openArchiveDirectory', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'afwd-archive-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const tiny = writeTinyArchive(path.join(root, 'a'));

  it('reads each file lazily and once, and orders splits by player, sport, aggregate row first, then team', () => {
    const archive = openArchiveDirectory(tiny.dir);
    expect(archive.filesRead()).toBe(0);
    const splits = archive.splits(2006, 'hitting') ?? [];
    const again = archive.splits(2006, 'hitting');
    expect(archive.filesRead()).toBe(1);
    expect(again).toBe(splits);
    const keys = splits.map((s) => {
      const r = s.raw as { player: { id: number }; team?: { id: number } };
      return `${r.player.id}:${s.sportId}:${r.team?.id ?? '-'}`;
    });
    expect(keys).toEqual([
      '1001:1:-',
      '1003:12:201',
      '1004:14:301',
      '1005:12:-',
      '1005:12:201',
      '1005:12:202',
      '1006:16:401',
      '1007:11:501',
    ]);
    expect(archive.person(1005)).toMatchObject({ id: 1005, fullName: 'Player 1005' });
    expect(archive.person(9999)).toBeUndefined();
    archive.person(1001);
    expect(archive.filesRead()).toBe(2);
  });

  it('answers null for a season it does not hold, and names a corrupt file', () => {
    const archive = openArchiveDirectory(tiny.dir);
    expect(archive.splits(2012, 'hitting')).toBeNull();
    expect(archive.teams(2012)).toEqual([]);
    const broken = path.join(root, 'broken');
    cpSync(tiny.dir, broken, { recursive: true });
    writeFileSync(path.join(broken, 'stats', '2006-pitching.json.gz'), 'not gzip');
    expect(() => openArchiveDirectory(broken).splits(2006, 'pitching')).toThrow(
      /2006-pitching\.json\.gz is not gzip-compressed JSON/,
    );
  });

  it('has an id that follows the content, not the path', () => {
    const copy = path.join(root, 'copy');
    cpSync(tiny.dir, copy, { recursive: true });
    expect(openArchiveDirectory(copy).id).toBe(openArchiveDirectory(tiny.dir).id);
    writeFileSync(path.join(copy, 'sports.json'), JSON.stringify({ sports: [] }));
    expect(openArchiveDirectory(copy).id).not.toBe(openArchiveDirectory(tiny.dir).id);
    expect(openArchiveDirectory(tiny.dir).id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('refuses a directory that is missing or holds no recording', () => {
    expect(() => openArchiveDirectory(path.join(root, 'nope'))).toThrow(/is not a directory/);
    const empty = path.join(root, 'empty');
    cpSync(path.join(tiny.dir, 'teams'), path.join(empty, 'other'), { recursive: true });
    expect(() => openArchiveDirectory(empty)).toThrow(
      /holds no recorded response \(expected stats\/\{season\}-\{group\}\.json\.gz/,
    );
  });
});
