// /watchlist/: the signed-in reader's watchlist from the API (rank in the served rankings, latest move), linked to
// the prospect pages through the build's name index, each row removable.
import { api, problemText, restore } from './session.js';
import { date, h, move, prospectIndex, say, scriptReady, showView } from './ui.js';

const pageStatus = document.querySelector('[data-page-status]');
const rows = document.querySelector('[data-rows]');
const base = new URL('./', import.meta.url).pathname;

function render(items, index) {
  const watched = items.length;
  document.querySelector('[data-summary]').textContent =
    `${watched} prospect${watched === 1 ? '' : 's'} watched. Moves are since the run before the current rankings.`;
  document.querySelector('[data-empty]').hidden = watched > 0;
  rows.closest('.table-scroll').hidden = watched === 0;
  rows.replaceChildren(
    ...items.map((item) => {
      const known = index.get(item.playerId);
      const name = known ? h('a', { href: `${base}prospects/${known.slug}/` }, item.name) : item.name;
      const remove = h(
        'button',
        { type: 'button', class: 'button secondary small', 'aria-label': `Remove ${item.name}` },
        'Remove',
      );
      remove.addEventListener('click', () => void unwatch(item, remove));
      return h(
        'tr',
        { 'data-player': item.playerId },
        h('td', { class: 'num' }, item.rank === null ? '—' : `#${item.rank}`),
        h('th', { scope: 'row' }, name),
        h('td', {}, item.rank === null ? h('span', { class: 'trend new' }, 'not ranked now') : move(item.rankChange)),
        h('td', {}, date(item.addedAt)),
        h('td', {}, remove),
      );
    }),
  );
  const compare = document.querySelector('[data-compare]');
  const ids = items
    .filter((i) => index.has(i.playerId))
    .slice(0, 4)
    .map((i) => i.playerId);
  compare.href = ids.length >= 2 ? `${base}compare/?ids=${ids.join(',')}` : `${base}compare/`;
  compare.textContent = ids.length >= 2 ? `Compare the top ${ids.length} side by side` : 'Compare prospects';
}

let items = [];
async function load() {
  const [result, index] = await Promise.all([api('/users/me/watchlist'), prospectIndex()]);
  if (result.status === 401) return showView('signed-out');
  if (!result.ok) return say(pageStatus, problemText(result, 'Your watchlist could not be loaded.'), 'error');
  items = result.data.items;
  showView('signed-in');
  render(items, index);
}

async function unwatch(item, button) {
  button.disabled = true;
  const result = await api(`/users/me/watchlist/${item.playerId}`, { method: 'DELETE' });
  if (!result.ok) {
    button.disabled = false;
    return say(pageStatus, problemText(result, `${item.name} could not be removed.`), 'error');
  }
  items = items.filter((i) => i.playerId !== item.playerId);
  render(items, await prospectIndex());
  say(pageStatus, `${item.name} is off your watchlist.`, 'ok');
}

scriptReady();
if (await restore()) await load();
else showView('signed-out');
