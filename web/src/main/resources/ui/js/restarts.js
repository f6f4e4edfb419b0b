// Restarts and stops, from GET /api/v1/restarts (the restart analysis worked out from history):
// the restarts page, and the table the sandbox page shows for one sandbox.
import { getJson } from './api.js';
import { h, status } from './dom.js';
import { bytes, duration, pct, time } from './format.js';

const first = (o, ...keys) => keys.map(k => o?.[k]).find(v => v != null);
const ms = v => (v == null ? null : typeof v === 'number' ? (v < 1e11 ? v * 1000 : v) : Date.parse(v));

/** One event as the table shows it, from the API's event object. */
export function normalize(e) {
  return {
    sandbox: first(e, 'sandbox', 'sandbox_name', 'name'),
    kind: first(e, 'kind', 'type', 'event') || (first(e, 'new_run_id') == null ? 'stop' : 'restart'),
    at: ms(first(e, 'old_last_sample', 'last_sample', 'old_run_last_sample', 'time', 'timestamp')),
    back: ms(first(e, 'new_first_sample', 'first_sample', 'new_run_first_sample')),
    oldRun: first(e, 'old_run_id', 'run_id'),
    newRun: first(e, 'new_run_id'),
    uptime: first(e, 'uptime_seconds', 'old_uptime_seconds', 'uptime'),
    gap: first(e, 'gap_seconds', 'gap'),
    memLast: first(e, 'memory_last_bytes', 'last_memory_bytes', 'memory_bytes'),
    memPeak: first(e, 'memory_peak_bytes', 'peak_memory_bytes'),
    limit: first(e, 'memory_limit_bytes', 'limit_bytes'),
    cpu: first(e, 'cpu_percent_last', 'last_cpu_percent', 'cpu_percent'),
    near: first(e, 'memory_near_limit') === true,
  };
}

function eventsOf(data) {
  if (Array.isArray(data)) return data;
  return [...(data?.restarts || data?.events || []), ...(data?.stops || data?.stopped || [])];
}

/** Fills `box` with the restart table for `params` ({since, sandbox}). */
export async function restartsTable(box, params, signal) {
  box.replaceChildren(h('p', { class: 'muted' }, 'Loading restarts…'));
  let events;
  try {
    events = eventsOf(await getJson('/api/v1/restarts', params, signal)).map(normalize).sort((a, b) => b.at - a.at);
  } catch (e) {
    if (e.name === 'AbortError') return null;
    box.replaceChildren(e.status === 404 && e.type !== 'not_found_sandbox'
      ? h('div', { class: 'notice' }, 'This server has no restart analysis (GET /api/v1/restarts answered 404). Restarts are still marked on the charts.')
      : h('div', { class: 'notice error' }, 'Restarts: ' + e.message));
    return null;
  }
  if (events.length === 0) {
    box.replaceChildren(h('p', { class: 'muted' }, `No restarts or stops since ${params.since} ago.`));
    return events;
  }
  const head = ['When', 'Sandbox', 'Event', 'Runs', 'Uptime reached', 'Down for', 'Memory at end', 'Peak / limit', 'Last CPU'];
  const rows = events.map(e => h('tr', { class: e.kind },
    h('td', null, e.at ? time(e.at) : '–'),
    h('td', { class: 'col-name' }, h('a', { href: '#/sandbox/' + encodeURIComponent(e.sandbox) }, e.sandbox)),
    h('td', null, e.kind),
    h('td', { class: 'mono' }, e.newRun != null ? `${e.oldRun} → ${e.newRun}` : String(e.oldRun ?? '–')),
    h('td', { class: 'num' }, duration(e.uptime)),
    h('td', { class: 'num' }, e.gap == null ? '–' : duration(e.gap)),
    h('td', { class: 'num' }, bytes(e.memLast)),
    h('td', { class: 'num' + (e.near ? ' near' : '') }, e.limit ? `${bytes(e.memPeak)} / ${bytes(e.limit)} (${pct((e.memPeak / e.limit) * 100)})` : bytes(e.memPeak),
      e.near ? h('span', { title: 'Memory was at or above 90% of the limit in the final minute: a hint, not a diagnosis' }, ' ⚠ near limit') : null),
    h('td', { class: 'num' }, pct(e.cpu))));
  box.replaceChildren(h('div', { class: 'panel' }, h('table', { class: 'grid restarts', 'aria-label': 'Restarts' },
    h('thead', null, h('tr', null, head.map(t => h('th', { scope: 'col' }, t)))), h('tbody', null, rows))),
    h('p', { class: 'skip-note' }, '“near limit”: memory at or above 90% of the limit in the run’s final minute; a hint worth checking, not a diagnosis.'));
  return events;
}

export function mount(main, params) {
  const since = params.get('since') || '24h';
  const box = h('div');
  const choices = ['1h', '24h', '7d', '30d'].map(s => h('a', { class: 'btn', href: '#/restarts?since=' + s, 'aria-current': s === since ? 'true' : null }, s));
  main.append(
    h('div', { class: 'pagehead' }, h('h1', null, 'Restarts and stops'), h('span', { class: 'summary' }, `since ${since} ago`)),
    h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, 'Since'), choices),
    box);
  const ctl = new AbortController();
  restartsTable(box, { since }, ctl.signal).then(ev => ev && status(`${ev.length} events since ${since} ago`));
  return () => ctl.abort();
}
