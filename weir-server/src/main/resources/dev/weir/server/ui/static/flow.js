// The flow page: its topology (drawn by graph.js; a click on a task jumps to the source line that
// defines it) and the "run now" form, sent to the API as the flow's inputs, a date-time as an
// instant read in the time zone chosen beside it.
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

// A datetime-local value (a wall-clock time without zone) read in UTC or in this browser's zone,
// as an ISO instant; null when there is none.
function instant(value, zone) {
  if (!value) return null;
  const date = new Date(zone === 'utc' ? `${value}Z` : value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace('.000Z', 'Z');
}

for (const select of document.querySelectorAll('[data-zone-for]')) {
  select.querySelector('option[value="local"]').textContent = `${LOCAL_ZONE} (this browser)`;
  const input = field('data-input', select.dataset.zoneFor);
  const output = field('data-instant-for', select.dataset.zoneFor);
  const show = () => {
    const value = instant(input.value, select.value);
    output.textContent = value ? `sent as ${value}` : '';
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
  for (const input of form.querySelectorAll('[data-input]')) {
    let value = input.value;
    if (input.dataset.control === 'datetime') {
      value = instant(value, field('data-zone-for', input.dataset.input).value) ?? '';
    }
    if (value !== '') inputs[input.dataset.input] = value; // empty: the flow's default
  }
  button.disabled = true;
  result.classList.remove('error-text');
  result.textContent = 'Starting…';
  try {
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
