/**
 * `npm run db:restore -- --from FILE [--to DATABASE_URL] [--clean]`: restores a db:backup file into the given
 * database (default DATABASE_URL, or the local cluster) with pg_restore. A database already holding objects is
 * refused unless --clean is given, which first drops every schema of it (all its tables and data).
 */
import { parseArgs } from 'node:util';
import { ConfigError, dataPaths, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { restoreDatabase } from '../infra/backup.ts';
import { ensureLocalPostgres } from '../infra/postgres.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, clean: { type: 'boolean', default: false } },
  });
  if (!values.from) throw new ConfigError('--from FILE is required: the backup to restore (see npm run db:backup).');
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'db-restore' });
  let url = values.to ?? config.databaseUrl;
  if (!url) {
    const local = await ensureLocalPostgres({ dir: dataPaths(config).postgres, port: config.embeddedPgPort, log });
    stack.push('local postgres', () => local.stop());
    url = local.url;
  }
  const target = new URL(url);
  const result = await restoreDatabase({ from: values.from, url, clean: values.clean ?? false });
  console.log(
    `restored ${values.from} into ${target.host}${target.pathname}` +
      (result.cleaned ? ' (existing objects replaced: --clean)' : ''),
  );
});
