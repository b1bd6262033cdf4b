// The flow page: its topology (drawn by graph.js; a click on a task jumps to the source line that
// defines it) and the "run now" form, sent to the API as the flow's inputs, a date-time as the
// instant the server reads it as in the IANA time zone chosen beside it.
import { apiPost } from './app.js';
import { Graph } from './graph.js';

const wrap = document.querySelector('[data-flow-graph]');
if (wrap) {
  drawGraph(wrap).catch((e) => {
    wrap.querySelector('.dag-status').textContent = `The graph could not be shown: ${e.message}`;
  });
}

async function drawGraph(section) {
  const response = await fetch(section.dataset.flowGraph, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status}`);
  const layout = await response.json();
  new Graph(section.querySelector('.dag-view'), layout, {
    states: false,
    onSelect: (id) => {
      const line = document.querySelector(`[data-task-line="${CSS.escape(id)}"]`);
      if (line) location.hash = line.id;
    },
  });
  section.querySelector('.dag-status').textContent = '';
  section.dataset.drawn = 'true';
}

// ---- run now
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const field = (attribute, id) => document.querySelector(`[${attribute}="${CSS.escape(id)}"]`);

// A datetime-local value (a wall-clock time without zone) read in an IANA zone, by the server: it
// knows every zone's rules and refuses a time that the clocks skip. {instant, note} or {error};
// null when there is no value.
async function resolve(value, zone) {
  if (!value) return null;
  const query = new URLSearchParams({ local: value, zone });
  const response = await fetch(`/api/v1/time/instant?${query}`, { credentials: 'same-origin' });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) return { error: json?.error?.message ?? `${response.status}` };
  return json;
}

// The browser's own zone, named as such and offered right after UTC.
function offerLocalZone(select) {
  const option = [...select.options].find((o) => o.value === LOCAL_ZONE)
    ?? document.createElement('option');
  option.value = LOCAL_ZONE; // the zone's name stays its value when its label changes
  option.textContent = `${LOCAL_ZONE} (this browser)`;
  option.dataset.local = 'true';
  select.insertBefore(option, select.options[1] ?? null);
}

for (const select of document.querySelectorAll('[data-zone-for]')) {
  offerLocalZone(select);
  const input = field('data-input', select.dataset.zoneFor);
  const output = field('data-instant-for', select.dataset.zoneFor);
  let asked = 0;
  const show = async () => {
    const ask = ++asked;
    const answer = await resolve(input.value, select.value);
    if (ask !== asked) return; // a newer value is being read
    output.classList.toggle('error-text', Boolean(answer?.error));
    if (!answer) output.textContent = '';
    else if (answer.error) output.textContent = answer.error;
    else output.textContent = `sent as ${answer.instant}${answer.note ? ` · ${answer.note}` : ''}`;
    output.dataset.state = answer?.error ? 'invalid' : 'ok';
  };
  input.addEventListener('input', show);
  input.addEventListener('change', show);
  select.addEventListener('change', show);
  show();
}

const form = document.querySelector('[data-run-now]');
form?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  const result = form.querySelector('.run-result');
  const inputs = {};
  button.disabled = true;
  result.classList.remove('error-text');
  result.textContent = 'Starting…';
  try {
    for (const input of form.querySelectorAll('[data-input]')) {
      let value = input.value;
      if (input.dataset.control === 'datetime' && value) {
        const answer = await resolve(value, field('data-zone-for', input.dataset.input).value);
        if (answer.error) {
          show(result, { outcome: 'REFUSED', message: `${input.dataset.input}: ${answer.error}` });
          return;
        }
        value = answer.instant;
      }
      if (value !== '') inputs[input.dataset.input] = value; // empty: the flow's default
    }
    show(result, await apiPost(form.dataset.runNow, { inputs }));
  } catch (e) {
    show(result, e.body?.outcome ? e.body : { outcome: 'REFUSED', message: e.message });
  } finally {
    button.disabled = false;
  }
});

// What the server answered: started or queued (with a link to the run), skipped or refused (why).
function show(result, answer) {
  const words = { STARTED: 'Run started', QUEUED: 'Run queued', SKIPPED: 'Skipped', REFUSED: 'Refused' };
  const ok = answer.outcome === 'STARTED' || answer.outcome === 'QUEUED';
  result.classList.toggle('error-text', !ok);
  result.replaceChildren(words[answer.outcome] ?? answer.outcome);
  if (answer.message && answer.outcome !== 'STARTED') result.append(`: ${answer.message}`);
  if (answer.runId) {
    const link = document.createElement('a');
    link.href = `/runs/${encodeURIComponent(answer.runId)}`;
    link.textContent = `open run ${answer.runId.slice(0, 10)}`;
    result.append(' · ', link);
  }
}
