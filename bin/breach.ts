/**
 * The data-quality circuit breaker's failure as an operator should read it at the end of `npm run backfill`,
 * `pipeline` or `start`: its message alone (cells, field, reason, the quarantine command), not a stack trace of
 * the workflow failure that carries it.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DATA_QUALITY_BREACH } from '../sources/validate/breach-details.ts';

export { DATA_QUALITY_BREACH };

/** The breach's message if `error` (a workflow failure, or anything with a cause chain) carries one, else null. */
export function breachMessage(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof ApplicationFailure && e.type === DATA_QUALITY_BREACH) {
      return `Stopped by the data-quality circuit breaker; nothing downstream ran.\n${e.message.split(' | ').join('\n')}`;
    }
  }
  return null;
}
