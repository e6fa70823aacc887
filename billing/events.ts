/**
 * Stripe webhook events as the subscription saga sees them: `toBillingEvent` keeps, of a verified event, only the
 * ids and the subscription state the saga needs (no names, addresses or card details), and says which event types
 * the saga handles. Pure: the webhook route verifies the signature first.
 */
import { z } from 'zod';

export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const;
export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

/** A subscription's state at the time of the event. */
export interface SubscriptionSnapshot {
  subscriptionId: string;
  status: string;
  /** ISO time; null when the event does not say (a Checkout Session). */
  currentPeriodEnd: string | null;
  /** Null when the event does not say (Checkout Sessions, invoices): the stored value stands. */
  cancelAtPeriodEnd: boolean | null;
  priceId: string | null;
}

/** What a signal to the saga carries (small: Temporal keeps every signal in the workflow's history). */
export interface BillingEvent {
  eventId: string;
  type: HandledEventType;
  /** Stripe's `created`, seconds since the epoch: events are applied in this order. */
  created: number;
  customerId: string;
  /** Our user id, from the subscription's metadata or the Checkout Session's client_reference_id; null when absent. */
  userId: string | null;
  /** The invoice of an invoice event (the payment_failed e-mail is deduplicated by it). */
  invoiceId: string | null;
  /** What the invoice asked for, in the currency's smallest unit (for the payment_failed e-mail); null otherwise. */
  amountDue?: number | null;
  currency?: string | null;
  subscription: SubscriptionSnapshot;
}

const id = z.string().min(1).max(255);
const ref = z.union([id, z.object({ id })]).transform((v) => (typeof v === 'string' ? v : v.id));
const metadata = z.record(z.string(), z.string()).nullish();

const SubscriptionObject = z.object({
  id,
  customer: ref,
  status: z.string().max(64),
  cancel_at_period_end: z.boolean().nullish(),
  current_period_end: z.number().int().nullish(),
  metadata,
  items: z
    .object({
      data: z.array(z.object({ current_period_end: z.number().int().nullish(), price: z.object({ id }).nullish() })),
    })
    .nullish(),
});

const CheckoutSession = z.object({
  id,
  customer: ref,
  subscription: ref,
  client_reference_id: z.string().nullish(),
  payment_status: z.string().nullish(),
  metadata,
});

const Invoice = z.object({
  id,
  customer: ref,
  amount_due: z.number().int().nonnegative().nullish(),
  currency: z.string().length(3).nullish(),
  subscription: ref.nullish(),
  parent: z
    .object({
      subscription_details: z.object({ subscription: ref, metadata }).nullish(),
    })
    .nullish(),
  lines: z
    .object({
      data: z.array(
        z.object({
          period: z.object({ end: z.number().int() }).nullish(),
          pricing: z.object({ price_details: z.object({ price: z.string() }).nullish() }).nullish(),
        }),
      ),
    })
    .nullish(),
});

const EventEnvelope = z.object({
  id,
  type: z.string(),
  created: z.number().int(),
  data: z.object({ object: z.unknown() }),
});

const iso = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : null);
const uuidLike = (value: string | null | undefined) =>
  value && /^[0-9a-f-]{36}$/i.test(value) ? value.toLowerCase() : null;

