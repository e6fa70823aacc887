/**
 * `npm run fantrax:rotate-keys`: re-encrypts every stored Fantrax Secret ID under the newest key of
 * FANTRAX_SECRET_KEYS (or the local key file). See bin/fantrax-rotate-keys-command.ts.
 */
import { openDatabase } from '../infra/database.ts';
import { loadKeyring } from '../fantrax/keyring.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { formatRotationReport, rotateFantraxKeys } from './fantrax-rotate-keys-command.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    name: 'fantrax-rotate-keys',
  });
  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());
  const report = await rotateFantraxKeys(db.pool, await loadKeyring(config));
  for (const line of formatRotationReport(report)) console.log(line);
  if (report.unreadable.length) process.exitCode = 1;
});
