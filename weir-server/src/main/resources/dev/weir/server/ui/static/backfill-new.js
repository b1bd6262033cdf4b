// The new backfill form: Preview asks the API what the backfill would do (every logical date and
// its fate) and only then may the same request be created. Changing the form after a preview
// turns Create off again, so what is created is always what was previewed.
import { apiPost, applyZone } from './app.js';

const form = document.querySelector('[data-bf-form]');
const flowSelect = document.querySelector('[data-bf-flow]');
const triggerSelect = document.querySelector('[data-bf-trigger]');
const triggerLabel = document.querySelector('[data-bf-trigger-label]');
const zoneNote = document.querySelector('[data-bf-zone]');
const createButton = document.querySelector('[data-bf-submit]');
const status = document.querySelector('[data-bf-status]');
const problem = document.querySelector('[data-bf-problem]');
const result = document.querySelector('[data-bf-result]');
let previewed = null;

const FATES = {
  NEW: 'new run',
  REPLACES: 'runs again: its rows replace those of',
  DUPLICATES: 'runs again: its loads append, so the rows are added a second time beside',
  RUNS_AGAIN: 'runs again beside',
};
const FATE_WORDS = {
  NEW: 'new',
  REPLACES: 'replace earlier runs',
  DUPLICATES: 'duplicate earlier runs',
  RUNS_AGAIN: 'run again beside earlier runs',
};

function schedules() {
  const option = flowSelect.selectedOptions[0];
  return option ? JSON.parse(option.dataset.schedules) : [];
}

function showSchedules() {
  const list = schedules();
  const keep = triggerSelect.value;
  triggerSelect.replaceChildren(...list.map((s) => new Option(`${s.id} (${s.cron}, ${s.timezone})`, s.id)));
  if (list.some((s) => s.id === keep)) triggerSelect.value = keep;
  triggerLabel.hidden = list.length < 2;
  showZone();
}

function showZone() {
  const s = schedules().find((x) => x.id === triggerSelect.value) ?? schedules()[0];
  zoneNote.textContent = s
    ? `Schedule ${s.id}: cron "${s.cron}" in ${s.timezone}; dates below are days in ${s.timezone}.`
    : '';
}

function request() {
  const data = new FormData(form);
  const body = {
    flow: data.get('flow'),
    from: String(data.get('from') ?? '').trim(),
    to: String(data.get('to') ?? '').trim(),
  };
  const parallel = String(data.get('parallel') ?? '').trim();
  if (parallel !== '') body.parallel = Number(parallel);
  if (schedules().length > 1) body.trigger = data.get('trigger');
  return body;
}

function say(message, isError) {
  problem.textContent = isError ? message : '';
  problem.hidden = !isError;
  status.textContent = isError ? '' : message;
}

function local(iso, zone) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone === 'UTC' ? 'UTC' : zone,
    year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).formatToParts(new Date(iso));
  const get = (type) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

function runLink(run) {
  const a = document.createElement('a');
  a.href = `/runs/${encodeURIComponent(run.id)}`;
  a.textContent = run.id;
  const span = document.createElement('span');
  span.append(a, ` (${run.state.toLowerCase()}, ${run.trigger ?? 'unknown trigger'})`);
  return span;
}

function fateCell(slot) {
  const td = document.createElement('td');
  td.className = `fate fate-${slot.fate.toLowerCase()}`;
  td.dataset.fate = slot.fate;
  td.append(FATES[slot.fate]);
  slot.earlierRuns.forEach((run, i) => {
    td.append(i === 0 ? ' ' : ', ', runLink(run));
  });
  return td;
}

function show(p) {
  const c = p.counts;
  const parts = Object.keys(FATE_WORDS).filter((f) => c[f] > 0).map((f) => `${c[f]} ${FATE_WORDS[f]}`);
  document.querySelector('[data-bf-headline]').textContent =
    `${c.slots} run${c.slots === 1 ? '' : 's'} of ${p.flow} for schedule ${p.trigger} `
    + `(cron "${p.cron}", ${p.timezone}), ${p.parallel} at a time: ${parts.join(', ')}.`;
  document.querySelector('[data-bf-loads]').textContent = p.loads.length === 0
    ? 'The flow has no jdbc.load task: what running a date again does to the data it writes depends on its tasks.'
    : `Loads: ${p.loads.map((l) => `${l.task} → ${l.table ?? '?'} (${l.mode})`).join(', ')}. `
      + 'A backfill never cancels or deletes an earlier run; it adds one more run for the date.';
  const rows = document.createDocumentFragment();
  p.slots.forEach((slot, i) => {
    const tr = document.createElement('tr');
    tr.dataset.slot = String(i);
    const no = document.createElement('td');
    no.textContent = String(i + 1);
    const date = document.createElement('td');
    const time = document.createElement('time');
    time.setAttribute('datetime', slot.logicalDate);
    time.textContent = slot.logicalDate;
    date.append(time);
    const zoned = document.createElement('td');
    zoned.textContent = local(slot.logicalDate, p.timezone);
    tr.append(no, date, zoned, fateCell(slot));
    rows.append(tr);
  });
  document.querySelector('[data-bf-slots]').replaceChildren(rows);
  applyZone(result);
  result.hidden = false;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = request();
  say('Previewing…', false);
  createButton.disabled = true;
  try {
    const p = await apiPost('/api/v1/backfills/preview', body);
    previewed = JSON.stringify(body);
    show(p);
    createButton.disabled = false;
    say('', false);
  } catch (err) {
    previewed = null;
    result.hidden = true;
    say(err.message, true);
  }
});

createButton.addEventListener('click', async () => {
  const body = request();
  if (JSON.stringify(body) !== previewed) {
    createButton.disabled = true;
    say('The form changed since the preview: preview again.', true);
    return;
  }
  createButton.disabled = true;
  say('Creating…', false);
  try {
    const b = await apiPost('/api/v1/backfills', body);
    location.assign(`/backfills/${encodeURIComponent(b.id)}`);
  } catch (err) {
    say(err.message, true);
    createButton.disabled = false;
  }
});

form.addEventListener('input', () => {
  if (previewed === null) return;
  const changed = JSON.stringify(request()) !== previewed;
  createButton.disabled = changed;
  say(changed ? 'The form changed: preview again before creating.' : '', false);
});

flowSelect.addEventListener('change', showSchedules);
triggerSelect.addEventListener('change', showZone);
showSchedules();
