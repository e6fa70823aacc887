/**
 * Process-wide Temporal settings: where the workflow bundle starts, and Temporal's logs routed to pino.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../lib/log.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

let runtimeInstalled = false;
/**
 * Sends Temporal's logs (workflow and activity loggers, with their workflowId/activityId metadata) to pino.
 * Signals are left to the entry point, which shuts everything down in order. Once per process.
 */
export function installTemporalRuntime(log: Logger, metricsAddress?: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      // pino serialises errors under `err` only; Temporal names them `error`.
      const { error, ...meta } = entry.meta ?? {};
      log[PINO_LEVEL[entry.level]](error === undefined ? meta : { ...meta, err: error }, entry.message);
    }),
    shutdownSignals: [],
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
}

