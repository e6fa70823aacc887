// /fantrax/: connect a Fantrax Secret ID, then each league's recommendations and the uncertain player matches with
// a correction form. Premium only: a free account sees what it would get. Every API failure shows its problem detail.
import { api, problemText, restore } from './session.js';
import { date, h, move, onSubmit, percent, prospectIndex, say, scriptReady, showView } from './ui.js';

const pageStatus = document.querySelector('[data-page-status]');
const base = new URL('./', import.meta.url).pathname;
const connect = document.querySelector('[data-connect]');
const connectStatus = connect.querySelector('[data-status]');
const select = document.querySelector('[data-league-select]');

/** A list from an answer that is either the list or an object holding it under `key`. */
const listOf = (data, key) => (Array.isArray(data) ? data : Array.isArray(data?.[key]) ? data[key] : []);

// The recommendation lists the API answers (fantrax/recommendations.ts), in the order a manager reads them.
const SECTIONS = [
  { key: 'farmSystem', title: 'Your farm system', empty: 'None of your rostered prospects are ranked.' },
  {
    key: 'freeAgents',
    title: 'Free agents worth a claim',
    empty: 'No ranked prospect is a free agent in this league.',
  },
  {
    key: 'movers',
    title: 'Hold or sell: your prospects who moved',
    empty: 'None of your prospects moved much since the last run.',
  },
  { key: 'graduating', title: 'Close to graduating', empty: 'Nobody on your roster is about to graduate.' },
];
const ACTIONS = { hold: 'Hold', sell: 'Sell' };

async function prospectLink(item) {
  const index = await prospectIndex();
  const known = index.get(item.playerId);
  const name = item.name ?? known?.name ?? `Player ${item.playerId}`;
  return known ? h('a', { href: `${base}prospects/${known.slug}/` }, name) : name;
}

/** One recommendation: name, rank, probability, ETA, dynasty value, move; for movers hold or sell, with the SHAP reason. */
async function itemRow(item) {
  return h(
    'li',
    {},
    item.action ? [h('strong', {}, ACTIONS[item.action] ?? String(item.action)), ' '] : '',
    await prospectLink(item),
    typeof item.rank === 'number' ? ` #${item.rank}` : '',
    typeof item.probability === 'number' ? ` · ${percent(item.probability)}` : '',
    item.eta ? ` · ETA ${item.eta}` : '',
    typeof item.value === 'number' ? ` · value ${item.value.toFixed(1)}` : '',
    'rankChange' in item ? [' · ', move(item.rankChange)] : '',
    item.reason ? h('span', { class: 'sub' }, ` (${item.reason})`) : '',
  );
}

async function showRecommendations(leagueId) {
  const box = document.querySelector('[data-recommendations]');
  box.replaceChildren(h('p', { class: 'note' }, 'Loading…'));
  const result = await api(`/fantrax/leagues/${encodeURIComponent(leagueId)}/recommendations`);
  if (!result.ok) {
    box.replaceChildren(
      h(
        'p',
        { class: 'form-status error', role: 'alert' },
        problemText(result, 'The recommendations could not be loaded.'),
      ),
    );
    return;
  }
  const data = result.data ?? {};
  const sections = [];
  if (data.strategy) {
    sections.push(
      h(
        'p',
        { class: 'note' },
        `Valued for a ${data.strategy} team (your preference on the account page)` +
          `${data.computedAt ? `, computed ${date(data.computedAt)}` : ''}.`,
      ),
    );
  }
  for (const section of SECTIONS) {
    const items = Array.isArray(data[section.key]) ? data[section.key] : [];
    const id = `rec-${section.key}`;
    sections.push(
      h(
        'section',
        { 'aria-labelledby': id, class: 'panel wide' },
        h('h3', { id }, section.title),
        items.length
          ? h('ul', { class: 'recs' }, await Promise.all(items.map(itemRow)))
          : h('p', { class: 'note' }, section.empty),
      ),
    );
  }
  box.replaceChildren(...sections);
}

async function showLeagues() {
  const result = await api('/fantrax/leagues');
  if (!result.ok) return say(pageStatus, problemText(result, 'Your leagues could not be loaded.'), 'error');
  const { connected, needsReconnect, lastSyncedAt, lastError } = result.data;
  const leagues = listOf(result.data, 'leagues');
  document.querySelector('[data-sync]').hidden = !connected;
  document.querySelector('[data-disconnect]').hidden = !connected;
  let text = 'Connect with your Fantrax Secret ID (Fantrax: your profile, then “Secret ID”).';
  if (connected && needsReconnect)
    text = 'Fantrax refused your Secret ID: connect again with the one on your Fantrax profile.';
  else if (connected) {
    text =
      `Connected. ${lastSyncedAt ? `Last synced ${date(lastSyncedAt)}.` : 'The first sync is on its way.'}` +
      `${lastError ? ` The last sync failed: ${lastError}` : ''} Paste a new Secret ID to replace it.`;
  }
  document.querySelector('[data-connection-text]').textContent = text;
  const section = document.querySelector('[data-leagues]');
  section.hidden = leagues.length === 0;
  if (connected && !needsReconnect && leagues.length === 0)
    say(pageStatus, 'Connected, but no leagues synced yet: press “Sync now”, or check back in a minute.');
  const previous = select.value;
  select.replaceChildren(
    ...leagues.map((l) =>
      h(
        'option',
        { value: l.leagueId },
        `${l.leagueName}${l.teamName ? ` (your team: ${l.teamName})` : ''}${l.status === 'inaccessible' ? ', not readable at the last sync' : ''}`,
      ),
    ),
  );
  if (leagues.some((l) => l.leagueId === previous)) select.value = previous;
  if (leagues.length) await showRecommendations(select.value);
  if (connected) await showMatches();
}

