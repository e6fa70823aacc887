/**
 * The seeded published world (test/api-fixture.ts) ready for a test file: in a database of its own, or behind a test
 * API with a premium and a free user's access tokens. Callers close what they get in afterAll.
 */
import { seedPublishedWorld, type PublishedWorld } from './api-fixture.ts';
import { createUser } from './api-users.ts';
import { createTestApi, type TestApi } from './api.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export async function seededDatabase(): Promise<{ db: TestDatabase; world: PublishedWorld }> {
  const db = await createTestDatabase();
  return { db, world: await seedPublishedWorld(db.pool) };
}

export async function seededApi(): Promise<{ api: TestApi; world: PublishedWorld; premium: string; free: string }> {
  const api = await createTestApi();
  const world = await seedPublishedWorld(api.db.pool);
  // The API read its cache version before the world existed.
  await api.deps.cache.invalidate('fixture seeded');
  const [premium, free] = await Promise.all([createUser(api, 'premium'), createUser(api, 'free')]);
  return { api, world, premium: premium.accessToken, free: free.accessToken };
}
