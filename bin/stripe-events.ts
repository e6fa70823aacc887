/**
 * Stands in for Stripe's side of a payment locally (Stripe's payment page cannot be reached from `npm start`): sends
 * the running API the signed webhooks Stripe would send for an account, and the saga does the rest.
 *
 *   npm run stripe:events -- checkout-completed --email ann@example.com
 *   npm run stripe:events -- payment-failed --email ann@example.com
 *   npm run stripe:events -- payment-succeeded --email ann@example.com
 *   npm run stripe:events -- cancel --email ann@example.com      (cancel at the end of the paid period)
 *
 * Signed with STRIPE_WEBHOOK_SECRET (or the local one), sent to API_PUBLIC_URL (or --api <url>).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { webhookSecret } from '../billing/stripe-client.ts';
import { billingAccount, subscriptionsOfUser } from '../db/subscriptions.ts';
import { userByEmail } from '../db/users.ts';
import { openDatabase } from '../infra/database.ts';
import { ConfigError, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import {
  checkoutCompletedEvents,
  deliverWebhook,
  stripeEvent,
  type TestStripeEvent,
} from '../billing/simulated-events.ts';
import { runMain } from './main.ts';

const COMMANDS = ['checkout-completed', 'payment-failed', 'payment-succeeded', 'cancel'] as const;
/** A mistake of the caller: one sentence, exit code 1 (bin/main.ts). */
function fail(message: string): never {
  throw new ConfigError(message);
}
const localId = (prefix: string) => `${prefix}_local_${randomBytes(8).toString('hex')}`;

await runMain(async (stack) => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, api: { type: 'string' } },
  });
  const command = positionals[0] as (typeof COMMANDS)[number] | undefined;
  if (!command || !COMMANDS.includes(command) || !values.email) {
    fail(`usage: npm run stripe:events -- <${COMMANDS.join('|')}> --email <account e-mail> [--api <url>]`);
  }
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'stripe-events' });
  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());

  const user = await userByEmail(db.pool, values.email.trim().normalize('NFKC').toLowerCase());
  if (!user) fail(`No account has the e-mail ${values.email}.`);
  const customerId = (await billingAccount(db.pool, user.userId))?.customerId ?? localId('cus');
  const latest = (await subscriptionsOfUser(db.pool, user.userId)).at(-1);
  if (command !== 'checkout-completed' && !latest)
    fail(`${values.email} has no subscription yet: send checkout-completed first.`);
  const parties = {
    userId: user.userId,
    customerId,
    subscriptionId: latest?.subscriptionId ?? localId('sub'),
    priceId: config.stripe.priceId,
  };

  const events: TestStripeEvent[] = {
    'checkout-completed': () => checkoutCompletedEvents({ ...parties, subscriptionId: localId('sub') }),
    'payment-failed': () => [
      stripeEvent('customer.subscription.updated', parties, { status: 'past_due' }),
      stripeEvent('invoice.payment_failed', parties),
    ],
    'payment-succeeded': () => [
      stripeEvent('invoice.paid', parties),
      stripeEvent('customer.subscription.updated', parties),
    ],
    cancel: () => [
      stripeEvent('customer.subscription.updated', parties, {
        cancelAtPeriodEnd: true,
        currentPeriodEnd: latest?.currentPeriodEnd ?? undefined,
      }),
    ],
  }[command]();
  const api = values.api ?? config.api.publicUrl;
  for (const event of events) {
    const res = await deliverWebhook(api, event, { secret: webhookSecret(config) });
    const answer = await res.text();
    console.log(`${event.type} ${event.id}: ${res.status} ${answer}`);
    if (!res.ok) fail(`The API refused ${event.type} (${res.status}); is it running at ${api}?`);
  }
  console.log(
    `Sent ${events.length} event(s) for ${values.email}; the subscription saga applies them in a moment (GET /api/v1/billing/subscription).`,
  );
});
