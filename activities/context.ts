/**
 * What every activity factory receives, and the per-activity logger that carries Temporal's ids.
 * Only entry points build these dependencies; tests pass their own.
 */
import { Context } from '@temporalio/activity';
import type { Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';

export interface ActivityDeps {
  pool: Pool;
  config: Config;
  log: Logger;
  /** Base URL of the MLB Stats API (or the local sample source) this worker ingests from. */
  mlbBaseUrl: string;
  /** Where activities count what the worker's Prometheus endpoint exports (infra/worker-metrics.ts); absent in tests. */
  metrics?: ActivityMetrics;
}

/** The counts activities report to the worker's metrics. */
export interface ActivityMetrics {
  /** A season load committed in this process (not one an earlier attempt had already committed). */
  seasonLoaded(counts: { rowsLoaded: number; rowsQuarantined: number }): void;
}

/** The deps' logger with the workflow and activity ids of the running activity, for every line it writes. */
export function activityLog(log: Logger): Logger {
  const info = Context.current().info;
  return log.child({
    workflowId: info.workflowExecution?.workflowId,
    runId: info.workflowExecution?.runId,
    activityId: info.activityId,
    activityType: info.activityType,
    attempt: info.attempt,
  });
}

export function heartbeat(details?: unknown): void {
  Context.current().heartbeat(details);
}
