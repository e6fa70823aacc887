/**
 * `npm run worker`: a standalone pipeline worker against TEMPORAL_ADDRESS and DATABASE_URL (as in
 * temporal-compose.yml). Without MLB_STATS_API_URL it serves the sample source in-process.
 */
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { openDatabase } from '../infra/database.ts';
import { createPipelineWorker } from '../infra/pipeline-worker.ts';
import { startSampleSource } from '../infra/sample-source.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'worker' });
  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());
  const source = config.mlb.baseUrl ? undefined : await startSampleSource(config.sample, log);
  if (source) stack.push('sample source', () => source.close());
  const { worker, connection } = await createPipelineWorker({
    address: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue,
    deps: { pool: db.pool, config, log, mlbBaseUrl: config.mlb.baseUrl ?? source!.url },
  });
  const running = worker.run();
  stack.push('worker', async () => {
    worker.shutdown();
    await running;
    await connection.close();
  });
  log.info({ taskQueue: config.temporal.taskQueue }, 'worker running; Ctrl-C stops it');
  await Promise.race([running, stack.untilSignal()]);
});
