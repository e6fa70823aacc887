/**
 * Premium subscriptions through Stripe: Checkout to subscribe, the billing portal to manage or cancel, the caller's
 * subscription state, and the webhook Stripe reports to. The webhook verifies the signature on the raw body, and
 * hands each event to the customer's subscription saga (workflows/subscription.ts), answering 200 only once the
 * signal is accepted, so Stripe retries whatever did not get through. Roles change only there, never from a client.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import Stripe from 'stripe';
import { parseStripeEvent, type BillingEvent } from '../../billing/events.ts';
import { createStripeClient, webhookSecret } from '../../billing/stripe-client.ts';
import { recordStripeEventReceived, stripeEventState } from '../../db/stripe-events.ts';
import { billingAccount, linkStripeCustomer, subscriptionsOfUser } from '../../db/subscriptions.ts';
import { STRIPE_EVENT_SIGNAL, subscriptionWorkflowId } from '../../workflows/billing-ids.ts';
import type { subscriptionSaga, SubscriptionSagaInput } from '../../workflows/subscription.ts';
import { ROLES, type ApiDeps, type ApiEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { WEBHOOK_ROUTE } from '../paths.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';

/**
 * The webhook's body limit, above the API's (API_BODY_LIMIT_BYTES): Stripe's events can be larger (a subscription
 * with many items, an invoice with many lines), and one refused with 413 would be redelivered for days in vain.
 */
export const WEBHOOK_BODY_LIMIT_BYTES = 1_048_576;
/** Longest the webhook waits for Temporal before answering 503, well within the time Stripe waits for an answer. */
const SIGNAL_DEADLINE_MS = 5_000;

const CheckoutSchema = z
  .object({
    sessionId: z.string().openapi({ example: 'cs_test_a1b2c3' }),
    url: z.string().openapi({ description: "Stripe's payment page: send the browser there." }),
  })
  .openapi('CheckoutSession');

const PortalSchema = z
  .object({
    url: z
      .string()
      .openapi({ description: "Stripe's billing portal for this account: payment method, invoices, cancellation." }),
  })
  .openapi('BillingPortalSession');

const SubscriptionSchema = z
  .object({
    role: z
      .enum(['free', 'premium', 'admin'])
      .openapi({ description: "The account's role now (the access token's may be older)." }),
    status: z.string().nullable().openapi({
      description: "Stripe's status of the latest subscription (active, past_due, canceled...); null without one.",
    }),
    currentPeriodEnd: z.iso.datetime().nullable(),
    cancelAtPeriodEnd: z
      .boolean()
      .nullable()
      .openapi({ description: 'True when cancelled for the end of the paid period.' }),
    graceUntil: z.iso
      .datetime()
      .nullable()
      .openapi({ description: 'After a failed payment, premium lasts until then unless a payment succeeds.' }),
  })
  .openapi('SubscriptionState');

const WebhookAnswerSchema = z
  .object({
    received: z.literal(true),
    outcome: z.enum(['queued', 'duplicate', 'ignored', 'unparsable']).openapi({
      description:
        'queued for the saga; duplicate (already applied); ignored (a type we do not handle); unparsable (a handled type whose body we cannot read: logged and alerted, since a redelivery would not read better).',
    }),
  })
  .openapi('WebhookAnswer');

const signedIn = requireRole(...ROLES);
const security = [{ bearer: [] }];
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const postCheckout = createRoute({
  method: 'post',
  path: '/billing/checkout',
  tags: ['billing'],
  security,
  middleware: [signedIn] as const,
  summary: 'Start a premium subscription: a Stripe Checkout Session for your account.',
  responses: { 200: json(CheckoutSchema, 'The Checkout Session'), ...problemResponses(401, 413, 429, 502) },
});

const postPortal = createRoute({
  method: 'post',
  path: '/billing/portal',
  tags: ['billing'],
  security,
  middleware: [signedIn] as const,
  summary: 'Manage your subscription: a Stripe billing portal session.',
  responses: { 200: json(PortalSchema, 'The portal session'), ...problemResponses(401, 409, 413, 429, 502) },
});

const getSubscription = createRoute({
  method: 'get',
  path: '/billing/subscription',
  tags: ['billing'],
  security,
  middleware: [signedIn] as const,
  summary: 'Your role and subscription state.',
  responses: { 200: json(SubscriptionSchema, 'The subscription state'), ...problemResponses(401, 429) },
});

