/**
 * `npm run db:migrate`: applies the migrations in sql/ to DATABASE_URL (or the local cluster) and exits.
 */
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { openDatabase } from '../infra/database.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'migrate' });
  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());
  const { rows } = await db.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
  console.log(`schema is current: ${rows.map((r) => r.name).join(', ')}`);
});
