// The run page's live parts: the task graph (laid out by the server, drawn by graph.js with only
// what is on screen), the Gantt of every attempt, and the state badges, all patched from the run's
// SSE stream. Task elements are found through maps by id: a change never scans the graph and never
// lays it out again.
import { applyZone } from './app.js';
import { Graph, SVG } from './graph.js';

const GANTT_ROWS = 300;
const root = document.querySelector('[data-run-live]');
if (root) {
  start(root.dataset.runLive).catch((e) => {
    root.querySelector('.dag-status').textContent = `The graph could not be shown: ${e.message}`;
  });
}

async function start(runId) {
  const response = await fetch(`/api/v1/runs/${encodeURIComponent(runId)}/graph`, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status}`);
  const layout = await response.json();
  const graph = new Graph(root.querySelector('.dag-view'), layout, {
    onSelect: (id) => { location.hash = `task-${id}`; },
  });
  const gantt = new Gantt(document.querySelector('.gantt-view'));
  const attempts = new Map(); // task id -> [attempt patches, by attempt number]
  const badges = new Map([...document.querySelectorAll('[data-task-state]')].map((e) => [e.dataset.taskState, e]));

  const apply = (t) => {
    // a mark per patch: when each change reached the page (read by weir-bench's UiBench)
    performance.mark(`weir-task ${t.id} ${t.state}`);
    let list = attempts.get(t.id);
    if (!list) { list = []; attempts.set(t.id, list); }
    list[t.attempt - 1] = t;
    const last = list[list.length - 1];
    graph.setState(t.id, last.state);
    const badge = badges.get(t.id);
    if (badge) setBadge(badge, last.state);
  };
  const waiting = new Waiting(runId);
  const source = new EventSource(`/api/v1/runs/${encodeURIComponent(runId)}/events`);
  source.addEventListener('snapshot', (e) => {
    const data = JSON.parse(e.data);
    attempts.clear();
    data.tasks.forEach(apply);
    runState(data.run);
    gantt.draw(attempts, data.run);
    waiting.schedule(); // the page was rendered a moment before the snapshot
    root.querySelector('.dag-status').textContent = '';
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(data.run.state)) {
      source.close(); // an ended run changes no more
      root.dataset.live = 'ended';
    } else {
      root.dataset.live = 'snapshot';
    }
  });
  source.addEventListener('task', (e) => {
    apply(JSON.parse(e.data));
    gantt.schedule(attempts);
    waiting.schedule();
    root.dataset.live = 'patched';
  });
  source.addEventListener('run', (e) => {
    const run = JSON.parse(e.data);
    runState(run);
    gantt.run = run;
    gantt.schedule(attempts);
    waiting.schedule();
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.state)) {
      source.close();
      root.dataset.live = 'ended';
    }
  });
  source.addEventListener('reset', () => location.reload());
}

// "Why is it waiting": read again from the API (at most once a second) when something changed.
class Waiting {
  constructor(runId) {
    this.runId = runId;
    this.section = document.querySelector('[data-waiting]');
    this.timer = null;
  }

  schedule() {
    if (!this.section || this.timer) return;
    this.timer = setTimeout(() => { this.timer = null; this.load(); }, 1000);
  }

  async load() {
    const r = await fetch(`/api/v1/runs/${encodeURIComponent(this.runId)}/waiting`, { credentials: 'same-origin' });
    if (!r.ok) return;
    const w = await r.json();
    const items = [];
    const item = (who, href, reason) => {
      const li = document.createElement('li');
      if (href) {
        const a = document.createElement('a');
        a.href = href;
        a.textContent = who;
        li.append(a);
      } else {
        const b = document.createElement('strong');
        b.textContent = who;
        li.append(b);
      }
      li.append(`: ${reason.text}`);
      if (reason.until) {
        const t = document.createElement('time');
        t.setAttribute('datetime', reason.until);
        li.append(reason.kind === 'sensor' ? ' at ' : ' until ', t);
      }
      items.push(li);
    };
    w.run.forEach((reason) => item('run', null, reason));
    for (const [task, reasons] of Object.entries(w.tasks)) {
      reasons.forEach((reason) => item(task, `#task-${task}`, reason));
    }
    this.section.querySelector('[data-waiting-list]').replaceChildren(...items);
    this.section.hidden = items.length === 0;
    applyZone(this.section);
  }
}

