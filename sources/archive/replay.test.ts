import { describe, expect, it } from 'vitest';
import { createReplayApi, type ReplayStore } from './replay.ts';

const stored = new Map<string, unknown>([
  [
    '/api/v1/stats?stats=season&group=hitting&sportIds=1,12&season=2006&playerPool=All&limit=2000&offset=0',
    { stats: [{ splits: [{ a: 1 }], totalSplits: 1 }] },
  ],
  ['/api/v1/draft/2006', { drafts: { draftYear: 2006, rounds: [] } }],
]);
const people = new Map<number, unknown>([
  [7, { id: 7, fullName: 'Seven' }],
  [9, { id: 9, fullName: 'Nine' }],
]);
const store: ReplayStore = {
  body: (pq) => Promise.resolve(stored.get(pq)),
  person: (id) => Promise.resolve(people.get(id)),
};
const api = createReplayApi(store);
const get = (pq: string) => api('GET', new URL(pq, 'http://x.invalid'));

describe('createReplayApi', () => {
  it('answers a stored path and query exactly, and 404 for any other', async () => {
    const hit = await get(
      '/api/v1/stats?stats=season&group=hitting&sportIds=1,12&season=2006&playerPool=All&limit=2000&offset=0',
    );
    expect(hit).toEqual({ status: 200, body: { stats: [{ splits: [{ a: 1 }], totalSplits: 1 }] } });
    const other = await get(
      '/api/v1/stats?stats=season&group=hitting&sportIds=12&season=2006&playerPool=All&limit=2000&offset=0',
    );
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).toContain('sportIds=12&season=2006');
    expect((await get('/api/v1/draft/2006')).status).toBe(200);
    expect((await get('/api/v1/draft/2007')).status).toBe(404);
  });

  it('answers people by id whatever batches a run asks in, leaving unknown ids out', async () => {
    expect(await get('/api/v1/people?personIds=9,8,7,9')).toEqual({
      status: 200,
      body: {
        copyright: 'replayed from the landing zone',
        people: [
          { id: 9, fullName: 'Nine' },
          { id: 7, fullName: 'Seven' },
        ],
      },
    });
    expect((await get('/api/v1/people/7')).status).toBe(200);
    expect((await get('/api/v1/people/8')).status).toBe(404);
    expect((await get('/api/v1/people?personIds=7,x')).status).toBe(400);
    expect((await api('DELETE', new URL('http://x.invalid/api/v1/draft/2006'))).status).toBe(405);
  });
});
