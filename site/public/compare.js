// /compare/: up to four prospects side by side from the build's static cards (/data/prospects/<id>.json). The
// selection lives in ?ids=1,2,3; the box finds names in the build's index. No account, no API.
import { h, percent, prospectIndex, say, scriptReady } from './ui.js';

const MAX = 4;
const base = new URL('./', import.meta.url);
const status = document.querySelector('[data-status]');
const input = document.querySelector('#compare-search');
const matches = document.querySelector('[data-matches]');
const table = document.querySelector('[data-table]');
const cards = new Map();

const idsFromUrl = () =>
  [
    ...new Set(
      (new URLSearchParams(location.search).get('ids') ?? '')
        .split(',')
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isInteger(n) && n > 0),
    ),
  ].slice(0, MAX);
let ids = idsFromUrl();

function keepInUrl() {
  const params = new URLSearchParams(location.search);
  if (ids.length) params.set('ids', ids.join(','));
  else params.delete('ids');
  // Commas stay readable: ?ids=1,2,3.
  const query = params.toString().replaceAll('%2C', ',');
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

// What card() answers when there is no card: no such prospect (a 404), or the load failed (the network, a 5xx).
const MISSING = 'missing';
const FAILED = 'failed';

async function card(id) {
  if (!cards.has(id)) {
    cards.set(
      id,
      fetch(new URL(`data/prospects/${id}.json`, base))
        .then((r) => (r.ok ? r.json() : r.status === 404 ? MISSING : FAILED))
        .catch(() => FAILED),
    );
  }
  const found = await cards.get(id);
  // A failed load is tried again on the next render.
  if (found === FAILED) cards.delete(id);
  return found;
}

const fold = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
const signed = (n) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toFixed(1)}`;
const rate = (x) => (x === null ? '—' : percent(x));

function statLines(c) {
  if (!c.stats.length) return 'No minor-league stats yet';
  return h(
    'ul',
    { class: 'plain' },
    c.stats.map((s) =>
      h(
        'li',
        {},
        `${s.season} ${s.level}: ${s.group === 'pitching' ? `${s.innings ?? 0} IP` : `${s.battersOrPa} PA`}, ` +
          `K ${rate(s.strikeoutRate)}, BB ${rate(s.walkRate)}${s.group === 'hitting' ? `, ISO ${s.powerRate === null ? '—' : s.powerRate.toFixed(3)}` : ''}`,
      ),
    ),
  );
}

const ROWS = [
  ['Rank', (c) => `#${c.rank} (#${c.positionRank} ${c.position})`],
  ['Organization', (c) => c.organization],
  ['Level', (c) => c.level],
  ['Age', (c) => (c.age === null ? '—' : c.age.toFixed(1))],
  ['Probability', (c) => h('strong', {}, percent(c.probability))],
  ['Confidence', (c) => h('span', { class: `conf conf-${c.confidence.toLowerCase()}` }, c.confidence)],
  ['ETA', (c) => (c.eta === null ? 'Unknown' : `${c.eta} (${c.yearsToEta} year${c.yearsToEta === 1 ? '' : 's'} away)`)],
  ['Dynasty value', (c) => c.dynastyValue.toFixed(1)],
  [
    'Move since last run',
    (c) =>
      c.trend === null ? 'new' : c.trend === 0 ? 'unchanged' : `${c.trend > 0 ? 'up' : 'down'} ${Math.abs(c.trend)}`,
  ],
  [
    'What moves the estimate',
    (c) =>
      h(
        'ul',
        { class: 'plain' },
        c.factors.map((f) =>
          h(
            'li',
            {},
            `${f.label} (${f.value}): `,
            h('span', { class: `trend ${f.points >= 0 ? 'up' : 'down'}` }, `${signed(f.points)} pts`),
          ),
        ),
      ),
  ],
  ['Latest seasons', statLines],
];

async function render() {
  const shown = (await Promise.all(ids.map(card))).map((c, i) => ({ id: ids[i], c }));
  const missing = shown.filter((s) => s.c === MISSING).map((s) => s.id);
  const failed = shown.filter((s) => s.c === FAILED).map((s) => s.id);
  // Only an id the rankings do not have leaves the URL: one that failed to load stays, for a reload to try again.
  ids = shown.filter((s) => s.c !== MISSING).map((s) => s.id);
  keepInUrl();
  const list = shown.filter((s) => typeof s.c === 'object' && s.c !== null).map((s) => s.c);
  document.querySelector('[data-head]').replaceChildren(
    h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Measure')),
    ...list.map((c) =>
      h(
        'th',
        { scope: 'col', 'data-player': c.playerId },
        h('a', { href: new URL(`prospects/${c.slug}/`, base).pathname }, c.name),
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'button secondary small',
            'aria-label': `Remove ${c.name}`,
            onclick: () => remove(c),
          },
          'Remove',
        ),
      ),
    ),
  );
  document
    .querySelector('[data-body]')
    .replaceChildren(
      ...ROWS.map(([label, cell]) =>
        h('tr', {}, h('th', { scope: 'row' }, label), ...list.map((c) => h('td', {}, cell(c)))),
      ),
    );
  table.hidden = list.length === 0;
  input.disabled = ids.length >= MAX;
  const note =
    (missing.length ? `No prospect with id ${missing.join(', ')} in these rankings. ` : '') +
    (failed.length
      ? `The prospect with id ${failed.join(', ')} could not be loaded: reload the page to try again. `
      : '');
  const kind = missing.length || failed.length ? 'error' : 'info';
  if (list.length < 2)
    say(status, `${note}Add ${list.length ? 'another prospect' : 'two to four prospects'} to compare.`, kind);
  else
    say(
      status,
      `${note}Comparing ${list.map((c) => c.name).join(', ')}.${list.length >= MAX ? ' Remove one to add another.' : ''}`,
      kind,
    );
}

function remove(c) {
  ids = ids.filter((id) => id !== c.playerId);
  void render().then(() => input.focus());
}

async function add(id) {
  if (ids.includes(id) || ids.length >= MAX) return;
  ids = [...ids, id];
  input.value = '';
  matches.replaceChildren();
  await render();
  if (!input.disabled) input.focus();
}

async function search() {
  const query = fold(input.value.trim());
  if (!query) return matches.replaceChildren();
  const index = await prospectIndex();
  const found = [...index.values()].filter((p) => !ids.includes(p.id) && fold(p.name).includes(query)).slice(0, 8);
  matches.replaceChildren(
    ...(found.length
      ? found.map((p) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'link-button', onclick: () => void add(p.id) },
              `Add ${p.name}`,
              h('small', {}, ` #${p.rank} · ${p.org || 'Unaffiliated'} · ${p.pos}`),
            ),
          ),
        )
      : [h('li', {}, 'No prospects found')]),
  );
}

input.addEventListener('input', () => void search());
input.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowDown') {
    matches.querySelector('button')?.focus();
    event.preventDefault();
  }
});
document.querySelector('[data-compare-add]').addEventListener('submit', (event) => {
  event.preventDefault();
  matches.querySelector('button')?.click();
});

scriptReady();
await render();
