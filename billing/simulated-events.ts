/**
 * Signed Stripe webhook events for tests and for `npm run stripe:events`: the events Stripe sends about one
 * customer's subscription, shaped like Stripe's own (API version 2025+: the period end on the subscription items,
 * the invoice's subscription under `parent.subscription_details`), signed the way Stripe signs them.
 *
 * @example
 *   // After a Checkout Session was created through the site for `user`:
 *   const parties = { userId: user.userId, customerId, subscriptionId: 'sub_e2e_1' };
 *   for (const event of checkoutCompletedEvents(parties)) expect((await deliverWebhook(api, event)).status).toBe(200);
 *   // ...or against a running API: await deliverWebhook('http://127.0.0.1:8787', event)
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { WEBHOOK_PATH } from '../api/paths.ts';
import { LOCAL_WEBHOOK_SECRET } from './stripe-client.ts';

export type StripeEventType =
  | 'checkout.session.completed'
  | 'customer.subscription.created'
  | 'customer.subscription.updated'
  | 'customer.subscription.deleted'
  | 'invoice.paid'
  | 'invoice.payment_failed'
  | 'customer.created';

/** Whose subscription the events are about. */
export interface WebhookParties {
  /** Our user id (client_reference_id and metadata.userId, as our Checkout Sessions set them); null to leave it out. */
  userId: string | null;
  customerId: string;
  subscriptionId: string;
  /** @default 'price_afwd_premium_monthly' */
  priceId?: string;
}

export interface EventOptions {
  /** @default a fresh evt_ id */
  id?: string;
  /** Seconds since the epoch. @default now */
  created?: number;
  /** The subscription's status (subscription events). @default 'active' ('canceled' for deleted) */
  status?: string;
  /** @default 30 days after `created` */
  currentPeriodEnd?: Date;
  cancelAtPeriodEnd?: boolean;
  /** @default a fresh in_ id (invoice events) */
  invoiceId?: string;
}

export interface TestStripeEvent {
  id: string;
  type: StripeEventType;
  created: number;
  /** The JSON body, exactly as sent and signed. */
  payload: string;
}

const stripe = new Stripe('sk_test_afwd_webhook_helper');
const randomId = (prefix: string) => `${prefix}_test_${randomBytes(9).toString('base64url')}`;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function dataObject(
  type: StripeEventType,
  p: WebhookParties,
  o: Required<Pick<EventOptions, 'created'>> & EventOptions,
): Record<string, unknown> {
  const price = p.priceId ?? 'price_afwd_premium_monthly';
  const periodEnd = seconds(o.currentPeriodEnd ?? new Date((o.created + 30 * 86_400) * 1000));
  const metadata = p.userId ? { userId: p.userId } : {};
  switch (type) {
    case 'checkout.session.completed':
      return {
        id: randomId('cs'),
        object: 'checkout.session',
        mode: 'subscription',
        status: 'complete',
        payment_status: 'paid',
        customer: p.customerId,
        subscription: p.subscriptionId,
        client_reference_id: p.userId,
        metadata,
        created: o.created,
        livemode: false,
      };
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return {
        id: o.invoiceId ?? randomId('in'),
        object: 'invoice',
        customer: p.customerId,
        created: o.created,
        livemode: false,
        status: type === 'invoice.paid' ? 'paid' : 'open',
        billing_reason: 'subscription_cycle',
        amount_due: 500,
        currency: 'usd',
        parent: { type: 'subscription_details', subscription_details: { subscription: p.subscriptionId, metadata } },
        lines: {
          object: 'list',
          data: [
            {
              id: randomId('il'),
              object: 'line_item',
              period: { start: o.created, end: periodEnd },
              pricing: { price_details: { price } },
            },
          ],
        },
      };
    case 'customer.created':
      return { id: p.customerId, object: 'customer', metadata, created: o.created, livemode: false };
    default:
      return {
        id: p.subscriptionId,
        object: 'subscription',
        customer: p.customerId,
        created: o.created,
        livemode: false,
        status: o.status ?? (type === 'customer.subscription.deleted' ? 'canceled' : 'active'),
        cancel_at_period_end: o.cancelAtPeriodEnd ?? false,
        metadata,
        items: {
          object: 'list',
          data: [
            {
              id: randomId('si'),
              object: 'subscription_item',
              current_period_start: o.created,
              current_period_end: periodEnd,
              price: { id: price, object: 'price' },
            },
          ],
        },
      };
  }
}

/** One event of `type` about the parties' subscription, as Stripe would send it. */
export function stripeEvent(
  type: StripeEventType,
  parties: WebhookParties,
  options: EventOptions = {},
): TestStripeEvent {
  const id = options.id ?? randomId('evt');
  const created = options.created ?? seconds(new Date());
  const body = {
    id,
    object: 'event',
    api_version: '2025-10-29.clover',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object: dataObject(type, parties, { ...options, created }) },
  };
  return { id, type, created, payload: JSON.stringify(body) };
}

/** What Stripe sends once a Checkout Session completes and the first invoice is paid, in Stripe's order. */
export function checkoutCompletedEvents(
  parties: WebhookParties,
  options: { created?: number; currentPeriodEnd?: Date } = {},
): TestStripeEvent[] {
  // By default the last one is created now, so events made afterwards with the default time come after them.
  const t = options.created ?? seconds(new Date()) - 2;
  const period = { currentPeriodEnd: options.currentPeriodEnd };
  return [
    stripeEvent('customer.subscription.created', parties, { created: t, ...period }),
    stripeEvent('invoice.paid', parties, { created: t + 1, ...period }),
    stripeEvent('checkout.session.completed', parties, { created: t + 2 }),
  ];
}

/** The Stripe-Signature header for a payload. @default the local webhook secret the API uses without STRIPE_WEBHOOK_SECRET */
export function signWebhook(payload: string, secret: string = LOCAL_WEBHOOK_SECRET, timestamp?: number): string {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });
}

/** An in-process API (test/api.ts createTestApi, or anything with `app.request`), or the base URL of a running one. */
export type WebhookTarget =
  string | { app: { request(input: string, init?: RequestInit): Response | Promise<Response> } };

export { WEBHOOK_PATH };

/**
 * POSTs the event to the API's webhook, signed with `secret` (or with the `signature` given as is, to test refusals).
 */
export async function deliverWebhook(
  target: WebhookTarget,
  event: TestStripeEvent,
  options: { secret?: string; signature?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? signWebhook(event.payload, options.secret) : options.signature;
  if (signature !== null) headers['stripe-signature'] = signature;
  const init: RequestInit = { method: 'POST', headers, body: event.payload };
  if (typeof target === 'string') return fetch(new URL(WEBHOOK_PATH, target), init);
  return target.app.request(WEBHOOK_PATH, init);
}
