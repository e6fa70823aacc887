/**
 * The Temporal Schedules of the pipeline, created or updated to match the configuration: running it twice is safe.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../lib/config.ts';
import { MONTHS } from '@temporalio/client';
import { dailyUpdateScheduleId, type dailyUpdate } from '../workflows/daily-update.ts';
import { weeklyRetrainingScheduleId, type weeklyRetraining } from '../workflows/weekly-retraining.ts';

export function scheduleDefinitions(config: Config): ScheduleOptions[] {
  const { timezone, dailyUpdateHour, seasonMonths } = config.schedules;
  const month = { start: MONTHS[seasonMonths.first - 1]!, end: MONTHS[seasonMonths.last - 1]! };
  const daily: ScheduleOptions = {
    scheduleId: dailyUpdateScheduleId(),
    spec: { calendars: [{ hour: dailyUpdateHour, minute: 0, month, comment: 'daily in season' }], timezone },
    action: {
      type: 'startWorkflow',
      workflowType: 'dailyUpdate',
      args: [{ fromSeason: config.sample.fromSeason }] satisfies Parameters<typeof dailyUpdate>,
      taskQueue: config.temporal.taskQueue,
      workflowId: 'daily-update',
    },
    // A slow day must not pile up runs; the next day's run catches up anyway.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  };
  const weekly: ScheduleOptions = {
    scheduleId: weeklyRetrainingScheduleId(),
    spec: { calendars: [{ dayOfWeek: 'MONDAY', hour: config.schedules.weeklyRetrainHour, minute: 0, month, comment: 'Mondays in season' }], timezone },
    action: {
      type: 'startWorkflow',
      workflowType: 'weeklyRetraining',
      args: [{ fromSeason: config.sample.fromSeason }] satisfies Parameters<typeof weeklyRetraining>,
      taskQueue: config.temporal.taskQueue,
      workflowId: 'weekly-retraining',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
  };
  return [daily, weekly];
}

/** Creates each schedule, or updates it in place when it exists. Returns what was done to each. */
export async function ensureSchedules(client: Client, config: Config): Promise<{ scheduleId: string; action: 'created' | 'updated' }[]> {
  const done: { scheduleId: string; action: 'created' | 'updated' }[] = [];
  for (const options of scheduleDefinitions(config)) {
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
