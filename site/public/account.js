// /account/: sign up and log in, then the account (plan, subscription, Upgrade → Stripe Checkout, Manage → the
// billing portal, e-mail notification settings, log out). Every failure is the API's problem detail in a live region.
import { api, login, logout, nextPath, problemText, register, restore } from './session.js';
import { date, focusView, h, onSubmit, say, scriptReady, showView } from './ui.js';

const pageStatus = document.querySelector('[data-page-status]');
const statusOf = (form) => form.querySelector('[data-status]');
const fields = (form) => Object.fromEntries(new FormData(form));

const PLAN = { free: 'Free', premium: 'Premium', admin: 'Administrator' };
const STATUS = {
  active: 'Active',
  trialing: 'Trial',
  past_due: 'Payment failed',
  unpaid: 'Unpaid',
  canceled: 'Cancelled',
  incomplete: 'Waiting for the first payment',
  incomplete_expired: 'Checkout expired',
  paused: 'Paused',
};

function subscriptionText(s) {
  if (!s || !s.status || s.status === 'none') return 'None';
  let text = STATUS[s.status] ?? String(s.status);
  if (s.currentPeriodEnd)
    text += s.cancelAtPeriodEnd ? `: ends ${date(s.currentPeriodEnd)}` : `: renews ${date(s.currentPeriodEnd)}`;
  if (s.graceUntil) text += `. Premium stays on until ${date(s.graceUntil)} while the payment is retried`;
  return text;
}

const NOTIFICATION_LABELS = {
  rankMove: 'E-mail me when a prospect on my watchlist moves',
  rankMoveThreshold: 'Only for moves of at least this many places',
  weeklyDigest: 'A weekly digest of my watchlist',
};