const postWebhook = createRoute({
  method: 'post',
  path: WEBHOOK_ROUTE,
  tags: ['billing'],
  summary: "Stripe's webhook (signed with the endpoint's secret in the Stripe-Signature header; not rate limited).",
  description:
    'Handles checkout.session.completed, customer.subscription.created|updated|deleted, invoice.paid and invoice.payment_failed; other types are acknowledged and ignored. Each event id is applied once.',
  responses: {
    200: json(WebhookAnswerSchema, 'Accepted (or a duplicate, or ignored)'),
    ...problemResponses(400, 401, 413, 503),
  },
});

/**
 * A call to Stripe on behalf of a request: Stripe unreachable, failing or refusing our own request (a wrong key or
 * price) is 502 with what happened, never a 500; the details go to the log, not to the caller.
 */
export async function stripeCall<T>(c: Context<ApiEnv>, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    c.var.log.error(
      { err: { type: error.type, code: error.code, statusCode: error.statusCode, message: error.message }, what },
      'Stripe call failed',
    );
    const why =
      error instanceof Stripe.errors.StripeConnectionError
        ? 'Stripe could not be reached'
        : error instanceof Stripe.errors.StripeRateLimitError
          ? 'Stripe is rate limiting us'
          : 'Stripe refused the request';
    throw new HttpProblem(502, `${why} while creating the ${what}; try again in a minute.`, {
      headers: { 'retry-after': '60' },
    });
  }
}

function caller(c: Context<ApiEnv>): string {
  const auth = c.var.auth;
  if (!auth)
    throw new HttpProblem(401, 'This endpoint needs an access token.', { headers: { 'www-authenticate': 'Bearer' } });
  return auth.userId;
}

