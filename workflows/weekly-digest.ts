/**
 * The weekly digest (schedule `weekly-digest`): queues one e-mail per user with a watchlist for the ISO week, then
 * asks for the outbox to be drained. Queueing is keyed by user and week, so a re-run sends nothing twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { isoWeek } from '../notifications/iso-week.ts';

const { queueWeeklyDigests, requestOutboxDrain } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5 },
});

export interface WeeklyDigestInput {
  /** `YYYY-Www`. @default the week of the workflow's clock (replay-safe) */
  isoWeek?: string;
}

export function weeklyDigestScheduleId(): string {
  return 'weekly-digest';
}

export async function weeklyDigest(input: WeeklyDigestInput = {}): Promise<{ isoWeek: string; queued: number }> {
  const week = input.isoWeek ?? isoWeek(new Date());
  const { queued } = await queueWeeklyDigests({ isoWeek: week });
  if (queued > 0) await requestOutboxDrain();
  return { isoWeek: week, queued };
}
