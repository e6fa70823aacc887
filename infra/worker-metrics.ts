/**
 * The pipeline worker's own Prometheus metrics (`afwd_*`, a prom-client Registry of its own): activity latency and
 * failures from an activity interceptor, rows loaded and quarantined from the season-load activity, workflow failures
 * from a workflow interceptor's sink, and gauges read when Prometheus scrapes (data freshness, quarantine rate, the
 * serving model's figures, the season, the task queue's backlog, model monitoring). infra/worker-metrics-server.ts
 * serves them with Temporal core's own metrics; the names are the contract the alert rules use (README, Operations).
 */
import { fileURLToPath } from 'node:url';
import type {
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  InjectedSinks,
  NativeConnection,
} from '@temporalio/worker';
import { Counter, Histogram, Registry } from 'prom-client';
import type { ActivityMetrics } from '../activities/context.ts';
import { MLB_SOURCE } from '../activities/ingest.ts';
import { latestBatchQuarantine, secondsSinceSeasonLoad, servingModelFigures } from '../db/ops-metrics.ts';
import type { Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';
import { inSeason } from '../lib/season-calendar.ts';
import { registerMonitoringGauges } from '../monitoring/metrics.ts';
import { createScrapeReads } from './scrape-reads.ts';
import type { WorkflowMetricsSinks } from './workflow-failure-interceptor.ts';

const WORKFLOW_INTERCEPTOR = fileURLToPath(new URL('./workflow-failure-interceptor.ts', import.meta.url));

/** How long one scrape-time read (a query, DescribeTaskQueue) may take before its gauge is left unset. @default 2000 */
export const SCRAPE_READ_TIMEOUT_MS = 2_000;

export interface WorkerMetrics {
  registry: Registry;
  activityInterceptors: ActivityInterceptorsFactory[];
  /** Workflow interceptor modules for the worker's bundle (the failure counter's). */
  workflowModules: string[];
  sinks: InjectedSinks<WorkflowMetricsSinks>;
  /** What activities report (ActivityDeps.metrics). */
  activities: ActivityMetrics;
}

export interface WorkerMetricsOptions {
  pool: Pool;
  config: Pick<Config, 'schedules' | 'seasonCalendar'>;
  log: Logger;
  /** The task queue whose backlog is exported, and how to read it (`taskQueueBacklog` over the worker's connection). */
  taskQueue: { name: string; backlog: (timeoutMs: number) => Promise<number> };
  /** @default SCRAPE_READ_TIMEOUT_MS */
  readTimeoutMs?: number;
  /** @default () => new Date() */
  now?: () => Date;
}

/**
 * The activity interceptor: each attempt's duration by activity type and outcome, and the attempts that threw.
 * A cancelled attempt throws too, so it counts as failed: it did not complete.
 */
export function activityMetricsInterceptor(
  duration: Histogram<'activity_type' | 'outcome'>,
  failures: Counter<'activity_type'>,
): ActivityInterceptorsFactory {
  return (ctx) => {
    const activityType = ctx.info.activityType;
    const inbound: ActivityInboundCallsInterceptor = {
      async execute(input, next) {
        const started = performance.now();
        try {
          const result = await next(input);
          duration.observe({ activity_type: activityType, outcome: 'completed' }, (performance.now() - started) / 1000);
          return result;
        } catch (error) {
          duration.observe({ activity_type: activityType, outcome: 'failed' }, (performance.now() - started) / 1000);
          failures.inc({ activity_type: activityType });
          throw error;
        }
      },
    };
    return { inbound };
  };
}

export function createWorkerMetrics(options: WorkerMetricsOptions): WorkerMetrics {
  const { pool, config, log, taskQueue } = options;
  const readTimeoutMs = options.readTimeoutMs ?? SCRAPE_READ_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());
  const registry = new Registry();

  const duration = new Histogram({
    name: 'afwd_activity_duration_seconds',
    help: 'Time an activity attempt took, by activity type and outcome (completed, failed).',
    labelNames: ['activity_type', 'outcome'] as const,
    registers: [registry],
    // From a quick database step to a model training (the longest activity, up to about an hour).
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
  });
  const failures = new Counter({
    name: 'afwd_activity_failures_total',
    help: 'Activity attempts that threw (Temporal may retry them), by activity type.',
    labelNames: ['activity_type'] as const,
    registers: [registry],
  });
  const rowsLoaded = new Counter({
    name: 'afwd_rows_loaded_total',
    help: 'Season lines loaded by the season loads this process committed.',
    registers: [registry],
  });
  const rowsQuarantined = new Counter({
    name: 'afwd_rows_quarantined_total',
    help: 'Season lines quarantined by the season loads this process committed.',
    registers: [registry],
  });
  const workflowFailures = new Counter({
    name: 'afwd_workflow_failures_total',
    help: 'Workflow executions this worker ran to a failed end, by workflow type.',
    labelNames: ['workflow_type'] as const,
    registers: [registry],
  });

  const scrape = createScrapeReads({ registry, pool, log, timeoutMs: readTimeoutMs });
  const { fromDb } = scrape;
  const scraped = scrape.gauge;

  scraped(
    'afwd_data_freshness_seconds',
    'Seconds since the newest successful season load finished (absent before the first).',
    async (g) => {
      const seconds = await fromDb((db) => secondsSinceSeasonLoad(db, MLB_SOURCE));
      if (seconds !== null) g.set(seconds);
    },
  );
  scraped(
    'afwd_quarantine_rate',
    'Share of fetched season lines quarantined (0..1) in the most recent season load that ended (loaded or breached).',
    async (g) => {
      const latest = await fromDb((db) => latestBatchQuarantine(db, MLB_SOURCE));
      if (latest) g.set(latest.rate);
    },
  );
  scraped(
    'afwd_in_season',
    "1 from the first day of SEASON_MONTHS through the regular season's last day, else 0.",
    async (g) => {
      g.set(inSeason(now(), config.schedules.seasonMonths, config.seasonCalendar) ? 1 : 0);
    },
  );
  // One read serves the four model gauges; each is absent when the model did not store its figure.
  const servingOnce = scrape.shared("the serving model's figures", () => fromDb(servingModelFigures));
  const modelGauge = (
    name: string,
    help: string,
    pick: (f: NonNullable<Awaited<ReturnType<typeof servingModelFigures>>>) => number | null,
  ) =>
    scraped(name, help, async (g) => {
      const figures = await servingOnce();
      const value = figures ? pick(figures) : null;
      if (value !== null && Number.isFinite(value)) g.set(value);
    });
  modelGauge('afwd_serving_model_auc', 'Held-out ROC AUC of the model serving now.', (f) => f.auc);
  modelGauge('afwd_serving_model_brier', 'Held-out Brier score of the model serving now.', (f) => f.brier);
  modelGauge(
    'afwd_serving_model_calibration_error',
    'Held-out expected calibration error (count-weighted reliability-bin gap) of the model serving now.',
    (f) => f.calibrationError,
  );
  modelGauge('afwd_serving_model_age_seconds', 'Seconds since the model serving now was trained.', (f) => f.ageSeconds);
  scraped(
    'afwd_task_queue_backlog',
    "Temporal's approximate backlog (workflow plus activity tasks) of the pipeline task queue.",
    async (g) => {
      g.set({ task_queue: taskQueue.name }, await taskQueue.backlog(readTimeoutMs));
    },
    ['task_queue'] as const,
  );

  registerMonitoringGauges(scrape);

  return {
    registry,
    activityInterceptors: [activityMetricsInterceptor(duration, failures)],
    workflowModules: [WORKFLOW_INTERCEPTOR],
    sinks: {
      afwdMetrics: {
        workflowFailed: {
          fn: (info) => workflowFailures.inc({ workflow_type: info.workflowType }),
          callDuringReplay: false,
        },
      },
    },
    activities: {
      seasonLoaded({ rowsLoaded: loaded, rowsQuarantined: quarantined }) {
        rowsLoaded.inc(loaded);
        rowsQuarantined.inc(quarantined);
      },
    },
  };
}

/**
 * Temporal's approximate backlog of `taskQueue` (DescribeTaskQueue with stats), workflow and activity tasks together,
 * through the worker's own connection, cut off after `timeoutMs`.
 */
export async function taskQueueBacklog(
  connection: NativeConnection,
  namespace: string,
  taskQueue: string,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let total = 0;
  for (const taskQueueType of [1, 2]) {
    // TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY
    const response = await connection.withDeadline(deadline, () =>
      connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType,
        reportStats: true,
      }),
    );
    total += Number(response.stats?.approximateBacklogCount ?? 0);
  }
  return total;
}
