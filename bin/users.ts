/**
 * Accounts from the command line:
 *
 *   npm run users -- set-role ann@example.com premium
 *   npm run users -- list [--role admin]
 */
import { openDatabase } from '../infra/database.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { runMain } from './main.ts';
import { usersCommand } from './users-command.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'users' });
  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());
  for (const line of await usersCommand(db.pool, process.argv.slice(2))) console.log(line);
});
