// The runs list's bulk actions: cancel or retry the selected runs in one request to the REST API
// (POST /api/v1/runs/cancel or /retry), then say what happened to each.
import { apiPost } from './app.js';

const boxes = () => [...document.querySelectorAll('[data-run-id]')];

document.querySelector('[data-select-all]')?.addEventListener('change', (e) => {
  for (const box of boxes()) box.checked = e.target.checked;
});

for (const button of document.querySelectorAll('[data-bulk]')) {
  button.addEventListener('click', async () => {
    const ids = boxes().filter((b) => b.checked).map((b) => b.dataset.runId);
    const status = button.parentElement.querySelector('.action-result');
    if (ids.length === 0) {
      status.textContent = 'Select runs first.';
      return;
    }
    if (!confirm(`${button.dataset.confirm} (${ids.length})`)) return;
    try {
      const answer = await apiPost(`/api/v1/runs/${button.dataset.bulk}`, { ids });
      const results = answer.results ?? [];
      const failed = results.filter((r) => !r.ok);
      status.textContent = failed.length === 0
        ? `Done for ${results.length} runs.`
        : `Done for ${results.length - failed.length}; not for ${failed.map((r) => `${r.id} (${r.error ?? 'refused'})`).join(', ')}.`;
      if (failed.length === 0) setTimeout(() => location.reload(), 600);
    } catch (e) {
      status.textContent = e.message;
      status.classList.add('error-text');
    }
  });
}
