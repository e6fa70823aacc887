/**
 * Fantrax for API tests: the local Fantrax-shaped server over a world built from the seeded players, and a sync of a
 * linked user run through the real activities (in a mock activity context, no worker), so the routes have stored
 * leagues, rosters, matches and recommendations to serve.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createFantraxActivities } from '../activities/fantrax.ts';
import { fantraxWorldPlayers } from '../db/fantrax-matches.ts';
import { buildLocalWorld } from '../fantrax/local-world.ts';
import type { FantraxWorld } from '../fantrax/world.ts';
import { startFantraxServer, type FantraxServer } from '../infra/fantrax-server.ts';
import type { Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';

/** A server over an empty world, to start before the API (whose settings take its URL); `populate` fills it later. */
export async function startEmptyFantraxServer(): Promise<
  FantraxServer & { populate(pool: Pool): Promise<FantraxWorld> }
> {
  const world: FantraxWorld = { users: {}, leagues: [], players: [] };
  const server = await startFantraxServer({ world });
  return {
    ...server,
    // The server reads the same object on every request: filling it in place is what it serves next.
    populate: async (pool) => Object.assign(world, buildLocalWorld(await fantraxWorldPlayers(pool))),
  };
}

/** Runs one sync of a linked user through the real activities; returns the sync id. */
export async function syncThroughActivities(pool: Pool, config: Config, userId: string): Promise<number> {
  const activities = createFantraxActivities({
    pool,
    config,
    log: createLogger({ level: 'silent' }),
    mlbBaseUrl: 'http://127.0.0.1:9',
  });
  const env = new MockActivityEnvironment();
  const { syncId } = await env.run<
    [{ userId: string; workflowId: string }],
    { syncId: number },
    typeof activities.startFantraxSync
  >((i) => activities.startFantraxSync(i), { userId, workflowId: 'test-sync' });
  const { leagueIds } = await env.run<
    [{ userId: string }],
    { leagueIds: string[] },
    typeof activities.fetchFantraxLeagues
  >((i) => activities.fetchFantraxLeagues(i), { userId });
  for (const leagueId of leagueIds)
    await env.run((i: { userId: string; syncId: number; leagueId: string }) => activities.syncFantraxLeague(i), {
      userId,
      syncId,
      leagueId,
    });
  await env.run((i: { userId: string; syncId: number; error: null }) => activities.finishFantraxSync(i), {
    userId,
    syncId,
    error: null,
  });
  await env.run((i: { userId: string }) => activities.recomputeFantraxRecommendations(i), { userId });
  return syncId;
}
