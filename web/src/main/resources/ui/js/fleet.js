// The fleet page: every sandbox seen in the last fifteen minutes (GET /api/v1/sandboxes, the
// sandbox views' fleet-wide latest), refreshed every second; rates are worked out here from the
// counters of successive answers, restarts in 24 h from GET /api/v1/restarts once a minute.
import { getJson, getText, query } from './api.js';
import { h, setText, status } from './dom.js';
import { FleetTable } from './fleet-table.js';
import { bytes } from './format.js';

const RATE_WINDOW_MS = 10_000; // rates over the last 10 s of answers: live, yet not one-second noise
const COUNTERS = { dr: 'disk_read_bytes', dw: 'disk_write_bytes', rx: 'net_rx_bytes', tx: 'net_tx_bytes' };
/** The same counters as the store names them, for the rates the page starts from. */
const STORED = { dr: 'microsandbox_disk_bytes_read', dw: 'microsandbox_disk_bytes_written', rx: 'microsandbox_network_bytes_received', tx: 'microsandbox_network_bytes_sent' };

/**
 * One instant query for the whole fleet's counter rates over the last minute, by sandbox: what the
 * page shows until it has two answers of its own for a sandbox (its first second), so the first
 * paint has figures, not dashes.
 */
export function primeQuery() {
  return Object.entries(STORED)
    .map(([k, m]) => `label_replace(max by (sandbox_name) (rate(${m}[1m])), "rate_of", "${k}", "", "")`)
    .join(' or ');
}

/** primeQuery's answer as a Map from sandbox name to its rates ({dr, dw, rx, tx}, those it has). */
export function primedRates(data) {
  const m = new Map();
  for (const r of data?.result || []) {
    const name = r.metric.sandbox_name;
    const k = r.metric.rate_of;
    const v = Number(r.value[1]);
    if (!name || !k || !Number.isFinite(v)) continue;
    if (!m.has(name)) m.set(name, {});
    m.get(name)[k] = v;
  }
  return m;
}

/**
 * Per-second rates of a sandbox's counters from the points it had in the last RATE_WINDOW_MS.
 * A new run starts the window again: its counters began from zero.
 */
export class RateWindow {
  constructor() {
    this.points = [];
    this.primed = null;
  }

  /** Rates from the store, answered by rate() until this window has two points of its own (not after a new run). */
  prime(rates) {
    this.primed = rates || null;
  }

  add(p) {
    const t = Date.parse(p.timestamp);
    const last = this.points[this.points.length - 1];
    if (last && last.run !== p.run_id) {
      this.points = [];
      this.primed = null;
    }
    if (last && last.t === t) return;
    this.points.push({ t, run: p.run_id, v: Object.fromEntries(Object.entries(COUNTERS).map(([k, f]) => [k, p[f]])) });
    while (this.points.length > 2 && t - this.points[0].t > RATE_WINDOW_MS) this.points.shift();
  }

  rate(key) {
    const a = this.points[0], b = this.points[this.points.length - 1];
    if (!a || a === b) return this.primed?.[key] ?? null;
    if (a.v[key] == null || b.v[key] == null) return null;
    return Math.max(0, (b.v[key] - a.v[key]) / ((b.t - a.t) / 1000));
  }
}

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
  const toolbar = h('div', { class: 'toolbar' }, filter, h('span', { class: 'muted' }, 'Click a column to sort; live every second.'));
  const empty = h('div', { hidden: true });
  main.append(
    h('div', { class: 'pagehead' }, h('h1', null, 'Fleet'), summary),
    toolbar,
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
  const windows = new Map();
  let primed = undefined; // the store's rates, for the sandboxes of the first answer only
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
    setText(summary, `${running.length} running · ${last.length - running.length} stopped · ${(cpu / 100).toFixed(1)} CPUs busy · memory ${bytes(mem)} of ${bytes(limit)}`
      + (shown !== last.length ? ` · ${shown} shown` : ''));
  }

  async function countRestarts() {
    const events = await getJson('/api/v1/restarts', { since: '24h' }, ctl.signal);
    const m = new Map();
    for (const e of events) if (e.event === 'restart') m.set(e.sandbox_name, (m.get(e.sandbox_name) || 0) + 1);
    restarts = m;
  }

  async function tick() {
    const t0 = performance.now();
    try {
      const fleet = await getJson('/api/v1/sandboxes', null, ctl.signal);
      if (primed === undefined) {
        primed = fleet.length ? await query(primeQuery(), null, ctl.signal).then(primedRates, e => {
          if (e.name === 'AbortError') throw e;
          return new Map(); // no figures to start from: the page's own, a second later
        }) : new Map();
      }
      if (Date.now() - restartsAt > 60_000) {
        restartsAt = Date.now();
        await countRestarts();
      }
      // the newest sample the server has stands for "now", so a skewed browser clock does not matter
      const now = Math.max(...fleet.map(s => Date.parse(s.last_seen)), 0) || Date.now();
      const t1 = performance.now();
      const names = new Set(fleet.map(s => s.name));
      for (const name of windows.keys()) if (!names.has(name)) windows.delete(name);
      last = fleet.map(s => {
        const p = s.latest || {};
        let w = windows.get(s.name);
        if (!w) {
          windows.set(s.name, (w = new RateWindow()));
          if (primed) w.prime(primed.get(s.name));
        }
        w.add(p);
        const gone = s.state !== 'running';
        return {
          name: s.name, cpu: p.cpu_percent, mem: p.memory_bytes, limit: p.memory_limit_bytes,
          dr: gone ? null : w.rate('dr'), dw: gone ? null : w.rate('dw'), rx: gone ? null : w.rate('rx'), tx: gone ? null : w.rate('tx'),
          up: p.uptime_seconds, restarts: restarts.get(s.name) || 0,
          stopped: gone, since: (now - Date.parse(s.last_seen)) / 1000,
        };
      });
      primed = null;
      table.update(last);
      showSummary();
      table.el.dataset.applyMs = (performance.now() - t1).toFixed(2);
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
    toolbar.hidden = isEmpty;
    summary.hidden = isEmpty;
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
    table.destroy();
  };
}
