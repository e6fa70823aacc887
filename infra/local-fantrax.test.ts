import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFantraxClient } from '../fantrax/client.ts';
import { DEMO_LEAGUE_ID, DEMO_SECRET_ID, DEMO_TEAM_ID } from '../fantrax/local-world.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { seedPublishedWorld } from '../test/api-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { freePort } from '../test/ports.ts';
import { startLocalFantrax, type LocalFantrax } from './local-fantrax.ts';

describe('the local Fantrax of npm start', () => {
  let db: TestDatabase;
  let fantrax: LocalFantrax;
  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ LOCAL_FANTRAX_PORT: String(await freePort()) });
    fantrax = await startLocalFantrax({ config, databaseUrl: db.url, log: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await fantrax?.close();
    await db?.drop();
  });

  it('knows the demo user from the start, and rosters our prospects once they are published', async () => {
    const client = createFantraxClient({ baseUrl: fantrax.url });
    expect(await client.getLeagues(DEMO_SECRET_ID)).toMatchObject([{ leagueId: DEMO_LEAGUE_ID, teamId: DEMO_TEAM_ID }]);
    expect((await client.getTeamRosters(DEMO_LEAGUE_ID)).rosters[DEMO_TEAM_ID]?.rosterItems).toEqual([]);

    await seedPublishedWorld(db.pool);
    await fantrax.refresh();
    const rosters = (await client.getTeamRosters(DEMO_LEAGUE_ID)).rosters;
    expect(Object.keys(rosters)).toHaveLength(12);
    expect(rosters[DEMO_TEAM_ID]?.rosterItems.filter((r) => r.status === 'MINORS')).toHaveLength(8);
    const names = Object.values(await client.getPlayerIds()).map((p) => p.name);
    // Fantrax style: "Last, First", accents dropped, a Jr. here and there.
    expect(names).toContain('Ramirez, Jose');
    expect(names.some((n) => /Jr\., /.test(n))).toBe(true);
    expect(names.every((n) => !/[\u0300-\u036f]|[áéíóúñ]/i.test(n))).toBe(true);
  });
});
