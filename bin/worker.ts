/**
 * `npm run worker`: a pipeline worker against TEMPORAL_ADDRESS and DATABASE_URL (as in temporal-compose.yml);
 * starts the local dev server and database itself when none is configured. Without MLB_STATS_API_URL it serves
 * the sample source in-process.
 */
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { initTracing } from '../lib/tracing.ts';
import { startLocalStack } from '../infra/local-stack.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'worker' });
  const tracing = initTracing({ serviceName: 'afwd-worker', config, log });
  stack.push('tracing', () => tracing.shutdown());
  await startLocalStack(config, log, stack, { worker: true });
  log.info({ taskQueue: config.temporal.taskQueue }, 'worker running; Ctrl-C stops it');
  await stack.untilSignal();
});
