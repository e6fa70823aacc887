/**
 * The Temporal Schedules of the pipeline, created or updated to match the configuration: running it twice is safe.
 */
import {
  MONTHS,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type CalendarSpec,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Config } from '../lib/config.ts';
import { dailyUpdateScheduleId, type dailyUpdate } from '../workflows/daily-update.ts';
import { bioRefreshScheduleId, type refreshBios } from '../workflows/refresh-bios.ts';
import { reconcileSubscriptionsScheduleId } from '../workflows/billing-ids.ts';
import type { reconcileSubscriptions } from '../workflows/reconcile-subscriptions.ts';
import { outboxScheduleId, type sendOutbox } from '../workflows/send-outbox.ts';
import { weeklyDigestScheduleId, type weeklyDigest } from '../workflows/weekly-digest.ts';
import { eraseStripeCustomersScheduleId, type eraseStripeCustomers } from '../workflows/erase-stripe-customers.ts';
import { fantraxSyncAllScheduleId } from '../workflows/fantrax-ids.ts';
import type { fantraxSyncAll } from '../workflows/fantrax-sync.ts';
import { weeklyRetrainingScheduleId, type weeklyRetraining } from '../workflows/weekly-retraining.ts';

export function scheduleDefinitions(config: Config): ScheduleOptions[] {
  const { timezone, dailyUpdateHour, weeklyRetrainHour, bioRefreshHour, seasonMonths } = config.schedules;
  const month = { start: MONTHS[seasonMonths.first - 1]!, end: MONTHS[seasonMonths.last - 1]! };
  // Both start their workflow with the same input; the workflow id is the schedule id, so runs are easy to find.
  const args = [{ fromSeason: config.sample.fromSeason }] satisfies Parameters<typeof dailyUpdate> &
    Parameters<typeof weeklyRetraining>;
  const inSeason = (
    scheduleId: string,
    workflowType: string,
    calendar: CalendarSpec,
    catchupWindow: string,
  ): ScheduleOptions => ({
    scheduleId,
    spec: { calendars: [{ ...calendar, minute: 0, month }], timezone },
    action: { type: 'startWorkflow', workflowType, args, taskQueue: config.temporal.taskQueue, workflowId: scheduleId },
    // A slow run must not pile up the next ones; the next run catches up anyway.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow },
  });
  // Bios all year round: positions and handedness change in the off-season too, and it is one request per 100 players.
  const bioRefresh: ScheduleOptions = {
    scheduleId: bioRefreshScheduleId(),
    spec: {
      calendars: [{ dayOfWeek: 'SUNDAY', hour: bioRefreshHour, minute: 0, comment: 'Sundays, all year' }],
      timezone,
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'refreshBios',
      args: [{}] satisfies Parameters<typeof refreshBios>,
      taskQueue: config.temporal.taskQueue,
      workflowId: bioRefreshScheduleId(),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
  };
  // E-mail all year: the outbox drained every minute (runs end when nothing is due), the digest on Monday mornings.
  const outbox: ScheduleOptions = {
    scheduleId: outboxScheduleId(),
    spec: { intervals: [{ every: '1 minute' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'sendOutbox',
      args: [{}] satisfies Parameters<typeof sendOutbox>,
      taskQueue: config.temporal.taskQueue,
      workflowId: outboxScheduleId(),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
  const digest: ScheduleOptions = {
    scheduleId: weeklyDigestScheduleId(),
    spec: { calendars: [{ dayOfWeek: 'MONDAY', hour: 8, minute: 0, comment: 'Mondays, all year' }], timezone },
    action: {
      type: 'startWorkflow',
      workflowType: 'weeklyDigest',
      args: [{}] satisfies Parameters<typeof weeklyDigest>,
      taskQueue: config.temporal.taskQueue,
      workflowId: weeklyDigestScheduleId(),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
  };
  // Stripe reconciliation every night, all year: repairs what a lost or misordered webhook left behind.
  // Fantrax rosters every day, all year (trades and claims happen in the off-season too).
  const fantraxSync: ScheduleOptions = {
    scheduleId: fantraxSyncAllScheduleId(),
    spec: { calendars: [{ hour: config.fantrax.syncHour, minute: 0, comment: 'daily, all year' }], timezone },
    action: {
      type: 'startWorkflow',
      workflowType: 'fantraxSyncAll',
      args: [{}] satisfies Parameters<typeof fantraxSyncAll>,
      taskQueue: config.temporal.taskQueue,
      workflowId: fantraxSyncAllScheduleId(),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
  };
  // Erased accounts' Stripe customers that Stripe could not delete at the time (each keeps its own backoff).
  const eraseCustomers: ScheduleOptions = {
    scheduleId: eraseStripeCustomersScheduleId(),
    spec: { intervals: [{ every: '15 minutes' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'eraseStripeCustomers',
      args: [{}] satisfies Parameters<typeof eraseStripeCustomers>,
      taskQueue: config.temporal.taskQueue,
      workflowId: eraseStripeCustomersScheduleId(),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '15 minutes' },
  };
  const reconcile: ScheduleOptions = {
    scheduleId: reconcileSubscriptionsScheduleId(),
    spec: { calendars: [{ hour: 3, minute: 30, comment: 'daily, all year' }], timezone },
    action: {
      type: 'startWorkflow',
      workflowType: 'reconcileSubscriptions',
      args: [{}] satisfies Parameters<typeof reconcileSubscriptions>,
      taskQueue: config.temporal.taskQueue,
      workflowId: reconcileSubscriptionsScheduleId(),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
  };
  return [
    inSeason(dailyUpdateScheduleId(), 'dailyUpdate', { hour: dailyUpdateHour, comment: 'daily in season' }, '1 hour'),
    inSeason(
      weeklyRetrainingScheduleId(),
      'weeklyRetraining',
      { dayOfWeek: 'MONDAY', hour: weeklyRetrainHour, comment: 'Mondays in season' },
      '6 hours',
    ),
    bioRefresh,
    reconcile,
    outbox,
    digest,
    fantraxSync,
    eraseCustomers,
  ];
}

/**
 * The schedules that serve accounts (e-mail, Stripe, Fantrax), which `npm start` keeps running, as opposed to the
 * pipeline's, which it leaves to `npm run schedules` (a local run publishes once, on demand).
 */
export function accountScheduleIds(): string[] {
  return [
    outboxScheduleId(),
    weeklyDigestScheduleId(),
    fantraxSyncAllScheduleId(),
    eraseStripeCustomersScheduleId(),
    reconcileSubscriptionsScheduleId(),
  ];
}

/**
 * Creates each schedule (or only those named in `only`), or updates it in place when it exists. Returns what was
 * done to each.
 */
export async function ensureSchedules(
  client: Client,
  config: Config,
  options: { only?: readonly string[] } = {},
): Promise<{ scheduleId: string; action: 'created' | 'updated' }[]> {
  const done: { scheduleId: string; action: 'created' | 'updated' }[] = [];
  const wanted = scheduleDefinitions(config).filter((s) => !options.only || options.only.includes(s.scheduleId));
  for (const options of wanted) {
    try {
      await client.schedule.create(options);
      done.push({ scheduleId: options.scheduleId, action: 'created' });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
      done.push({ scheduleId: options.scheduleId, action: 'updated' });
    }
  }
  return done;
}
