import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { openLandingReplay } from './landing-replay.ts';

describe('openLandingReplay', () => {
  let db: TestDatabase;
  const store = async (url: string, body: unknown, fetchedAt: string, status = 200) => {
    await db.pool.query(
      `INSERT INTO raw_responses (source, url, fetched_at, status, body_gzip, body_sha256) VALUES ('mlb-stats-api', $1, $2, $3, $4, 'x')`,
      [url, fetchedAt, status, gzipSync(JSON.stringify(body))],
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await store('http://127.0.0.1:8787/api/v1/draft/2006', { v: 'old' }, '2026-01-01T00:00:00Z');
    await store('http://127.0.0.1:8787/api/v1/draft/2006', { v: 'new' }, '2026-01-02T00:00:00Z');
    await store('http://127.0.0.1:8787/api/v1/draft/2007', { v: 'failed' }, '2026-01-02T00:00:00Z', 500);
    await store(
      'http://127.0.0.1:8787/api/v1/people?personIds=1,2',
      {
        people: [
          { id: 1, fullName: 'One (old)' },
          { id: 2, fullName: 'Two' },
        ],
      },
      '2026-01-01T00:00:00Z',
    );
    await store(
      'http://127.0.0.1:8787/api/v1/people?personIds=1',
      { people: [{ id: 1, fullName: 'One' }] },
      '2026-01-03T00:00:00Z',
    );
    await store('http://127.0.0.1:8788/archive/abc/api/v1/draft/2006', { v: 'archive' }, '2026-01-02T00:00:00Z');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('refuses to guess between several origins, naming them', async () => {
    await expect(openLandingReplay(db.pool)).rejects.toThrow(
      'holds responses of 2 origins (http://127.0.0.1:8787, http://127.0.0.1:8788/archive/abc); choose one with landing:<url>#<origin>',
    );
    await expect(openLandingReplay(db.pool, 'http://127.0.0.1:9999')).rejects.toThrow(
      'no response from http://127.0.0.1:9999',
    );
  });

  it('answers the latest successful response of the chosen origin by path and query, and people by id, latest bio first', async () => {
    const replay = await openLandingReplay(db.pool, 'http://127.0.0.1:8787');
    expect(replay.urls).toBe(3);
    expect(await replay.body('/api/v1/draft/2006')).toEqual({ v: 'new' });
    expect(await replay.body('/api/v1/draft/2007')).toBeUndefined();
    expect(await replay.person(1)).toEqual({ id: 1, fullName: 'One' });
    expect(await replay.person(2)).toEqual({ id: 2, fullName: 'Two' });
    expect(await replay.person(3)).toBeUndefined();
    const archive = await openLandingReplay(db.pool, 'http://127.0.0.1:8788/archive/abc');
    expect(await archive.body('/api/v1/draft/2006')).toEqual({ v: 'archive' });
  });
});
