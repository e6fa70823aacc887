/**
 * The Stripe SDK client for this configuration. Without STRIPE_SECRET_KEY and STRIPE_API_URL it talks to the local
 * stripe-mock (`npm start` and the tests run one) with a test key; a live or test key without a URL talks to Stripe.
 */
import Stripe from 'stripe';
import type { Config } from '../lib/config.ts';

/** The key used against the local stripe-mock, which accepts any well-formed test key (only letters and digits after sk_test_). */
export const LOCAL_STRIPE_KEY = 'sk_test_afwdLocalStripeMock';
/** The webhook signing secret when STRIPE_WEBHOOK_SECRET is unset (local runs and tests only). */
export const LOCAL_WEBHOOK_SECRET = 'whsec_afwd_local_webhook_secret';

/** Where the client sends requests: STRIPE_API_URL, else Stripe itself with a key, else the local stripe-mock. */
export function stripeApiUrl(config: Pick<Config, 'stripe'>): string {
  if (config.stripe.apiUrl) return config.stripe.apiUrl;
  return config.stripe.secretKey ? 'https://api.stripe.com' : `http://127.0.0.1:${config.stripe.localMockPort}`;
}

export function webhookSecret(config: Pick<Config, 'stripe'>): string {
  return config.stripe.webhookSecret ?? LOCAL_WEBHOOK_SECRET;
}

export function createStripeClient(config: Pick<Config, 'stripe'>): Stripe {
  const url = new URL(stripeApiUrl(config));
  return new Stripe(config.stripe.secretKey ?? LOCAL_STRIPE_KEY, {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'a-fine-wine-dynasty' },
  });
}
