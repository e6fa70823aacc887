// Which Stripe the client talks to for each configuration, and that the client built for stripe-mock really reaches it.
import { describe, expect, inject, it } from 'vitest';
import {
  LOCAL_STRIPE_KEY,
  LOCAL_WEBHOOK_SECRET,
  createStripeClient,
  stripeApiUrl,
  webhookSecret,
} from './stripe-client.ts';

const stripe = (over: Partial<{ secretKey: string; apiUrl: string; webhookSecret: string }> = {}) => ({
  stripe: {
    secretKey: undefined,
    apiUrl: undefined,
    webhookSecret: undefined,
    priceId: 'price_x',
    paymentGraceDays: 7,
    localMockPort: 12111,
    ...over,
  },
});

describe('stripeApiUrl', () => {
  it('uses STRIPE_API_URL when set, Stripe itself with only a key, and the local stripe-mock with neither', () => {
    expect(stripeApiUrl(stripe({ apiUrl: 'http://127.0.0.1:4000', secretKey: 'sk_test_x' }))).toBe(
      'http://127.0.0.1:4000',
    );
    expect(stripeApiUrl(stripe({ secretKey: 'sk_live_x' }))).toBe('https://api.stripe.com');
    expect(stripeApiUrl(stripe())).toBe('http://127.0.0.1:12111');
  });
});

describe('webhookSecret', () => {
  it('is STRIPE_WEBHOOK_SECRET when set, else the local one', () => {
    expect(webhookSecret(stripe({ webhookSecret: 'whsec_real' }))).toBe('whsec_real');
    expect(webhookSecret(stripe())).toBe(LOCAL_WEBHOOK_SECRET);
  });
});

describe('createStripeClient', () => {
  it('talks to the configured stripe-mock over HTTP with the local test key', async () => {
    const client = createStripeClient(stripe({ apiUrl: inject('stripeMockUrl') }));
    const customer = await client.customers.create({ email: 'someone@example.com' });
    expect(customer.object).toBe('customer');
    expect(customer.id).toMatch(/^cus_/);
    expect(LOCAL_STRIPE_KEY).toMatch(/^sk_test_[A-Za-z0-9]+$/);
  });

  it('defaults the port from the scheme: 443 for https, 80 for http', () => {
    // Nothing is sent: the SDK keeps host, port and protocol as given, which these read back.
    const https = createStripeClient(stripe({ secretKey: 'sk_test_abc' })) as unknown as {
      getApiField(f: string): unknown;
    };
    expect([https.getApiField('host'), https.getApiField('port'), https.getApiField('protocol')]).toEqual([
      'api.stripe.com',
      443,
      'https',
    ]);
    const http = createStripeClient(stripe({ apiUrl: 'http://stripe.internal' })) as unknown as {
      getApiField(f: string): unknown;
    };
    expect([http.getApiField('host'), http.getApiField('port'), http.getApiField('protocol')]).toEqual([
      'stripe.internal',
      80,
      'http',
    ]);
  });
});
