/**
 * `npm run db:backup [-- --out FILE]`: dumps DATABASE_URL (or the local cluster) with pg_dump in the custom format,
 * by default to .data/backups/afwd-<time>.dump, and prints the file.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dataPaths, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { backupDatabase, defaultBackupFile } from '../infra/backup.ts';
import { ensureLocalPostgres } from '../infra/postgres.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'db-backup' });
  let url = config.databaseUrl;
  if (!url) {
    const local = await ensureLocalPostgres({ dir: dataPaths(config).postgres, port: config.embeddedPgPort, log });
    stack.push('local postgres', () => local.stop());
    url = local.url;
  }
  const out = values.out ?? defaultBackupFile(path.join(config.dataDir, 'backups'));
  const result = await backupDatabase({ url, out });
  const size = statSync(result.file).size;
  console.log(
    `backup written: ${result.file} (${(size / 1024).toFixed(0)} KiB, ${path.basename(result.tool)} for PostgreSQL ${result.serverMajor})`,
  );
  console.log(`restore with: npm run db:restore -- --from ${result.file} [--to DATABASE_URL] [--clean]`);
});
