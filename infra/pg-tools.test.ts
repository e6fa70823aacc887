import { describe, expect, it } from 'vitest';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { chooseTool, parseToolMajor } from './pg-tools.ts';

describe('parseToolMajor', () => {
  it.each([
    ['pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n', 15],
    ['pg_restore (PostgreSQL) 18.1\n', 18],
    ['pg_dump (PostgreSQL) 18beta1\n', 18],
    ['not a version', undefined],
  ])('reads %j as %s', (text, major) => {
    expect(parseToolMajor(text)).toBe(major);
  });
});

describe('chooseTool', () => {
  const embedded = { path: '/e/pg_dump', major: 18 };
  const system = { path: '/usr/bin/pg_dump', major: 15 };

  it('takes the first candidate at least as new as the server', () => {
    expect(chooseTool('pg_dump', [embedded, system], 15)).toBe('/e/pg_dump');
    expect(chooseTool('pg_dump', [{ path: '/broken', major: undefined }, system], 15)).toBe('/usr/bin/pg_dump');
  });

  it('refuses a tool older than the server, naming what was found and what to install', () => {
    expect(() => chooseTool('pg_dump', [system], 18)).toThrow(PrerequisiteError);
    expect(() => chooseTool('pg_dump', [system], 18)).toThrow(
      /PostgreSQL 18 or newer.*found only \/usr\/bin\/pg_dump \(15\).*postgresql-client-18/,
    );
    expect(() => chooseTool('pg_restore', [], 16)).toThrow(/none found/);
  });
});