function setBadge(el, state) {
  el.className = `state state-${state.toLowerCase()}`;
  el.textContent = state.toLowerCase().replace('_', ' ');
}

function runState(run) {
  const badge = document.querySelector('[data-run-state]');
  if (badge && run) setBadge(badge, run.state);
}

// Every attempt of every task on one time axis: queued, waiting to retry, running.
class Gantt {
  constructor(container) {
    this.container = container;
    this.run = null;
    this.timer = null;
  }

  schedule(attempts) {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = null; this.draw(attempts, this.run); }, 200);
  }

  draw(attempts, run) {
    if (!this.container) return;
    this.run = run ?? this.run;
    const rows = [...attempts.entries()];
    const times = [];
    for (const [, list] of rows) {
      for (const a of list) {
        if (!a) continue;
        for (const t of [a.queuedAt, a.startedAt, a.endedAt, a.retryAt]) if (t) times.push(Date.parse(t));
      }
    }
    if (times.length === 0) { this.container.textContent = 'No attempt has started yet.'; return; }
    const now = Date.now();
    const ended = this.run && this.run.endedAt ? Date.parse(this.run.endedAt) : now;
    const t0 = Math.min(...times), t1 = Math.max(ended, ...times);
    const span = Math.max(1, t1 - t0);
    const width = 800, row = 18, label = 160;
    const x = (t) => label + ((t - t0) / span) * (width - label - 10);
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'gantt');
    svg.setAttribute('viewBox', `0 0 ${width} ${rows.length * row + 24}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Gantt chart of every attempt');
    // a row per task, at most GANTT_ROWS: those that did not succeed first, in flow order
    let shown = rows;
    if (rows.length > GANTT_ROWS) {
      const bad = rows.filter(([, list]) => list[list.length - 1]?.state !== 'SUCCEEDED');
      const keep = new Set(bad.slice(0, GANTT_ROWS).map(([id]) => id));
      for (const [id] of rows) { if (keep.size < GANTT_ROWS) keep.add(id); }
      shown = rows.filter(([id]) => keep.has(id));
    }
    svg.setAttribute('viewBox', `0 0 ${width} ${shown.length * row + 24}`);
    shown.forEach(([id, list], i) => {
      const y = i * row + 4;
      const name = document.createElementNS(SVG, 'text');
      name.setAttribute('x', 0);
      name.setAttribute('y', y + 11);
      name.textContent = id;
      svg.append(name);
      let previousEnd = null;
      for (const a of list) {
        if (!a) continue;
        const bar = (from, to, cls, what) => {
          if (from == null) return;
          const r = document.createElementNS(SVG, 'rect');
          r.setAttribute('x', x(from));
          r.setAttribute('y', y);
          r.setAttribute('width', Math.max(1, x(to) - x(from)));
          r.setAttribute('height', row - 6);
          r.setAttribute('class', cls);
          const tip = document.createElementNS(SVG, 'title');
          tip.textContent = `${id} attempt ${a.attempt}: ${what}, ${Math.round((to - from) / 100) / 10} s`;
          r.append(tip);
          svg.append(r);
        };
        const queued = a.queuedAt ? Date.parse(a.queuedAt) : null;
        const started = a.startedAt ? Date.parse(a.startedAt) : null;
        const end = a.endedAt ? Date.parse(a.endedAt) : (started ? now : null);
        if (previousEnd != null && queued != null) bar(previousEnd, queued, 'seg retry', 'waiting to retry');
        if (queued != null) bar(queued, started ?? now, 'seg queued', 'queued');
        if (started != null) bar(started, end, `seg run state-${a.state.toLowerCase()}`, a.state.toLowerCase());
        previousEnd = a.endedAt ? Date.parse(a.endedAt) : null;
      }
    });
    const note = document.createElement('p');
    note.className = 'muted small';
    note.textContent = shown.length < rows.length
      ? `${rows.length} tasks; the ${shown.length} rows shown put those that did not succeed first.` : '';
    this.container.replaceChildren(svg, note);
    applyZone(this.container);
  }
}
