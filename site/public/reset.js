// /account/reset/: ask for a reset link, or (opened from the link, ?token=...) set the new password. The token is
// read once and removed from the address bar, so it stays out of the history and of anything shared from the page.
import { forget, problemText, publicCall } from './session.js';
import { onSubmit, say, scriptReady, showView } from './ui.js';

const params = new URLSearchParams(location.search);
const token = params.get('token');
if (token) {
  params.delete('token');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
}

const request = document.querySelector('[data-request]');
onSubmit(request, request.querySelector('[data-status]'), async (form) => {
  const status = form.querySelector('[data-status]');
  const result = await publicCall('/auth/password-reset', {
    method: 'POST',
    body: { email: new FormData(form).get('email') },
  });
  if (!result.ok) return say(status, problemText(result, 'The link could not be sent.'), 'error');
  say(status, result.data?.detail ?? 'If the address has an account, a link is on its way.', 'ok');
});

const confirm = document.querySelector('[data-confirm]');
onSubmit(confirm, confirm.querySelector('[data-status]'), async (form) => {
  const status = form.querySelector('[data-status]');
  const result = await publicCall('/auth/password-reset/confirm', {
    method: 'POST',
    body: { token, password: new FormData(form).get('password') },
  });
  if (!result.ok) return say(status, problemText(result, 'The password was not changed.'), 'error');
  // Every session of the account ended with the reset, this browser's included.
  forget();
  form.reset();
  for (const part of form.querySelectorAll('.field, .actions')) part.hidden = true;
  say(status, 'Your password is changed: log in with it.', 'ok');
});

scriptReady();
showView(token ? 'confirm' : 'request');
