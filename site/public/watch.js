// The watch star on a prospect page. Signed-out readers keep the static "Log in to watch" link (and so does a page
// without JavaScript); a signed-in reader gets a toggle button (aria-pressed) that adds or removes him.
import { api, mightBeSignedIn, problemText, restore } from './session.js';
import { say } from './ui.js';

const box = document.querySelector('[data-watch]');
const button = box?.querySelector('[data-watch-button]');
const status = box?.querySelector('[data-watch-status]');

function show(watching) {
  button.setAttribute('aria-pressed', String(watching));
  button.querySelector('[data-star]').textContent = watching ? '★' : '☆';
  button.lastChild.textContent = watching ? ' Watching' : ' Watch';
}

async function init() {
  // Readers who never signed in make no API call at all.
  if (!mightBeSignedIn() || !(await restore())) return;
  const playerId = Number(box.dataset.watch);
  const list = await api('/users/me/watchlist');
  if (!list.ok) return;
  show(list.data.items.some((item) => item.playerId === playerId));
  box.querySelector('[data-watch-login]').hidden = true;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const watching = button.getAttribute('aria-pressed') === 'true';
    button.disabled = true;
    const result = await api(`/users/me/watchlist/${playerId}`, { method: watching ? 'DELETE' : 'PUT' });
    button.disabled = false;
    if (!result.ok) return say(status, problemText(result, 'The watchlist could not be changed.'), 'error');
    show(!watching);
    say(
      status,
      watching ? `${box.dataset.name} is off your watchlist.` : `${box.dataset.name} is on your watchlist.`,
      'ok',
    );
  });
}

if (box && button && status) void init();
