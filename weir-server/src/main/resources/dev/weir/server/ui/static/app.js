// Weir UI: the behaviour every page shares. An ES module with no dependencies; the pages work
// without it (links and forms), it adds the time zone and theme switches and the API actions.

const csrf = document.querySelector('meta[name="weir-csrf"]')?.content;

// ---- time zone: every <time datetime> shows UTC or this browser's zone, named explicitly
const TZ_KEY = 'weir-tz';
const pad = (n) => String(n).padStart(2, '0');

function formatTime(date, zone) {
  if (zone === 'utc') {
    return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} `
      + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
  }
  const name = new Intl.DateTimeFormat('en', { timeZoneName: 'short' })
    .formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} `
    + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${name}`;
}

export function applyZone(root = document) {
  const zone = localStorage.getItem(TZ_KEY) ?? 'utc';
  for (const el of root.querySelectorAll('time[datetime]')) {
    const d = new Date(el.getAttribute('datetime'));
    if (!Number.isNaN(d.getTime())) {
      el.textContent = formatTime(d, zone);
    }
  }
  const button = document.querySelector('[data-tz-toggle]');
  if (button) {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    button.textContent = zone === 'utc' ? 'UTC' : local;
    button.setAttribute('aria-label', `Times shown in ${zone === 'utc' ? 'UTC' : local}; switch`);
  }
}

document.querySelector('[data-tz-toggle]')?.addEventListener('click', () => {
  const zone = localStorage.getItem(TZ_KEY) === 'local' ? 'utc' : 'local';
  localStorage.setItem(TZ_KEY, zone);
  applyZone();
});

// ---- theme: the system's by default, or the one chosen here
const THEME_KEY = 'weir-theme';

function applyTheme() {
  const chosen = localStorage.getItem(THEME_KEY);
  if (chosen) {
    document.documentElement.dataset.theme = chosen;
  } else {
    delete document.documentElement.dataset.theme;
  }
  const dark = chosen ? chosen === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  const button = document.querySelector('[data-theme-toggle]');
  if (button) {
    button.textContent = dark ? 'Light' : 'Dark';
    button.setAttribute('aria-label', dark ? 'Switch to the light theme' : 'Switch to the dark theme');
  }
}

document.querySelector('[data-theme-toggle]')?.addEventListener('click', () => {
  const dark = document.documentElement.dataset.theme
    ? document.documentElement.dataset.theme === 'dark'
    : matchMedia('(prefers-color-scheme: dark)').matches;
  localStorage.setItem(THEME_KEY, dark ? 'light' : 'dark');
  applyTheme();
});

// ---- actions: buttons that POST to the REST API with the session's CSRF token
export async function apiPost(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'X-CSRF-Token': csrf ?? '', 'Content-Type': 'application/json' },
    body: body === undefined ? '{}' : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    // the API's errors say why in error.message; a refused start (409) in message
    const error = new Error(json?.error?.message ?? json?.message ?? `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.body = json;
    throw error;
  }
  return json;
}

for (const button of document.querySelectorAll('[data-api-post]')) {
  button.addEventListener('click', async () => {
    const question = button.dataset.confirm;
    if (question && !confirm(question)) {
      return;
    }
    const status = button.parentElement.querySelector('.action-result');
    button.disabled = true;
    try {
      // data-api-body: the JSON to send; data-then: where to go once done (else this run or page)
      const body = button.dataset.apiBody ? JSON.parse(button.dataset.apiBody) : undefined;
      const answer = await apiPost(button.dataset.apiPost, body);
      if (status) status.textContent = 'Done.';
      const next = button.dataset.then
        ?? (answer.id && answer.id !== location.pathname.split('/').pop()
          ? `/runs/${answer.id}` : location.pathname);
      location.assign(next);
    } catch (e) {
      if (status) {
        status.textContent = e.message;
        status.classList.add('error-text');
      }
      button.disabled = false;
    }
  });
}

// ---- copy: a [data-copy] button copies the [data-copy-text] beside it; where the clipboard is
// refused (plain HTTP on another host), the text is selected for Ctrl+C instead
for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const text = button.parentElement.querySelector('[data-copy-text]');
    const status = button.parentElement.querySelector('.copy-result');
    try {
      await navigator.clipboard.writeText(text.textContent);
      if (status) status.textContent = 'Copied.';
    } catch {
      const range = document.createRange();
      range.selectNodeContents(text);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      if (status) status.textContent = 'Selected: press Ctrl+C to copy.';
    }
  });
}

matchMedia('(prefers-color-scheme: dark)').addEventListener('change', applyTheme);
applyTheme();
applyZone();
