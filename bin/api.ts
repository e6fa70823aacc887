/**
 * `npm run api`: the premium API alone, against DATABASE_URL (or the project-local cluster) and REDIS_URL (or the
 * project-local redis-server); the database is migrated first, as every entry point does. Stripe events, Fantrax
 * syncs and e-mail drains go to the Temporal server at TEMPORAL_ADDRESS, connected on first use (the API serves while
 * Temporal is away; those routes then answer 503). SIGTERM or Ctrl-C drains in-flight requests
 * (API_SHUTDOWN_GRACE_MS) before the process exits.
 */
import { Connection } from '@temporalio/client';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { initTracing } from '../lib/tracing.ts';
import { startApiServer } from '../api/server.ts';
import { openDatabase } from '../infra/database.ts';
import { openRedis } from '../infra/redis.ts';
import { createTemporalClient } from '../infra/temporal-client.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  // Access lines are written asynchronously (a synchronous write per request costs ~9% of the CPU); the server's
  // close flushes them.
  const log = createLogger({ level: config.logLevel, name: 'api', async: true });
  // First on the stack, so stopped last: the spans of the requests drained at shutdown are exported too.
  const tracing = initTracing({ serviceName: 'afwd-api', config, log });
  stack.push('tracing', () => tracing.shutdown());
  const database = await openDatabase(config, log);
  stack.push('database', () => database.close());
  const redis = await openRedis(config, log);
  stack.push('redis', () => redis.stop());
  const connection = Connection.lazy({ address: config.temporal.address });
  stack.push('temporal client', () => connection.close());
  const temporal = {
    client: createTemporalClient({ connection, namespace: config.temporal.namespace }),
    taskQueue: config.temporal.taskQueue,
  };
  // The API keeps a pool of its own, sized and timed for requests (API_DB_POOL_SIZE, API_STATEMENT_TIMEOUT_MS).
  const api = await startApiServer(
    { ...config, databaseUrl: database.url, redis: { ...config.redis, url: redis.url } },
    log,
    { temporal },
  );
  stack.push('api server', () => api.close());
  console.log(`\n  API:       ${api.apiUrl}\n  API docs:  ${api.docsUrl}\n`);
  await stack.untilSignal();
});
