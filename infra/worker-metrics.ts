/**
 * The pipeline worker's own Prometheus metrics (issue 11.1, being built): the activity interceptor that times
 * activities and counts failures.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

export function workerMetricsInterceptors(): ActivityInterceptorsFactory[] {
  return [];
}