export function isHandledEventType(type: string): type is HandledEventType {
  return (HANDLED_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * What a verified Stripe event is to the saga: an event to apply; ignored (a type the saga does not handle, or an
 * event that does not concern a subscription: a one-off invoice, a Checkout Session in payment mode); or unparsable
 * (a handled type whose object does not have the shape the saga needs: Stripe redelivering it cannot help, so the
 * webhook acknowledges it, logs it at error and counts it for the StripeWebhookFailures alert).
 */
export type ParsedStripeEvent =
  | { kind: 'event'; event: BillingEvent }
  | { kind: 'ignored' }
  | { kind: 'unparsable'; eventId: string | null; type: string | null; issues: string };

const unparsable = (eventId: string | null, type: string | null, error: z.ZodError): ParsedStripeEvent => ({
  kind: 'unparsable',
  eventId,
  type,
  issues: z.prettifyError(error),
});

export function parseStripeEvent(event: unknown): ParsedStripeEvent {
  const envelope = EventEnvelope.safeParse(event);
  if (!envelope.success) {
    const raw = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
    return unparsable(
      typeof raw.id === 'string' ? raw.id : null,
      typeof raw.type === 'string' ? raw.type : null,
      envelope.error,
    );
  }
  if (!isHandledEventType(envelope.data.type)) return { kind: 'ignored' };
  const { id: eventId, type, created } = envelope.data;
  const object = envelope.data.data.object;
  const base = { eventId, type, created };
  if (type === 'checkout.session.completed') {
    // A session in payment mode has no subscription: not the saga's business.
    if (typeof object === 'object' && object !== null && (object as { subscription?: unknown }).subscription == null)
      return { kind: 'ignored' };
    const session = CheckoutSession.safeParse(object);
    if (!session.success) return unparsable(eventId, type, session.error);
    const s = session.data;
    const paid = s.payment_status === 'paid' || s.payment_status === 'no_payment_required';
    return {
      kind: 'event',
      event: {
        ...base,
        customerId: s.customer,
        invoiceId: null,
        userId: uuidLike(s.client_reference_id) ?? uuidLike(s.metadata?.userId),
        subscription: {
          subscriptionId: s.subscription,
          status: paid ? 'active' : 'incomplete',
          currentPeriodEnd: null,
          cancelAtPeriodEnd: null,
          priceId: null,
        },
      },
    };
  }
  if (type === 'invoice.paid' || type === 'invoice.payment_failed') {
    const invoice = Invoice.safeParse(object);
    if (!invoice.success) return unparsable(eventId, type, invoice.error);
    const inv = invoice.data;
    const details = inv.parent?.subscription_details;
    const subscriptionId = details?.subscription ?? inv.subscription;
    if (!subscriptionId) return { kind: 'ignored' };
    const line = inv.lines?.data[0];
    return {
      kind: 'event',
      event: {
        ...base,
        customerId: inv.customer,
        invoiceId: inv.id,
        userId: uuidLike(details?.metadata?.userId),
        amountDue: inv.amount_due ?? null,
        currency: inv.currency ?? null,
        subscription: {
          subscriptionId,
          status: type === 'invoice.paid' ? 'active' : 'past_due',
          currentPeriodEnd: iso(line?.period?.end),
          cancelAtPeriodEnd: null,
          priceId: line?.pricing?.price_details?.price ?? null,
        },
      },
    };
  }
  const subscription = SubscriptionObject.safeParse(object);
  if (!subscription.success) return unparsable(eventId, type, subscription.error);
  const sub = subscription.data;
  const item = sub.items?.data[0];
  return {
    kind: 'event',
    event: {
      ...base,
      customerId: sub.customer,
      invoiceId: null,
      userId: uuidLike(sub.metadata?.userId),
      subscription: {
        subscriptionId: sub.id,
        status: type === 'customer.subscription.deleted' ? 'canceled' : sub.status,
        // Newer API versions keep the period on the items; older ones on the subscription.
        currentPeriodEnd: iso(item?.current_period_end ?? sub.current_period_end),
        cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
        priceId: item?.price?.id ?? null,
      },
    },
  };
}

/** The saga's view of a verified Stripe event; null when parseStripeEvent finds it ignored or unparsable. */
export function toBillingEvent(event: unknown): BillingEvent | null {
  const parsed = parseStripeEvent(event);
  return parsed.kind === 'event' ? parsed.event : null;
}

/** The events that confirm a payment, after which the saga grants premium and welcomes the subscriber. */
export function confirmsPayment(event: BillingEvent): boolean {
  return (
    ['checkout.session.completed', 'invoice.paid', 'customer.subscription.created'].includes(event.type) &&
    ['active', 'trialing'].includes(event.subscription.status)
  );
}
