// Header search box: queries the Pagefind index written at build time; every page works without it.
const form = document.querySelector('[data-search]');
const input = form?.querySelector('input');
const list = form?.querySelector('[data-search-results]');

if (form && input && list) {
  // Resolved against this script's own URL so the site also works under a sub-path.
  const pagefindUrl = new URL('pagefind/pagefind.js', import.meta.url).href;
  let pagefind;
  const load = async () => (pagefind ??= import(pagefindUrl));

  const show = (items) => {
    list.replaceChildren(...items);
  };
  const item = (title, url, note) => {
    const li = document.createElement('li');
    if (url) {
      const a = document.createElement('a');
      a.href = url;
      a.textContent = title;
      li.append(a);
    } else {
      li.textContent = title;
    }
    if (note) {
      const small = document.createElement('small');
      small.textContent = note;
      li.append(small);
    }
    return li;
  };

  input.addEventListener('focus', () => void load(), { once: true });
  input.addEventListener('input', async () => {
    const query = input.value.trim();
    if (!query) return show([]);
    const pf = await load();
    // debouncedSearch resolves to null when a newer keystroke superseded this one.
    const search = await pf.debouncedSearch(query);
    if (!search) return;
    const top = await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
    if (input.value.trim() !== query) return;
    const rows = top.map((d) => item(d.meta.title ?? d.url, d.url, d.meta.summary));
    show(rows.length ? rows : [item('No prospects found', null, '')]);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    list.querySelector('a')?.click();
  });
  form.hidden = false;
}
