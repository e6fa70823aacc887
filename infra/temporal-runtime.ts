/**
 * Process-wide Temporal settings: where the workflow bundle starts, Temporal's logs routed to pino, and Temporal
 * core's Prometheus exporter on an internal loopback port that the worker's metrics endpoint merges in.
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../lib/log.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

let runtimeInstalled = false;
let coreMetricsUrl: string | null = null;
/**
 * Sends Temporal's logs (workflow and activity loggers, with their workflowId/activityId metadata) to pino.
 * Signals are left to the entry point, which shuts everything down in order. Once per process: the first call
 * decides, later ones only learn what it decided.
 * @param coreMetricsAddress host:port for Temporal core's Prometheus exporter (its `temporal_*` metrics, served at
 * `/metrics`); a loopback address from `loopbackMetricsAddress`, since infra/worker-metrics-server.ts serves them
 * merged with the application's. Omitted: core exports no metrics.
 * @returns the URL of core's metrics, or null when the runtime was installed without an exporter.
 */
export function installTemporalRuntime(log: Logger, coreMetricsAddress?: string): string | null {
  if (runtimeInstalled) return coreMetricsUrl;
  // Throws when the exporter cannot bind its address ("Address already in use"): the worker then fails to start.
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      // pino serialises errors under `err` only; Temporal names them `error`.
      const { error, ...meta } = entry.meta ?? {};
      log[PINO_LEVEL[entry.level]](error === undefined ? meta : { ...meta, err: error }, entry.message);
    }),
    shutdownSignals: [],
    // The default `temporal_` prefix stays, so Temporal's dashboards and documentation apply as they are.
    ...(coreMetricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: coreMetricsAddress } } } }
      : {}),
  });
  runtimeInstalled = true;
  coreMetricsUrl = coreMetricsAddress ? `http://${coreMetricsAddress}/metrics` : null;
  return coreMetricsUrl;
}

/**
 * A loopback address with a port free right now, for core's exporter. Core binds it a moment later (it cannot report
 * a port it chose itself); another process taking the port in between makes Runtime.install throw, and the worker fail to
 * start with that error.
 */
export async function loopbackMetricsAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}
