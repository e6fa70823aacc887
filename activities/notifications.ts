/** Activities of the outbox drain and the notifications it sends (filled in by the notifications work). */
import type { ActivityDeps } from './context.ts';

export function createNotificationActivities(_deps: ActivityDeps) {
  return {};
}
