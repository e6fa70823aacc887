/**
 * Chaos scenario `stripe-webhook-replay`: stripe-mock, a Temporal dev server, a real pipeline worker (which runs the
 * subscription saga) in this process, and the API as `npm run api` runs it. Three accounts get the same four signed
 * events of a subscription's life (checkout.session.completed, customer.subscription.updated, invoice.payment_failed,
 * customer.subscription.deleted, one second apart in Stripe's clock): the control account in order, once each, each
 * applied before the next is sent; the two others twice each, the eight deliveries shuffled (ctx.random): `burst`
 * back to back (as a Stripe retrying after timeouts would), `spaced` each applied before the next (an older event
 * arriving after a newer one was applied, as retries hours later would).
 *
 * Verified: every delivery answered 200 (queued or duplicate), none 5xx; for each replayed account, each event is in
 * stripe_events once and processed, and the worker applied it exactly once (one `applied` or `stale` outcome per
 * event id in its log, every other copy a `duplicate` or dropped by the saga before reaching the database; no
 * payment_failed e-mail twice (none when the failure arrives after the cancellation: it is applied as stale); no state
 * change audited twice); and it ends exactly as the in-order account: role, and the subscription's status, period
 * end, cancellation flag and grace (billing/grace-order.ts keeps the grace of a failure that arrives late).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  deliverWebhook,
  stripeEvent,
  type StripeEventType,
  type TestStripeEvent,
  type WebhookParties,
} from '../billing/simulated-events.ts';
import { locateStripeMock, startStripeMock } from '../infra/stripe-mock.ts';
import { createUser } from '../db/users.ts';
import { loadConfig } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import type { ChaosCheck, ChaosScenario } from './scenario.ts';
import { shuffled } from './support/api-shuffle.ts';
import { freePort } from '../test/ports.ts';
import { startApiProcess } from './support/api-process.ts';
import { startChaosRedis } from './support/chaos-redis.ts';
import { startTemporal, withWorker } from './support/in-process-worker.ts';
import { capturingLogger, quietLog } from './support/logging.ts';
import { scratchDatabase } from './support/scratch-database.ts';
import { sleep } from './support/wait.ts';
import { Teardown } from './support/teardown.ts';

const TYPES: StripeEventType[] = [
  'checkout.session.completed',
  'customer.subscription.updated',
  'invoice.payment_failed',
  'customer.subscription.deleted',
];

interface FinalState {
  role: string;
  status: string | null;
  periodEnd: string | null;
  cancelAtPeriodEnd: boolean | null;
  graceUntil: string | null;
}

async function finalState(pool: Pool, userId: string): Promise<FinalState> {
  const { rows } = await pool.query<{
    role: string;
    status: string | null;
    period_end: Date | null;
    cancel_at_period_end: boolean | null;
    grace_until: Date | null;
  }>(
    `SELECT u.role, s.status, s.current_period_end AS period_end, s.cancel_at_period_end, s.grace_until
       FROM users u LEFT JOIN subscriptions s ON s.user_id = u.user_id WHERE u.user_id = $1`,
    [userId],
  );
  if (rows.length !== 1) throw new Error(`account ${userId} has ${rows.length} subscription rows, expected 1`);
  const r = rows[0]!;
  return {
    role: r.role,
    status: r.status,
    periodEnd: r.period_end?.toISOString() ?? null,
    cancelAtPeriodEnd: r.cancel_at_period_end,
    graceUntil: r.grace_until?.toISOString() ?? null,
  };
}

async function processedEvents(pool: Pool, ids: readonly string[]): Promise<{ rows: number; processed: number }> {
  const { rows } = await pool.query<{ n: string; processed: string }>(
    'SELECT count(*) AS n, count(processed_at) AS processed FROM stripe_events WHERE event_id = ANY($1)',
    [ids],
  );
  return { rows: Number(rows[0]?.n), processed: Number(rows[0]?.processed) };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export const stripeWebhookReplay: ChaosScenario = {
  name: 'stripe-webhook-replay',
  summary:
    'four Stripe events delivered twice each in a shuffled order: each applied once, the same end state as in order, no 5xx',
  // Temporal, stripe-mock, Redis and the API ~15 s; the saga applies eight events in a few seconds; margin for load.
  timeLimitMs: 120_000,
  async run(ctx) {
    const checks: ChaosCheck[] = [];
    const down = new Teardown();
    try {
      const binary = locateStripeMock();
      if (!binary) throw new Error('No stripe-mock binary: run `sh scripts/bootstrap.sh` first (npm test does).');
      const stripe = await startStripeMock({ port: await freePort(), log: quietLog, binary });
      down.push('stripe-mock', () => stripe.close());
      const temporal = await startTemporal();
      down.push('temporal', () => temporal.stop());
      const redis = await startChaosRedis(path.join(ctx.workDir, 'redis'));
      down.push('redis', () => redis.stop());
      const db = await scratchDatabase(ctx.adminDatabaseUrl, 'stripe');
      down.push('database', () => db.drop());
      const env = {
        DATABASE_URL: db.url,
        AFWD_DATA_DIR: path.join(ctx.workDir, 'data'),
        STRIPE_API_URL: stripe.url,
        TEMPORAL_ADDRESS: temporal.address,
      };
      const worker = capturingLogger('info');
      const config = loadConfig({ ...env, LOG_LEVEL: 'info' });

      return await withWorker(
        temporal.address,
        { pool: db.pool, config, log: worker.log, mlbBaseUrl: '' },
        async (taskQueue) => {
          const api = await startApiProcess({ ...env, REDIS_URL: redis.url, TEMPORAL_TASK_QUEUE: taskQueue });
          down.push('API', () => api.stop());
          ctx.step(
            `stripe-mock ${stripe.url}; Temporal ${temporal.address}, worker on ${taskQueue}; API ${api.url} (pid ${api.pid}); database ${db.name}`,
          );

          const t = Math.floor(Date.now() / 1000) - 60;
          const periodEnd = new Date((t + 30 * 86_400) * 1000);
          const parties = async (name: string): Promise<WebhookParties> => ({
            userId: (await createUser(db.pool, {
              email: `chaos-${name}-${randomUUID().slice(0, 8)}@example.test`,
              passwordHash: 'x',
            }))!,
            customerId: `cus_chaos_${name}_${randomUUID().slice(0, 8)}`,
            subscriptionId: `sub_chaos_${name}_${randomUUID().slice(0, 8)}`,
          });
          const lifeOf = (p: WebhookParties): TestStripeEvent[] =>
            TYPES.map((type, i) =>
              stripeEvent(type, p, {
                created: t + i,
                currentPeriodEnd: periodEnd,
                ...(type === 'invoice.payment_failed' ? { invoiceId: `in_${p.subscriptionId}` } : {}),
              }),
            );
          const statuses = new Map<string, number>();
          const outcomes = new Map<string, number>();
          const deliver = async (event: TestStripeEvent) => {
            const res = await deliverWebhook(api.url, event);
            const body = await res.text();
            statuses.set(String(res.status), (statuses.get(String(res.status)) ?? 0) + 1);
            const outcome = res.ok
              ? (JSON.parse(body) as { outcome: string }).outcome
              : `${res.status} ${body.slice(0, 120)}`;
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          };

          const control = await parties('control');
          const inOrder = lifeOf(control);
          for (const event of inOrder) {
            await deliver(event);
            await until(
              `${event.type} applied (in order)`,
              async () => (await processedEvents(db.pool, [event.id])).processed === 1,
            );
          }
          const expected = await finalState(db.pool, control.userId!);
          ctx.step(
            `control account: 4 events in order, each applied before the next; ends ${JSON.stringify(expected)} (premium until the grace of the unpaid period ends)`,
          );

          // Back to back: the copies queue up in the saga together. Spaced: each delivery is applied before the next is
          // sent, so an older event arrives after a newer one was applied, as Stripe's retries hours later would.
          const replay = async (name: 'burst' | 'spaced') => {
            const p = await parties(name);
            const life = lifeOf(p);
            const ids = life.map((e) => e.id);
            const deliveries = shuffled([...life, ...life], () => ctx.random());
            ctx.step(
              `${name} account: 8 deliveries in the order ${deliveries.map((e) => TYPES.indexOf(e.type) + 1).join(' ')} (1 checkout, 2 updated, 3 payment failed, 4 deleted), ${name === 'burst' ? 'back to back' : 'each applied before the next'}`,
            );
            for (const event of deliveries) {
              await deliver(event);
              if (name === 'spaced')
                await until(
                  `${event.type} applied (spaced)`,
                  async () => (await processedEvents(db.pool, [event.id])).processed === 1,
                );
            }
            await until(
              `the four ${name} events processed`,
              async () => (await processedEvents(db.pool, ids)).processed === 4,
            );
            // Processed is recorded before the role is recomputed: give the saga a moment to finish its last step.
            await sleep(2000);
            const recorded = worker.lines.filter(
              (l) => l.msg === 'billing event recorded' && ids.includes(String(l.eventId)),
            );
            const { rows: mails } = await db.pool.query<{ n: string }>(
              "SELECT count(*) AS n FROM email_outbox WHERE user_id = $1 AND kind = 'payment_failed'",
              [p.userId],
            );
            const { rows: audits } = await db.pool.query<{ event_id: string; n: string }>(
              "SELECT details->>'eventId' AS event_id, count(*) AS n FROM audit_log WHERE action = 'payment_state_changed' AND subject = $1 GROUP BY 1",
              [p.userId],
            );
            return {
              name,
              ids,
              state: await finalState(db.pool, p.userId!),
              stored: await processedEvents(db.pool, ids),
              perEvent: ids.map((id, i) => {
                const lines = recorded.filter((l) => l.eventId === id);
                return {
                  type: TYPES[i]!,
                  effective: lines.filter((l) => l.outcome === 'applied' || l.outcome === 'stale').length,
                  outcomes: lines.map((l) => String(l.outcome)),
                };
              }),
              mails: Number(mails[0]?.n),
              audits: audits.map((a) => Number(a.n)),
            };
          };
          const runs = [await replay('burst'), await replay('spaced')];

          const five = [...statuses].filter(([s]) => s.startsWith('5')).reduce((n, [, c]) => n + c, 0);
          checks.push({
            what: 'every webhook delivery answered 200 (queued or duplicate), none 5xx',
            ok: five === 0 && statuses.get('200') === 20,
            detail: `statuses ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}; outcomes ${[...outcomes].map(([o, n]) => `${o}: ${n}`).join(', ')} (4 in order + 2 x 8 replayed)`,
          });
          for (const run of runs) {
            checks.push({
              what: `${run.name}: each event applied exactly once: one processed stripe_events row each, one applied-or-stale outcome each in the worker's log, no payment_failed e-mail twice, no state change audited twice`,
              ok:
                run.stored.rows === 4 &&
                run.stored.processed === 4 &&
                run.perEvent.every((e) => e.effective === 1) &&
                run.mails <= 1 &&
                run.audits.every((n) => n === 1),
              detail: `stripe_events ${run.stored.rows} rows, ${run.stored.processed} processed; worker outcomes ${run.perEvent.map((e) => `${e.type}: ${e.outcomes.join('+') || 'none'}`).join('; ')}; payment_failed e-mails ${run.mails}; audited changes ${run.audits.join(',') || 'none'}`,
            });
            checks.push({
              what: `${run.name}: the account ends exactly as the in-order one (role, subscription status, period end, cancellation, grace)`,
              ok: JSON.stringify(run.state) === JSON.stringify(expected),
              detail: JSON.stringify(run.state),
            });
          }
          return checks;
        },
      );
    } finally {
      await down.run();
    }
  },
};
