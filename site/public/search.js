// Header search box: queries the Pagefind index written at build time; every page works without it.
const form = document.querySelector('[data-search]');
const input = form?.querySelector('input');
const list = form?.querySelector('[data-search-results]');
const status = form?.querySelector('[data-search-status]');

if (form && input && list && status) {
  // Resolved against this script's own URL so the site also works under a sub-path.
  const pagefindUrl = new URL('pagefind/pagefind.js', import.meta.url).href;
  let pagefind;
  const load = () =>
    (pagefind ??= import(pagefindUrl)
      .then(async (pf) => {
        await pf.init();
        return pf;
      })
      .catch((error) => {
        pagefind = undefined;
        throw error;
      }));

  const item = (title, url, note) => {
    const li = document.createElement('li');
    const target = url ? document.createElement('a') : document.createElement('span');
    if (url) target.href = url;
    target.textContent = title;
    li.append(target);
    if (note) {
      const small = document.createElement('small');
      small.textContent = note;
      li.append(small);
    }
    return li;
  };
  const show = (items, message, query = '') => {
    const fragment = document.createDocumentFragment();
    for (const item of items) fragment.append(item);
    list.replaceChildren(fragment);
    // Which query the list answers (tests and the benchmark wait on it).
    list.dataset.query = query;
    status.textContent = message;
  };

  let latest = 0;
  const run = async () => {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) return show([], '');
    let rows;
    try {
      const pf = await load();
      const search = await pf.search(query);
      const top = await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
      rows = top.map((d) => item(d.meta.title ?? d.url, d.url, d.meta.summary));
    } catch {
      if (ticket === latest) show([item('Search is unavailable offline', null, '')], 'Search is unavailable offline');
      return;
    }
    // A newer keystroke already started its own search.
    if (ticket !== latest) return;
    if (rows.length) show(rows, `${rows.length} result${rows.length === 1 ? '' : 's'}`, query);
    else show([item('No prospects found', null, '')], 'No prospects found', query);
  };

  input.addEventListener('focus', () => void load().catch(() => {}), { once: true });
  input.addEventListener('input', () => void run());
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      input.value = '';
      show([], '');
    } else if (event.key === 'ArrowDown') {
      list.querySelector('a')?.focus();
      event.preventDefault();
    }
  });
  list.addEventListener('keydown', (event) => {
    const links = [...list.querySelectorAll('a')];
    const at = links.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' && at < links.length - 1) links[at + 1].focus();
    else if (event.key === 'ArrowUp') (at > 0 ? links[at - 1] : input).focus();
    else if (event.key === 'Escape') input.focus();
    else return;
    event.preventDefault();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    list.querySelector('a')?.click();
  });
  form.hidden = false;
}
