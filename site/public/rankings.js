// Filters, sorting and the contending/rebuilding switch of a rankings table, all on the client. The table is
// complete without this script; it only hides, reorders and re-discounts the rows already in the page.
// Dynasty value = 100 x probability x role weight x (1 - discount)^years to ETA, as in site/dynasty.ts.
const form = document.querySelector('[data-controls]');
const table = form && document.getElementById(form.dataset.controls);

if (form && table) {
  const tbody = table.tBodies[0];
  const count = form.querySelector('[data-count]');
  const DEFAULT_DISCOUNT = 0.1;
  const rows = Array.from(tbody.rows, (tr, index) => {
    const d = tr.dataset;
    const cell = tr.querySelector('[data-value]');
    return {
      tr,
      index,
      cell,
      shown: cell.textContent.trim(),
      pos: d.pos,
      org: d.org,
      lvl: d.lvl,
      kind: d.kind,
      eta: d.eta === '' ? null : Number(d.eta),
      p: Number(d.p),
      rw: Number(d.rw),
      y: Number(d.y),
      value: 0,
    };
  });
  const headers = new Map(Array.from(table.tHead.querySelectorAll('[data-col]'), (th) => [th.dataset.col, th]));
  const fields = ['pos', 'org', 'lvl', 'eta', 'kind', 'sort'];

  const compare = {
    rank: (a, b) => a.index - b.index,
    value: (a, b) => b.value - a.value || a.index - b.index,
    probability: (a, b) => b.p - a.p || a.index - b.index,
    // Unknown ETAs last.
    eta: (a, b) => (a.eta ?? 1e9) - (b.eta ?? 1e9) || a.index - b.index,
  };

  const state = () => {
    const data = new FormData(form);
    return Object.fromEntries([...fields, 'mode'].map((name) => [name, String(data.get(name) ?? '')]));
  };

  const matches = (row, s) =>
    (!s.pos || row.pos === s.pos) &&
    (!s.org || row.org === s.org) &&
    (!s.lvl || row.lvl === s.lvl) &&
    (!s.kind || row.kind === s.kind) &&
    (!s.eta || (s.eta === 'none' ? row.eta === null : row.eta === Number(s.eta)));

  let order = rows;
  const apply = () => {
    const s = state();
    const checked = form.querySelector('input[name="mode"]:checked');
    const discount = checked ? Number(checked.dataset.discount) : DEFAULT_DISCOUNT;
    let visible = 0;
    for (const row of rows) {
      row.value = 100 * row.p * row.rw * (1 - discount) ** row.y;
      // At the default discount show the build's own figure, so it matches the page without JavaScript.
      row.cell.textContent = discount === DEFAULT_DISCOUNT ? row.shown : row.value.toFixed(1);
      row.tr.hidden = !matches(row, s);
      if (!row.tr.hidden) visible++;
    }
    const sort = compare[s.sort] ? s.sort : 'rank';
    const sorted = [...rows].sort(compare[sort]);
    if (sorted.some((row, i) => row !== order[i])) {
      // One fragment rather than append(...rows): a long table must not become a call with thousands of arguments.
      const fragment = document.createDocumentFragment();
      for (const row of sorted) fragment.append(row.tr);
      tbody.append(fragment);
      order = sorted;
    }
    for (const [col, th] of headers) {
      if (col === sort) th.setAttribute('aria-sort', sort === 'rank' || sort === 'eta' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    const by = sort === 'rank' ? '' : `, by ${form.elements.sort.selectedOptions[0].text.toLowerCase()}`;
    count.textContent = `Showing ${visible} of ${rows.length} prospects${by}`;
    // The view is in the address, so it can be bookmarked and shared.
    const params = new URLSearchParams();
    for (const name of fields) if (s[name] && !(name === 'sort' && s[name] === 'rank')) params.set(name, s[name]);
    if (s.mode && s.mode !== 'balanced') params.set('mode', s.mode);
    const query = params.toString();
    history.replaceState(history.state, '', query ? `?${query}` : location.pathname);
  };

  // Restore a shared or bookmarked view.
  const params = new URLSearchParams(location.search);
  for (const name of fields) {
    const select = form.elements[name];
    const value = params.get(name);
    if (select && value !== null && [...select.options].some((o) => o.value === value)) select.value = value;
  }
  const mode = params.get('mode');
  const radio = mode && form.querySelector(`input[name="mode"][value="${CSS.escape(mode)}"]`);
  if (radio) radio.checked = true;

  form.addEventListener('change', (event) => {
    // Switching team mode re-sorts by dynasty value: that is what the switch is for.
    if (event.target.name === 'mode') form.elements.sort.value = 'value';
    apply();
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('reset', () => setTimeout(apply));
  form.hidden = false;
  // Open on wide screens; on a phone the table comes first and the controls are one tap away.
  const details = form.querySelector('[data-controls-details]');
  if (details && (matchMedia('(min-width: 48rem)').matches || location.search)) details.open = true;
  document.querySelector('[data-controls-note]')?.removeAttribute('hidden');
  apply();
}
