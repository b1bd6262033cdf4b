// Following a run's log live: new lines arrive over server-sent events from the last line shown
// and are appended; the page scrolls along while it is at the bottom.
import { applyZone } from './app.js';

const button = document.querySelector('[data-follow]');
const list = document.querySelector('[data-log]');
let source = null;

function line(l) {
  const li = document.createElement('li');
  li.id = `L${l.id}`;
  li.className = `level-${l.level.toLowerCase()}`;
  const a = document.createElement('a');
  a.className = 'ln';
  a.href = `#L${l.id}`;
  a.textContent = '#';
  const time = document.createElement('time');
  time.setAttribute('datetime', l.time);
  const task = document.createElement('span');
  task.className = 'task';
  task.textContent = `${l.task}#${l.attempt}`;
  const level = document.createElement('span');
  level.className = 'lvl';
  level.textContent = l.level;
  const msg = document.createElement('span');
  msg.className = 'msg';
  msg.textContent = l.message;
  li.append(a, ' ', time, ' ', task, ' ', level, ' ', msg);
  return li;
}

button?.addEventListener('click', () => {
  if (source) {
    source.close();
    source = null;
    button.textContent = 'Follow';
    button.setAttribute('aria-pressed', 'false');
    return;
  }
  const run = encodeURIComponent(button.dataset.follow);
  // the task and attempt the page shows: the live lines are filtered the same way
  const params = new URLSearchParams({ after: button.dataset.after });
  if (button.dataset.followTask) params.set('task', button.dataset.followTask);
  if (Number(button.dataset.followAttempt) > 0) params.set('attempt', button.dataset.followAttempt);
  source = new EventSource(`/api/v1/runs/${run}/logs/follow?${params}`);
  button.textContent = 'Stop following';
  button.setAttribute('aria-pressed', 'true');
  source.addEventListener('log', (e) => {
    const l = JSON.parse(e.data);
    const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
    const li = line(l);
    list.append(li);
    applyZone(li);
    document.querySelector('[data-no-lines]')?.remove();
    button.dataset.after = l.id;
    if (atBottom) li.scrollIntoView({ block: 'end' });
  });
  source.addEventListener('end', () => {
    source.close();
    source = null;
    button.textContent = 'The run has ended';
    button.disabled = true;
  });
});
