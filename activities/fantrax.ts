/** Activities of the Fantrax sync and the recommendations (filled in by the Fantrax work). */
import type { ActivityDeps } from './context.ts';

export function createFantraxActivities(_deps: ActivityDeps) {
  return {};
}
