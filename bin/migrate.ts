/**
 * `npm run db:migrate`: applies the migrations in sql/ to DATABASE_URL (or the local cluster) and exits.
 */
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { appliedMigrations } from '../db/schema-migrations.ts';
import { openDatabase } from '../infra/database.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'migrate' });
  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());
  console.log(`schema is current: ${(await appliedMigrations(db.pool)).join(', ')}`);
});
