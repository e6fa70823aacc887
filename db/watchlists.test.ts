import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedWorld } from '../test/api-fixture.ts';
import type { TestDatabase } from '../test/database.ts';
import { seededDatabase } from '../test/seeded.ts';
import { createUser } from './users.ts';
import { addToWatchlist } from './watchlists.ts';

let db: TestDatabase;
let world: PublishedWorld;

beforeAll(async () => {
  ({ db, world } = await seededDatabase());
});
afterAll(async () => {
  await db?.drop();
});

describe('addToWatchlist', () => {
  it('never passes the limit, however many adds arrive at once', async () => {
    const userId = (await createUser(db.pool, { email: 'watcher@example.test', passwordHash: 'x' }))!;
    const players = world.players.slice(0, 12).map((p) => p.id);
    const outcomes = await Promise.all(players.map((playerId) => addToWatchlist(db.pool, userId, playerId, 3)));
    expect(outcomes.filter((o) => o === 'added')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(9);
    const { rows } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM watchlists WHERE user_id = $1',
      [userId],
    );
    expect(rows[0]!.n).toBe(3);
  });
});
