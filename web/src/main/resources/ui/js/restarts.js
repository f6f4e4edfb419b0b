// Restarts and stops, from GET /api/v1/restarts (the restart analysis worked out from history):
// the restarts page, and the table the sandbox page shows for one sandbox.
import { align, getJson, queryRange } from './api.js';
import { makeChart } from './chart.js';
import { resolve } from './range.js';
import { h, status } from './dom.js';

// sandboxes with a sample in each step: stale series (stopped sandboxes) drop out at once
const RUNNING = 'count(microsandbox_uptime_seconds)';
import { bytes, duration, pct, time } from './format.js';

/** One event of GET /api/v1/restarts as the table shows it. */
export function normalize(e) {
  return {
    sandbox: e.sandbox_name,
    kind: e.event,
    at: Date.parse(e.timestamp),
    oldRun: e.old_run_id,
    newRun: e.new_run_id,
    uptime: e.uptime_seconds,
    gap: e.gap_seconds,
    memLast: e.memory_last_bytes,
    memPeak: e.memory_peak_bytes,
    limit: e.memory_limit_bytes,
    cpu: e.cpu_last_percent,
    near: e.memory_near_limit === true,
  };
}

/** Fills `box` with the restart table for `params` ({since, sandbox}). */
export async function restartsTable(box, params, signal) {
  box.replaceChildren(h('p', { class: 'muted' }, 'Loading restarts…'));
  let events;
  try {
    events = (await getJson('/api/v1/restarts', params, signal)).map(normalize).sort((a, b) => b.at - a.at);
  } catch (e) {
    if (e.name === 'AbortError') return null;
    box.replaceChildren(h('div', { class: 'notice error' }, 'Restarts: ' + e.message));
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

const SINCE = { '1h': 3600, '24h': 86400, '7d': 604800, '30d': 2592000 };

export function mount(main, params) {
  const since = SINCE[params.get('since')] ? params.get('since') : '24h';
  const box = h('div');
  const chartBox = h('section', { class: 'chart', 'aria-label': 'Running sandboxes chart' },
    h('div', { class: 'head' }, h('h3', null, 'Running sandboxes, with restarts and stops'),
      h('a', { href: '#/promql?' + new URLSearchParams({ expr: RUNNING, range: since }) }, 'PromQL ↗')));
  const choices = Object.keys(SINCE).map(s => h('a', { class: 'btn', href: '#/restarts?since=' + s, 'aria-pressed': String(s === since) }, s));
  main.append(
    h('div', { class: 'pagehead' }, h('h1', null, 'Restarts and stops'), h('span', { class: 'summary' }, `in the last ${since}`)),
    h('div', { class: 'toolbar' }, h('span', { class: 'seg' }, choices)),
    chartBox,
    h('h2', null, 'Events'),
    box);
  const ctl = new AbortController();
  const chart = makeChart(chartBox, { fmt: v => String(Math.round(v)), series: [{ label: 'running', color: '--c1', fill: true }] });
  const { start, end, step, n } = resolve({ range: since });
  Promise.all([restartsTable(box, { since }, ctl.signal), queryRange(RUNNING, start, end, step, ctl.signal)])
    .then(([events, running]) => {
      const times = Array.from({ length: n }, (_, i) => start + i * step);
      const markers = (events || []).map(e => ({ t: e.at / 1000, label: e.kind === 'restart' ? `restart ${e.sandbox}` : `stop ${e.sandbox}` }));
      chart.setData(times, align([running.result[0]], start, step, n), markers);
      if (events) status(`${events.length} events in the last ${since}`);
    })
    .catch(e => e.name !== 'AbortError' && status(e.message, true));
  return () => {
    ctl.abort();
    chart.destroy();
  };
}
