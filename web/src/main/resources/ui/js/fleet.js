// The fleet page: every sandbox seen in the last fifteen minutes, refreshed every second from PromQL
// instant queries (the same numbers anyone can ask for on the PromQL page).
import { byLabel, getText, query } from './api.js';
import { h, setText, status } from './dom.js';
import { FleetTable } from './fleet-table.js';
import { bytes, pct } from './format.js';

const WINDOW = '30s'; // rates over 30 s: smooth at a 1 s collect interval and still live at 15 s
const KEEP = '15m'; // a stopped sandbox stays in the table this long after its last sample
const rateOf = m => `sum by (sandbox_name)(rate(${m}[${WINDOW}]))`;
// A stopped sandbox's series end with a staleness marker, so instant selectors drop it at once;
// last_over_time skips the marker and keeps its last figures for KEEP.
const lastOf = m => `max by (sandbox_name)(last_over_time(${m}[${KEEP}]))`;
export const FLEET_QUERIES = {
  cpu: 'max by (sandbox_name)(microsandbox_cpu_utilization_ratio) * 100',
  mem: lastOf('microsandbox_memory_usage_bytes'),
  limit: lastOf('microsandbox_memory_limit_bytes'),
  dr: rateOf('microsandbox_disk_bytes_read'),
  dw: rateOf('microsandbox_disk_bytes_written'),
  rx: rateOf('microsandbox_network_bytes_received'),
  tx: rateOf('microsandbox_network_bytes_sent'),
  up: lastOf('microsandbox_uptime_seconds'),
  // start + uptime is the time of the last sample, which the collector writes with both
  started: lastOf('microsandbox_sandbox_start_time_seconds'),
};
// Restarts in 24 h: start-time changes within a series, plus extra series when runs are labelled
// (--series-run-labels gives each run its own series). Costlier, so asked once a minute.
const RESTARTS = 'sum by (sandbox_name)(changes(microsandbox_sandbox_start_time_seconds[24h]))'
  + ' + count by (sandbox_name)(last_over_time(microsandbox_sandbox_start_time_seconds[24h])) - 1';
const STOPPED_AFTER = 5; // seconds without a sample: the collector has stopped seeing the sandbox

/** The evaluation time the server used, from any sample in its answers. */
export function serverNow(answers) {
  for (const a of answers) if (a.result.length) return a.result[0].value[0];
  return Date.now() / 1000;
}

export function mount(main) {
  const table = new FleetTable();
  const filter = h('input', { type: 'search', placeholder: 'Filter by name  ( / )', 'aria-label': 'Filter sandboxes by name' });
  filter.addEventListener('input', () => {
    table.setFilter(filter.value);
    showSummary();
  });
  const summary = h('span', { class: 'summary' });
  const empty = h('div', { hidden: true });
  main.append(
    h('div', { class: 'pagehead' }, h('h1', null, 'Fleet'), summary),
    h('div', { class: 'toolbar' }, filter, h('span', { class: 'muted' }, 'Click a column to sort; live every second.')),
    empty,
    h('div', { class: 'panel' }, table.el),
  );

  const onKey = e => {
    if (e.key === '/' && document.activeElement !== filter && !/input|textarea/i.test(document.activeElement?.tagName)) {
      e.preventDefault();
      filter.focus();
    }
  };
  document.addEventListener('keydown', onKey);

  let restarts = new Map();
  let restartsAt = 0;
  let timer = null;
  let stopped = false;
  let last = [];
  const ctl = new AbortController();

  function showSummary() {
    const running = last.filter(s => !s.stopped);
    const mem = running.reduce((a, s) => a + (s.mem || 0), 0);
    const limit = running.reduce((a, s) => a + (s.limit || 0), 0);
    const cpu = running.reduce((a, s) => a + (s.cpu || 0), 0);
    const shown = table.visibleCount();
    setText(summary, `${running.length} running · ${last.length - running.length} stopped · CPU ${pct(cpu)} · memory ${bytes(mem)} of ${bytes(limit)}`
      + (shown !== last.length ? ` · ${shown} shown` : ''));
  }

  async function tick() {
    const t0 = performance.now();
    try {
      const keys = Object.keys(FLEET_QUERIES);
      // no time parameter: the server's clock decides what "now" and "stopped" mean
      const answers = await Promise.all(keys.map(k => query(FLEET_QUERIES[k], null, ctl.signal)));
      const now = serverNow(answers);
      if (Date.now() - restartsAt > 60_000) {
        restarts = byLabel(await query(RESTARTS, null, ctl.signal));
        restartsAt = Date.now();
      }
      const cols = Object.fromEntries(keys.map((k, i) => [k, byLabel(answers[i])]));
      last = [...cols.started.keys()].filter(n => n != null && cols.up.has(n)).map(name => {
        const seen = cols.started.get(name) + cols.up.get(name);
        return {
          name, cpu: cols.cpu.get(name), mem: cols.mem.get(name), limit: cols.limit.get(name),
          dr: cols.dr.get(name), dw: cols.dw.get(name), rx: cols.rx.get(name), tx: cols.tx.get(name),
          up: cols.up.get(name), restarts: restarts.has(name) ? Math.max(0, restarts.get(name)) : null,
          stopped: now - seen > STOPPED_AFTER, since: now - seen,
        };
      });
      table.update(last);
      showSummary();
      await showEmpty(last.length === 0);
      status(`updated ${new Date().toLocaleTimeString()} · ${Math.round(performance.now() - t0)} ms`);
    } catch (e) {
      if (e.name === 'AbortError') return;
      status(e.message, true);
    }
    if (!stopped) timer = setTimeout(tick, 1000);
  }

  async function showEmpty(isEmpty) {
    empty.hidden = !isEmpty;
    table.el.parentElement.hidden = isEmpty;
    if (!isEmpty || empty.dataset.shown) return;
    empty.dataset.shown = '1';
    const metrics = await getText('/metrics', ctl.signal);
    const missing = /sandglass_ingest_failures_total\{reason="not_found"\} [1-9]/.test(metrics || '');
    empty.replaceChildren(missing
      ? h('div', { class: 'notice' }, h('h2', null, 'No microsandbox registry found'),
        h('p', null, 'Sandglass reads the registry that microsandbox publishes for its home (~/.microsandbox, or $MSB_HOME). '
          + 'Is microsandbox running for that home? Pass --msb-home or set MSB_HOME to read another; the server log names the path it tried.'),
        h('p', null, 'To see Sandglass with a simulated fleet: ', h('code', null, './sandglass serve --demo')))
      : h('div', { class: 'notice' }, h('h2', null, 'No sandboxes in the last fifteen minutes'),
        h('p', null, 'Sandglass is reading the registry; a sandbox appears here within a second of starting. '
          + 'Older history stays queryable on the PromQL page.')));
  }

  tick();
  return () => {
    stopped = true;
    ctl.abort();
    clearTimeout(timer);
    document.removeEventListener('keydown', onKey);
  };
}
