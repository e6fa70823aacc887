/**
 * The local Fantrax of `npm start` when FANTRAX_API_URL is unset: the Fantrax-shaped server on
 * config.fantrax.localPort over a world built from our own players (fantrax/local-world.ts), rebuilt by `refresh()`
 * once a publication has ranked prospects. The demo user's Secret ID is `DEMO_SECRET_ID`.
 */
import { fantraxWorldPlayers } from '../db/fantrax-matches.ts';
import { buildLocalWorld, DEMO_SECRET_ID } from '../fantrax/local-world.ts';
import type { FantraxWorld } from '../fantrax/world.ts';
import type { Config } from '../lib/config.ts';
import { createPool } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';
import { startFantraxServer } from './fantrax-server.ts';

export interface LocalFantrax {
  url: string;
  demoSecretId: string;
  /** Rebuilds the world from the players table (after a publication). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalFantrax(options: {
  config: Config;
  databaseUrl: string;
  log: Logger;
}): Promise<LocalFantrax> {
  const pool = createPool(options.databaseUrl, { max: 1, applicationName: 'afwd-local-fantrax' });
  const world: FantraxWorld = buildLocalWorld([]);
  // The server reads this object on every request, so rebuilding it in place changes what it answers.
  const refresh = async () => {
    Object.assign(world, buildLocalWorld(await fantraxWorldPlayers(pool)));
  };
  try {
    await refresh();
    const server = await startFantraxServer({
      port: options.config.fantrax.localPort,
      world,
      log: options.log.child({ module: 'local-fantrax' }),
    });
    return {
      url: server.url,
      demoSecretId: DEMO_SECRET_ID,
      refresh,
      close: async () => {
        await server.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
