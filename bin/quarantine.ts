/**
 * Inspect the quarantine of an ingest: what was rejected, by cell (season, level, group), by cause (field and
 * reason), with sample rows; and mark a batch's quarantine resolved once its cause is fixed.
 *
 *   npm run quarantine -- --batch 12
 *   npm run quarantine -- --season 2006 [--samples 5]
 *   npm run quarantine -- --batch 12 --resolve "parser reads battersFaced again; backfill re-run"
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../infra/database.ts';
import { ConfigError, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { readQuarantine, resolveQuarantine } from '../db/quarantine.ts';
import { runMain } from './main.ts';
import { formatQuarantineReport } from './quarantine-format.ts';

const USAGE = 'usage: npm run quarantine -- (--batch ID | --season YYYY) [--samples 3] [--resolve "what was done"]';

function whole(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new ConfigError(`--${flag} must be a whole number, got "${value}"; ${USAGE}`);
  return Number(value);
}

await runMain(async (stack) => {
  const { values } = parseArgs({
    options: {
      batch: { type: 'string' },
      season: { type: 'string' },
      samples: { type: 'string' },
      resolve: { type: 'string' },
    },
  });
  const batchId = whole('batch', values.batch);
  const season = whole('season', values.season);
  if ((batchId === undefined) === (season === undefined))
    throw new ConfigError(`give one of --batch or --season; ${USAGE}`);
  if (values.resolve !== undefined && batchId === undefined) throw new ConfigError(`--resolve needs --batch; ${USAGE}`);
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'quarantine' });
  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());
  if (values.resolve !== undefined && batchId !== undefined) {
    if (values.resolve.trim() === '') throw new ConfigError(`--resolve needs a description of what was done; ${USAGE}`);
    const marked = await resolveQuarantine(db.pool, batchId, values.resolve.trim());
    console.log(`Marked ${marked} quarantined rows of batch ${batchId} resolved.`);
    return;
  }
  const report = await readQuarantine(db.pool, {
    ...(batchId === undefined ? {} : { batchId }),
    ...(season === undefined ? {} : { season }),
    samplesPerCause: whole('samples', values.samples) ?? 3,
  });
  process.stdout.write(formatQuarantineReport(report, batchId === undefined ? `season ${season}` : `batch ${batchId}`));
});
