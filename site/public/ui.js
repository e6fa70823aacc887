// Small DOM helpers shared by the account pages: build elements, announce messages in a live region, run a form's
// submit with its button disabled, and show a page's JavaScript-only parts.

/** h('a', { href: '/x/', class: 'y' }, 'text', child): an element with attributes and children (text is escaped). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * Puts a message in a live region and styles it as an error or not. An error makes the region an alert (assertive:
 * read out at once); anything else a polite status. The role changes before the text, so the text is read in it.
 */
export function say(region, text, kind = 'info') {
  if (!region) return;
  region.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  region.setAttribute('aria-live', kind === 'error' ? 'assertive' : 'polite');
  region.textContent = text;
  region.classList.toggle('error', kind === 'error');
  region.classList.toggle('ok', kind === 'ok');
}

/** On submit: prevents the page load, disables the submit button while `handler(form)` runs, reports what it threw. */
export function onSubmit(form, status, handler) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    for (const b of buttons) b.disabled = true;
    try {
      await handler(form);
    } catch (error) {
      say(status, `Something went wrong: ${error instanceof Error ? error.message : String(error)}`, 'error');
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  });
}

/** Shows [data-js] parts and hides [data-no-js] notes: the page's script is running. */
export function scriptReady(root = document) {
  for (const el of root.querySelectorAll('[data-no-js]')) el.hidden = true;
  for (const el of root.querySelectorAll('[data-js]')) el.hidden = false;
}

/** Shows the one view named `name` among the [data-view] sections. */
export function showView(name, root = document) {
  for (const el of root.querySelectorAll('[data-view]')) el.hidden = el.dataset.view !== name;
}

/**
 * Moves focus to the heading (tabindex="-1") of the view named `name`, if it is shown: the form or button the reader
 * used has just been hidden with its view, and focus would otherwise fall back to the page's body.
 */
export function focusView(name, root = document) {
  const view = root.querySelector(`[data-view="${name}"]`);
  if (view && !view.hidden) view.querySelector('[tabindex="-1"]')?.focus();
}

const PERCENT = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
export const percent = (x) => (typeof x === 'number' ? PERCENT.format(x) : '—');
export const date = (iso) => {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? '—'
    : d.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
};

/** "▲ 3" / "▼ 2" / "–" / "new" for a rank change (positive = up), with the words for screen readers. */
export function move(change) {
  if (change === null || change === undefined) return h('span', { class: 'trend new' }, 'new');
  if (change === 0)
    return h(
      'span',
      { class: 'trend flat', title: 'unchanged' },
      '–',
      h('span', { class: 'visually-hidden' }, ' unchanged'),
    );
  const up = change > 0;
  return h(
    'span',
    { class: `trend ${up ? 'up' : 'down'}` },
    `${up ? '▲' : '▼'} ${Math.abs(change)}`,
    h('span', { class: 'visually-hidden' }, up ? ' places up' : ' places down'),
  );
}

/** The name index the build emits (/data/prospects.json): Map playerId → { name, slug, rank, org, pos }. */
let index;
// Resolved against this script's URL, so the site also works under a sub-path.
export function prospectIndex() {
  return (index ??= fetch(new URL('data/prospects.json', import.meta.url))
    .then((r) => (r.ok ? r.json() : []))
    .catch(() => [])
    .then((rows) => new Map(rows.map(([id, name, slug, rank, org, pos]) => [id, { id, name, slug, rank, org, pos }]))));
}
