// The search index keeps no pending list (sql/021_search_index_no_pending_list.sql): rows a publish inserts go straight
// into the GIN structure, so searches between publishes never scan them linearly; search still finds them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPublishedWorld, type PublishedWorld } from '../test/api-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { searchPublishedProspects } from './prospects.ts';

describe('the published prospects search index', () => {
  let db: TestDatabase;
  let world: PublishedWorld;
  beforeAll(async () => {
    db = await createTestDatabase();
    world = await seedPublishedWorld(db.pool);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('is built without fastupdate, and search still finds the published names', async () => {
    const { rows } = await db.pool.query<{ reloptions: string[] | null }>(
      `SELECT reloptions FROM pg_class WHERE relname = 'published_prospects_search'`,
    );
    expect(rows[0]?.reloptions).toContain('fastupdate=off');
    const hits = await searchPublishedProspects(db.pool, world.current.id, 'jose ramirez', 5);
    expect(hits.map((h) => h.playerId)).toContain(world.ids.joseRamirez);
  });
});
