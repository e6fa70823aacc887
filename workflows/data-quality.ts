/**
 * Workflow-side handling of the data-quality circuit breaker's failure (activities/data-quality.ts): find it inside
 * an activity's or a child's failure and pass it on as itself, so every level up to the pipeline fails with type
 * `DataQualityBreach` and the message naming cells, field and reason, instead of a generic "child failed".
 * Not a workflow: index.ts does not export this file.
 */
import { ApplicationFailure, TemporalFailure } from '@temporalio/workflow';

/** Same string as activities/data-quality.ts DATA_QUALITY_BREACH (workflows may import activity types only). */
export const DATA_QUALITY_BREACH = 'DataQualityBreach';

/** The breach somewhere in this failure's cause chain (activity failure, child failure, ...), or null. */
export function findBreach(error: unknown): ApplicationFailure | null {
  for (let e: unknown = error; e instanceof Error; e = e instanceof TemporalFailure ? e.cause : undefined) {
    if (e instanceof ApplicationFailure && e.type === DATA_QUALITY_BREACH) return e;
  }
  return null;
}

/** The breach re-thrown at this level (non-retryable, same message and details); any other error unchanged. */
export function passOnBreach(error: unknown): never {
  const breach = findBreach(error);
  if (breach) throw ApplicationFailure.nonRetryable(breach.message, DATA_QUALITY_BREACH, ...(breach.details ?? []));
  throw error;
}
