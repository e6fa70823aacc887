/**
 * The API's paths that more than one module names: the versioned prefix of the route groups, and Stripe's webhook
 * (its route under the prefix, and the full path Stripe posts to, which the test events and `npm run stripe:events`
 * deliver to). Constants only, so a tool can import them without the app.
 */
export const API_PREFIX = '/api/v1';

/** The webhook's route, under API_PREFIX. */
export const WEBHOOK_ROUTE = '/billing/webhook';

/** The webhook's full path. */
export const WEBHOOK_PATH = `${API_PREFIX}${WEBHOOK_ROUTE}`;
