// A backfill's page: follows its progress while it is active, by asking the API every 2 s and
// changing the state badge, the progress bar and each slot's row in place. Stops when it ends.
import { applyZone } from './app.js';

const live = document.querySelector('[data-bf-live]');
const ORDER = ['SUCCEEDED', 'FAILED', 'ERROR', 'CANCELLED', 'UNKNOWN', 'RUNNING', 'QUEUED', 'PENDING'];
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'ERROR', 'CANCELLED', 'UNKNOWN']);
const SVG = 'http://www.w3.org/2000/svg';
const lower = (s) => s.toLowerCase().replaceAll('_', ' ');

function stateBadge(el, state) {
  el.className = `state state-${state.toLowerCase()}`;
  el.textContent = lower(state);
}

function drawProgress(slots) {
  const counts = new Map();
  for (const s of slots) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const total = Math.max(slots.length, 1);
  const box = document.querySelector('[data-bf-progress]');
  const svg = box.querySelector('svg');
  svg.querySelectorAll('.bf-seg').forEach((r) => r.remove());
  let x = 0;
  let done = 0;
  const words = [];
  for (const status of ORDER) {
    const n = counts.get(status) ?? 0;
    if (n === 0) continue;
    const w = (100 * n) / total;
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('class', `bf-seg bf-${status.toLowerCase()}`);
    rect.setAttribute('x', x.toFixed(2));
    rect.setAttribute('y', '0');
    rect.setAttribute('width', w.toFixed(2));
    rect.setAttribute('height', '8');
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${n} ${status.toLowerCase()}`;
    rect.append(title);
    svg.append(rect);
    x += w;
    words.push(`${n} ${status.toLowerCase()}`);
    if (ENDED.has(status)) done += n;
  }
  svg.setAttribute('aria-label', `${done} of ${slots.length} slots done`);
  box.querySelector('[data-bf-done]').textContent = String(done);
  box.querySelector('[data-bf-summary]').textContent = words.join(', ');
}

function drawSlot(row, slot) {
  const cell = row.querySelector('[data-slot-state]');
  const badge = document.createElement('span');
  stateBadge(badge, slot.state);
  cell.replaceChildren(badge);
  if (slot.error) {
    const e = document.createElement('span');
    e.className = 'error-text';
    e.textContent = ` ${slot.error}`;
    cell.append(e);
  }
  const run = row.querySelector('[data-slot-run]');
  if (slot.runId && run.dataset.runId !== slot.runId) {
    const a = document.createElement('a');
    a.href = `/runs/${encodeURIComponent(slot.runId)}`;
    a.textContent = slot.runId;
    run.replaceChildren(a);
    run.dataset.runId = slot.runId;
  }
}

function draw(b) {
  stateBadge(document.querySelector('[data-bf-state]'), b.state);
  drawProgress(b.slots);
  const rows = document.querySelectorAll('tr[data-slot]');
  b.slots.forEach((slot, i) => { if (rows[i]) drawSlot(rows[i], slot); });
  const active = b.state === 'RUNNING' || b.state === 'PAUSED';
  document.querySelector('[data-bf-action="pause"]').hidden = b.state !== 'RUNNING';
  document.querySelector('[data-bf-action="resume"]').hidden = b.state !== 'PAUSED';
  document.querySelector('[data-bf-action="cancel"]').hidden = !active;
  for (const [sel, text] of [['[data-bf-error]', b.error], ['[data-bf-waiting]', b.waiting]]) {
    const el = document.querySelector(sel);
    el.textContent = text ?? '';
    el.hidden = !text;
  }
  if (b.endedAt) {
    const t = document.createElement('time');
    t.setAttribute('datetime', b.endedAt);
    t.textContent = b.endedAt;
    document.querySelector('[data-bf-ended]').replaceChildren(t);
    applyZone(document.querySelector('[data-bf-ended]'));
  }
  return active;
}

async function follow(id) {
  let active = true;
  while (active) {
    await new Promise((r) => setTimeout(r, 2000));
    if (document.hidden) continue;
    try {
      const response = await fetch(`/api/v1/backfills/${encodeURIComponent(id)}`, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) return;
      active = draw(await response.json());
    } catch {
      return; // the server went away; the page still shows what it had
    }
  }
}

if (live && live.dataset.bfActive === 'true') {
  follow(live.dataset.bfLive);
}