/** "weeklyDigest" → "Weekly digest", for a setting without a label above. */
const words = (key) => {
  const spaced = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

/** The settings as the API answered them: true/false become checkboxes, numbers number fields; the rest is sent back as it was. */
let notificationSettings = {};
function renderNotifications(settings) {
  notificationSettings = settings;
  const box = document.querySelector('[data-notification-fields]');
  const legend = box.querySelector('legend');
  const controls = [];
  for (const [key, value] of Object.entries(settings)) {
    const id = `n-${key}`;
    if (typeof value === 'boolean') {
      controls.push(
        h(
          'div',
          { class: 'check' },
          h('input', { type: 'checkbox', id, name: key, checked: value }),
          h('label', { for: id }, NOTIFICATION_LABELS[key] ?? words(key)),
        ),
      );
    } else if (typeof value === 'number') {
      controls.push(
        h(
          'div',
          { class: 'field' },
          h('label', { for: id }, NOTIFICATION_LABELS[key] ?? words(key)),
          h('input', { type: 'number', id, name: key, value, min: 1, step: 1 }),
        ),
      );
    }
  }
  if (!controls.length) controls.push(h('p', { class: 'hint' }, 'No settings to change.'));
  box.replaceChildren(legend, ...controls);
}

function readNotifications(form) {
  const out = { ...notificationSettings };
  for (const [key, value] of Object.entries(notificationSettings)) {
    const input = form.elements.namedItem(key);
    if (!input) continue;
    if (typeof value === 'boolean') out[key] = input.checked;
    else if (typeof value === 'number') out[key] = Number(input.value);
  }
  return out;
}

async function showAccount() {
  // All at once, and shown together: the view never appears half filled.
  const [me, subscription, notifications] = await Promise.all([
    api('/users/me'),
    api('/billing/subscription'),
    api('/users/me/notifications'),
  ]);
  if (!me.ok) {
    if (me.status === 401) return showSignedOut();
    say(pageStatus, problemText(me, 'Your account could not be loaded.'), 'error');
    return;
  }
  const user = me.data;
  document.querySelector('[data-email]').textContent = user.email;
  document.querySelector('[data-role]').textContent = PLAN[user.role] ?? user.role;
  const sub = subscription.ok ? subscription.data : null;
  document.querySelector('[data-subscription]').textContent = subscription.ok ? subscriptionText(sub) : '—';
  const paying = sub && sub.status && !['none', 'canceled', 'incomplete_expired'].includes(sub.status);
  document.querySelector('[data-upgrade]').hidden = user.role !== 'free' || Boolean(paying);
  document.querySelector('[data-portal]').hidden = !paying && user.role !== 'premium';
  const form = document.querySelector('[data-notifications]');
  if (notifications.ok && notifications.data && typeof notifications.data === 'object')
    renderNotifications(notifications.data);
  else {
    form.hidden = true;
    say(pageStatus, problemText(notifications, 'Notification settings are not available right now.'), 'error');
  }
  showView('signed-in');
}

function showSignedOut() {
  showView('signed-out');
}

/** Redirects to Stripe (Checkout or the portal): the API answers { url }. */
async function goTo(path) {
  const status = document.querySelector('[data-billing-status]');
  say(status, 'Opening Stripe…');
  const result = await api(path, { method: 'POST' });
  if (result.ok && typeof result.data?.url === 'string' && /^https?:\/\//.test(result.data.url)) {
    location.assign(result.data.url);
    return;
  }
  say(status, problemText(result, 'Stripe could not be opened; try again.'), 'error');
}

async function afterLogin(message) {
  const next = nextPath();
  if (next) {
    location.assign(next);
    return;
  }
  say(pageStatus, message, 'ok');
  await showAccount();
  focusView('signed-in');
}

onSubmit(document.querySelector('[data-login]'), statusOf(document.querySelector('[data-login]')), async (form) => {
  const { email, password } = fields(form);
  say(statusOf(form), 'Logging in…');
  const result = await login(email, password);
  if (!result.ok) return say(statusOf(form), problemText(result, 'Logging in failed.'), 'error');
  say(statusOf(form), '');
  form.reset();
  await afterLogin('You are logged in.');
});

onSubmit(document.querySelector('[data-signup]'), statusOf(document.querySelector('[data-signup]')), async (form) => {
  const { email, password } = fields(form);
  say(statusOf(form), 'Creating your account…');
  const created = await register(email, password);
  if (!created.ok) return say(statusOf(form), problemText(created, 'Signing up failed.'), 'error');
  // Registration never says whether the address was free (202 either way): logging in is what tells.
  const result = await login(email, password);
  if (!result.ok) {
    return say(
      statusOf(form),
      'That address may already have an account: log in with it, or reset its password.',
      'error',
    );
  }
  say(statusOf(form), '');
  form.reset();
  await afterLogin('Welcome: your account is ready.');
});

onSubmit(
  document.querySelector('[data-notifications]'),
  statusOf(document.querySelector('[data-notifications]')),
  async (form) => {
    const result = await api('/users/me/notifications', { method: 'PUT', body: readNotifications(form) });
    if (!result.ok) return say(statusOf(form), problemText(result, 'The settings were not saved.'), 'error');
    if (result.data && typeof result.data === 'object') renderNotifications(result.data);
    say(statusOf(form), 'Saved.', 'ok');
  },
);

document.querySelector('[data-upgrade]').addEventListener('click', () => void goTo('/billing/checkout'));
document.querySelector('[data-portal]').addEventListener('click', () => void goTo('/billing/portal'));
document.querySelector('[data-logout]').addEventListener('click', async () => {
  await logout();
  say(pageStatus, 'You are logged out.', 'ok');
  showSignedOut();
  focusView('signed-out');
});

scriptReady();
const checkout = new URLSearchParams(location.search).get('checkout');
if (await restore()) {
  if (checkout === 'success')
    say(pageStatus, 'Thank you: your upgrade is being confirmed with Stripe and shows here within a minute.', 'ok');
  else if (checkout === 'cancel' || checkout === 'cancelled')
    say(pageStatus, 'Checkout was cancelled: nothing was charged.');
  await showAccount();
} else {
  showSignedOut();
}
