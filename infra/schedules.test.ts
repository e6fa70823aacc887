import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { accountScheduleIds, ensureSchedules } from './schedules.ts';

describe('ensureSchedules', () => {
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await client.schedule
      .getHandle('daily-update')
      .delete()
      .catch(() => undefined);
    await client.schedule
      .getHandle('weekly-retraining')
      .delete()
      .catch(() => undefined);
    await client.schedule
      .getHandle('bio-refresh')
      .delete()
      .catch(() => undefined);
    await client.schedule
      .getHandle('reconcile-subscriptions')
      .delete()
      .catch(() => undefined);
    await client.schedule
      .getHandle('send-outbox-every-minute')
      .delete()
      .catch(() => undefined);
    await client.schedule
      .getHandle('weekly-digest')
      .delete()
      .catch(() => undefined);
    await client.schedule
      .getHandle('fantrax-sync-all')
      .delete()
      .catch(() => undefined);
    await client.schedule
      .getHandle('erase-stripe-customers')
      .delete()
      .catch(() => undefined);
    await connection.close();
  });

  it('creates the daily update at 06:00 New York time in season, then updates it in place', async () => {
    const config = loadConfig({ TEMPORAL_TASK_QUEUE: 'schedules-test' });
    expect(await ensureSchedules(client, config)).toEqual([
      { scheduleId: 'daily-update', action: 'created' },
      { scheduleId: 'weekly-retraining', action: 'created' },
      { scheduleId: 'bio-refresh', action: 'created' },
      { scheduleId: 'reconcile-subscriptions', action: 'created' },
      { scheduleId: 'send-outbox-every-minute', action: 'created' },
      { scheduleId: 'weekly-digest', action: 'created' },
      { scheduleId: 'fantrax-sync-all', action: 'created' },
      { scheduleId: 'erase-stripe-customers', action: 'created' },
    ]);
    const erase = await client.schedule.getHandle('erase-stripe-customers').describe();
    expect(erase.spec.intervals?.[0]).toMatchObject({ every: 900_000 });
    expect(erase.action).toMatchObject({ workflowType: 'eraseStripeCustomers', args: [{}] });
    const fantrax = await client.schedule.getHandle('fantrax-sync-all').describe();
    expect(fantrax.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 7, end: 7, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
    expect(fantrax.action).toMatchObject({ workflowType: 'fantraxSyncAll', args: [{}] });
    const outbox = await client.schedule.getHandle('send-outbox-every-minute').describe();
    expect(outbox.spec.intervals?.[0]).toMatchObject({ every: 60_000 });
    expect(outbox.action).toMatchObject({ workflowType: 'sendOutbox', args: [{}] });
    expect(outbox.policies.overlap).toBe('SKIP');
    const digest = await client.schedule.getHandle('weekly-digest').describe();
    expect(digest.spec.calendars?.[0]).toMatchObject({
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
      hour: [{ start: 8, end: 8, step: 1 }],
    });
    expect(digest.action).toMatchObject({ workflowType: 'weeklyDigest' });
    const reconcile = await client.schedule.getHandle('reconcile-subscriptions').describe();
    expect(reconcile.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 3, end: 3, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
    });
    expect(reconcile.action).toMatchObject({ workflowType: 'reconcileSubscriptions', args: [{}] });
    const bios = await client.schedule.getHandle('bio-refresh').describe();
    expect(bios.spec.calendars?.[0]).toMatchObject({
      dayOfWeek: [{ start: 'SUNDAY', end: 'SUNDAY', step: 1 }],
      hour: [{ start: 5, end: 5, step: 1 }],
    });
    // All year: no month range, unlike the in-season schedules.
    expect(bios.spec.calendars?.[0]?.month).toEqual([{ start: 'JANUARY', end: 'DECEMBER', step: 1 }]);
    expect(bios.action).toMatchObject({ workflowType: 'refreshBios', args: [{}] });
    const weekly = await client.schedule.getHandle('weekly-retraining').describe();
    expect(weekly.spec.calendars?.[0]).toMatchObject({
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
      hour: [{ start: 4, end: 4, step: 1 }],
    });
    expect(weekly.action).toMatchObject({ workflowType: 'weeklyRetraining' });
    const first = await client.schedule.getHandle('daily-update').describe();
    expect(first.spec.timezone).toBe('America/New_York');
    expect(first.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 6, end: 6, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
      month: [{ start: 'MARCH', end: 'OCTOBER', step: 1 }],
    });
    expect(first.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'dailyUpdate',
      taskQueue: 'schedules-test',
    });

    const later = loadConfig({ TEMPORAL_TASK_QUEUE: 'schedules-test', DAILY_UPDATE_HOUR: '7', SEASON_MONTHS: '4-9' });
    expect((await ensureSchedules(client, later)).map((d) => d.action)).toEqual([
      'updated',
      'updated',
      'updated',
      'updated',
      'updated',
      'updated',
      'updated',
      'updated',
    ]);
    const second = await client.schedule.getHandle('daily-update').describe();
    expect(second.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 7, end: 7, step: 1 }],
      month: [{ start: 'APRIL', end: 'SEPTEMBER', step: 1 }],
    });
    const next = second.info.nextActionTimes[0];
    expect(next).toBeInstanceOf(Date);
    const nyHour = Number(
      new Intl.DateTimeFormat('en-US', { hour: 'numeric', hour12: false, timeZone: 'America/New_York' }).format(next),
    );
    expect(nyHour).toBe(7);
  });

  it('keeps only the account schedules when asked (what npm start runs)', async () => {
    const config = loadConfig({ TEMPORAL_TASK_QUEUE: 'schedules-test' });
    expect(await ensureSchedules(client, config, { only: accountScheduleIds() })).toEqual([
      { scheduleId: 'reconcile-subscriptions', action: 'updated' },
      { scheduleId: 'send-outbox-every-minute', action: 'updated' },
      { scheduleId: 'weekly-digest', action: 'updated' },
      { scheduleId: 'fantrax-sync-all', action: 'updated' },
      { scheduleId: 'erase-stripe-customers', action: 'updated' },
    ]);
  });
});
