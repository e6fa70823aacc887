/**
 * The API alone in a process of its own, for the API benchmark (bench/api.ts starts it under `taskset`): the server
 * `npm run api` starts (api/server.ts), against DATABASE_URL and REDIS_URL from the environment, on a free port.
 * Tells its parent the URL over the IPC channel; SIGTERM closes it gracefully and exits, so `--cpu-prof` writes
 * its profile.
 */
import { startApiServer } from '../api/server.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { initTracing } from '../lib/tracing.ts';

const config = loadConfig({ ...process.env, API_HOST: '127.0.0.1', API_PORT: '0' });
if (!config.databaseUrl || !config.redis.url) throw new Error('api-server-process needs DATABASE_URL and REDIS_URL');
// As bin/api.ts: every request gets its span (exported when OTEL_EXPORTER_OTLP_ENDPOINT is set), so load figures include it.
initTracing({ serviceName: 'afwd-api', config });
// Asynchronous, as the API's access log should be: one line a request, not one synchronous write each.
const log = createLogger({ level: config.logLevel, name: 'api', async: true });
const api = await startApiServer(config, log);
// timeOrigin: when this process started (ms since the epoch), which --trace-gc's times count from.
process.send?.({ url: api.url, timeOrigin: performance.timeOrigin });

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void api.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