export function billingRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();
  const stripe = createStripeClient(deps.config);
  const secret = webhookSecret(deps.config);
  const site = deps.config.siteUrl.replace(/\/+$/, '');

  /** The account's Stripe customer, created on first use with nothing but our user id. */
  const customerOf = async (c: Context<ApiEnv>, userId: string): Promise<string> => {
    const account = await billingAccount(deps.pool, userId);
    if (!account)
      throw new HttpProblem(401, 'This account no longer exists.', { headers: { 'www-authenticate': 'Bearer' } });
    if (account.customerId) return account.customerId;
    const customer = await stripeCall(c, 'Stripe customer', () =>
      stripe.customers.create({ metadata: { userId } }, { idempotencyKey: `customer-${userId}` }),
    );
    // A concurrent request may have linked another customer first: use that one.
    return (await linkStripeCustomer(deps.pool, userId, customer.id)) ?? customer.id;
  };

  app.openapi(postCheckout, async (c) => {
    const userId = caller(c);
    const customer = await customerOf(c, userId);
    const session = await stripeCall(c, 'Checkout Session', () =>
      stripe.checkout.sessions.create({
        mode: 'subscription',
        customer,
        client_reference_id: userId,
        line_items: [{ price: deps.config.stripe.priceId, quantity: 1 }],
        // The saga finds the account from the subscription's events by this, as well as by the customer.
        subscription_data: { metadata: { userId } },
        metadata: { userId },
        success_url: `${site}/account/?checkout=success`,
        cancel_url: `${site}/account/?checkout=cancelled`,
      }),
    );
    if (!session.url)
      throw new HttpProblem(502, 'Stripe returned a Checkout Session without a payment page; try again in a minute.');
    return c.json({ sessionId: session.id, url: session.url }, 200);
  });

  app.openapi(postPortal, async (c) => {
    const account = await billingAccount(deps.pool, caller(c));
    if (!account?.customerId)
      throw new HttpProblem(
        409,
        'This account has no subscription to manage yet: subscribe through POST /api/v1/billing/checkout first.',
      );
    const customer = account.customerId;
    const session = await stripeCall(c, 'billing portal session', () =>
      stripe.billingPortal.sessions.create({ customer, return_url: `${site}/account/` }),
    );
    return c.json({ url: session.url }, 200);
  });

  app.openapi(getSubscription, async (c) => {
    const userId = caller(c);
    const [account, subscriptions] = await Promise.all([
      billingAccount(deps.pool, userId),
      subscriptionsOfUser(deps.pool, userId),
    ]);
    if (!account)
      throw new HttpProblem(401, 'This account no longer exists.', { headers: { 'www-authenticate': 'Bearer' } });
    const latest = subscriptions.at(-1);
    return c.json(
      {
        role: account.role,
        status: latest?.status ?? null,
        currentPeriodEnd: latest?.currentPeriodEnd?.toISOString() ?? null,
        cancelAtPeriodEnd: latest ? latest.cancelAtPeriodEnd : null,
        graceUntil: latest?.graceUntil?.toISOString() ?? null,
      },
      200,
    );
  });

  /** Verifies a delivery and hands its event to the saga; throws HttpProblem 400 (bad delivery) or 503 (Temporal). */
  const webhook = async (c: Context<ApiEnv>): Promise<z.infer<typeof WebhookAnswerSchema>> => {
    const signature = c.req.header('stripe-signature');
    if (!signature) throw new HttpProblem(400, 'The Stripe-Signature header is missing.');
    const payload = await c.req.text();
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(payload, signature, secret);
    } catch (error) {
      const reason =
        error instanceof Stripe.errors.StripeSignatureVerificationError
          ? 'the signature does not match'
          : 'the body is not a Stripe event';
      throw new HttpProblem(400, `Webhook refused: ${reason}.`);
    }
    const parsed = parseStripeEvent(event);
    if (parsed.kind === 'ignored') return { received: true, outcome: 'ignored' };
    if (parsed.kind === 'unparsable') {
      // Acknowledged (200): Stripe would redeliver the same body for days and it would not parse any better. The
      // error log and afwd_stripe_webhooks_total{outcome="unparsable"} (StripeWebhookFailures) make someone look.
      c.var.log.error(
        { eventId: parsed.eventId, eventType: parsed.type, issues: parsed.issues },
        'Stripe event of a handled type has a body we cannot read',
      );
      return { received: true, outcome: 'unparsable' };
    }
    const billing = parsed.event;
    if ((await stripeEventState(deps.pool, billing.eventId)) === 'processed')
      return { received: true, outcome: 'duplicate' };
    await recordStripeEventReceived(deps.pool, {
      eventId: billing.eventId,
      type: billing.type,
      customerId: billing.customerId,
    });
    await signalSaga(deps, billing, c.var.log);
    return { received: true, outcome: 'queued' };
  };

  app.openapi(postWebhook, async (c) => {
    // Every delivery is counted by what became of it (afwd_stripe_webhooks_total), failures included.
    try {
      const answer = await webhook(c);
      deps.metrics.stripeWebhook(answer.outcome);
      return c.json(answer, 200);
    } catch (error) {
      const status = error instanceof HttpProblem ? error.status : 500;
      deps.metrics.stripeWebhook(status === 400 ? 'rejected' : status === 503 ? 'unavailable' : 'error');
      throw error;
    }
  });

  return app;
}

/** Signals the customer's saga, starting it if needed; a 503 (so Stripe retries) when Temporal cannot take it. */
async function signalSaga(deps: ApiDeps, event: BillingEvent, log: ApiEnv['Variables']['log']): Promise<void> {
  const temporal = deps.temporal;
  if (!temporal)
    throw new HttpProblem(
      503,
      'Billing events cannot be processed right now (no workflow service); Stripe will retry.',
      { headers: { 'retry-after': '60' } },
    );
  const input: SubscriptionSagaInput = {
    customerId: event.customerId,
    graceSeconds: deps.config.stripe.paymentGraceDays * 86_400,
  };
  try {
    await temporal.client.connection.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
      temporal.client.workflow.signalWithStart<typeof subscriptionSaga, [BillingEvent]>('subscriptionSaga', {
        workflowId: subscriptionWorkflowId(event.customerId),
        taskQueue: temporal.taskQueue,
        args: [input],
        signal: STRIPE_EVENT_SIGNAL,
        signalArgs: [event],
      }),
    );
  } catch (error) {
    log.warn({ err: error, eventId: event.eventId }, 'could not signal the subscription saga');
    throw new HttpProblem(
      503,
      'Billing events cannot be processed right now (the workflow service is unavailable); Stripe will retry.',
      { headers: { 'retry-after': '60' } },
    );
  }
}
