import { describe, expect, it } from 'vitest';
import { describeSourceSpec, parseSourceSpec } from './source-spec.ts';

describe('parseSourceSpec', () => {
  it('reads a directory, relative to the working directory', () => {
    expect(parseSourceSpec('../shared/realdata', '/work/main')).toEqual({
      kind: 'directory',
      dir: '/work/shared/realdata',
    });
    expect(parseSourceSpec('/data/rec/')).toEqual({ kind: 'directory', dir: '/data/rec' });
  });

  it('reads a landing zone, with an optional origin', () => {
    expect(parseSourceSpec('landing:postgres://u:secret@127.0.0.1:5432/afwd')).toEqual({
      kind: 'landing',
      databaseUrl: 'postgres://u:secret@127.0.0.1:5432/afwd',
      origin: undefined,
    });
    const spec = parseSourceSpec('landing:postgresql://127.0.0.1/afwd#http://127.0.0.1:8787/');
    expect(spec).toEqual({
      kind: 'landing',
      databaseUrl: 'postgresql://127.0.0.1/afwd',
      origin: 'http://127.0.0.1:8787',
    });
    expect(describeSourceSpec(parseSourceSpec('landing:postgres://u:secret@h/db'))).toBe(
      'landing zone of postgres://u@h/db',
    );
  });

  it('refuses what it cannot use, saying what it expects', () => {
    expect(() => parseSourceSpec('')).toThrow(/directory of recorded responses or landing:<postgres url>/);
    expect(() => parseSourceSpec('https://statsapi.mlb.com')).toThrow(/a live server goes in MLB_STATS_API_URL/);
    expect(() => parseSourceSpec('landing:mysql://x/y')).toThrow(/needs a postgres:\/\/ URL/);
    expect(() => parseSourceSpec('landing:postgres://h/db#ftp://x')).toThrow(/needs an http\(s\) origin/);
  });
});