/** Fills the one list of ranked names the correction fields suggest from: "Name (ORG POS) #id". */
async function nameList() {
  let list = document.getElementById('prospect-names');
  if (!list) {
    const index = await prospectIndex();
    list = h(
      'datalist',
      { id: 'prospect-names' },
      [...index.values()].map((p) =>
        h('option', { value: `${p.name} (${p.org || 'unaffiliated'} ${p.pos}) #${p.id}` }),
      ),
    );
    document.body.append(list);
  }
}

/** A player id from "… #123" (a suggestion picked) or "123" (an id typed). */
const playerIdOf = (text) => {
  const match = /(?:^|#)\s*(\d{1,9})\s*$/.exec(String(text).trim());
  return match ? Number(match[1]) : null;
};

async function showMatches() {
  const result = await api('/fantrax/matches?status=uncertain');
  const section = document.querySelector('[data-matches]');
  const matches = result.ok ? listOf(result.data, 'matches') : [];
  section.hidden = matches.length === 0;
  if (!result.ok && result.status !== 404)
    say(pageStatus, problemText(result, 'The player matches could not be loaded.'), 'error');
  if (matches.length) await nameList();
  const list = document.querySelector('[data-match-list]');
  list.replaceChildren(
    ...(await Promise.all(
      matches.map(async (m, i) => {
        const id = `match-${i}`;
        const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
        const current = m.playerId
          ? await prospectLink({ playerId: m.playerId, name: m.playerName ?? undefined })
          : 'nobody';
        const where = [m.fantraxTeam, m.fantraxPosition].filter(Boolean).join(' ');
        const form = h(
          'form',
          { class: 'panel match' },
          h(
            'p',
            {},
            h('strong', {}, m.fantraxName ?? m.name ?? m.fantraxId),
            where ? ` (${where})` : '',
            ' on Fantrax: matched to ',
            current,
            typeof m.confidence === 'number' ? ` (confidence ${percent(m.confidence)})` : '',
          ),
          h(
            'div',
            { class: 'field narrow' },
            h('label', { for: id }, 'The right player'),
            h('input', {
              id,
              name: 'player',
              list: 'prospect-names',
              autocomplete: 'off',
              required: true,
              'aria-describedby': `${id}-hint`,
            }),
            h(
              'p',
              { class: 'hint', id: `${id}-hint` },
              'Pick a name, or type his player id (the number at the end of his page address).',
            ),
          ),
          h('div', { class: 'actions' }, h('button', { class: 'button', type: 'submit' }, 'Save the match')),
          status,
        );
        onSubmit(form, status, async () => {
          const playerId = playerIdOf(new FormData(form).get('player'));
          if (!playerId) return say(status, 'Pick a player from the list, or type his id.', 'error');
          const saved = await api(`/fantrax/matches/${encodeURIComponent(m.fantraxId)}`, {
            method: 'PUT',
            body: { playerId },
          });
          say(
            status,
            saved.ok
              ? 'Saved: the recommendations use it from the next sync.'
              : problemText(saved, 'The match was not saved.'),
            saved.ok ? 'ok' : 'error',
          );
        });
        return form;
      }),
    )),
  );
}

onSubmit(connect, connectStatus, async () => {
  const secretId = String(new FormData(connect).get('secretId') ?? '').trim();
  say(connectStatus, 'Connecting…');
  const result = await api('/fantrax/connection', { method: 'PUT', body: { secretId } });
  if (!result.ok) return say(connectStatus, problemText(result, 'Fantrax did not accept the Secret ID.'), 'error');
  connect.reset();
  const found = listOf(result.data, 'leagues').length;
  say(
    connectStatus,
    `Connected: ${found} league${found === 1 ? '' : 's'} found${result.data?.syncWorkflowId ? '; the first sync is running' : ''}.`,
    'ok',
  );
  await showLeagues();
});

document.querySelector('[data-sync]').addEventListener('click', async () => {
  const result = await api('/fantrax/sync', { method: 'POST' });
  say(
    connectStatus,
    result.ok
      ? 'Sync started: reload in a minute for fresh recommendations.'
      : problemText(result, 'The sync did not start.'),
    result.ok ? 'ok' : 'error',
  );
});

document.querySelector('[data-disconnect]').addEventListener('click', async () => {
  const result = await api('/fantrax/connection', { method: 'DELETE' });
  if (!result.ok) return say(connectStatus, problemText(result, 'Fantrax was not disconnected.'), 'error');
  say(connectStatus, 'Disconnected: the Secret ID is deleted.', 'ok');
  document.querySelector('[data-leagues]').hidden = true;
  document.querySelector('[data-matches]').hidden = true;
  document.querySelector('[data-sync]').hidden = true;
  document.querySelector('[data-disconnect]').hidden = true;
});

select.addEventListener('change', () => void showRecommendations(select.value));

scriptReady();
if (!(await restore())) showView('signed-out');
else {
  const me = await api('/users/me');
  if (me.status === 401) showView('signed-out');
  else if (!me.ok) say(pageStatus, problemText(me, 'Your account could not be loaded.'), 'error');
  else if (me.data.role === 'free') showView('free');
  else {
    showView('premium');
    await showLeagues();
  }
}
