// /account/data/: the export downloads as a JSON file (built in the page from the API's answer, so the access token
// never goes into a URL); deleting needs the password again.
import { api, forget, problemText, restore } from './session.js';
import { onSubmit, say, scriptReady, showView } from './ui.js';

const pageStatus = document.querySelector('[data-page-status]');

async function download() {
  const status = document.querySelector('[data-export-status]');
  say(status, 'Preparing your data…');
  const result = await api('/users/me/export');
  if (!result.ok || result.data === null)
    return say(status, problemText(result, 'The export failed; try again.'), 'error');
  const blob = new Blob([JSON.stringify(result.data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `afwd-data-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(status, 'Your data is downloading.', 'ok');
}

document.querySelector('[data-export]').addEventListener('click', () => void download());

const remove = document.querySelector('[data-delete]');
onSubmit(remove, remove.querySelector('[data-status]'), async (form) => {
  const status = form.querySelector('[data-status]');
  const result = await api('/users/me', { method: 'DELETE', body: { password: new FormData(form).get('password') } });
  if (!result.ok) return say(status, problemText(result, 'The account was not deleted.'), 'error');
  forget();
  showView('deleted');
  say(pageStatus, 'Your account is deleted. Thank you for reading.', 'ok');
});

scriptReady();
showView((await restore()) ? 'signed-in' : 'signed-out');
