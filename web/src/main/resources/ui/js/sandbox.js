// One sandbox: its latest values, charts of CPU, memory against its limit, disk and network over a
// chosen range with the restart analysis' restarts and stops marked, and the table of them.
// Every chart links to the PromQL behind it.
import { align, byLabel, query, queryRange } from './api.js';
import { makeChart } from './chart.js';
import { h, promStr, setText, status } from './dom.js';
import { bytes, duration, pct, rate, time } from './format.js';
import { rangePicker, resolve } from './range.js';
import { restartsTable } from './restarts.js';
import { serverNow } from './fleet.js';

/** The charts: each a title, a value format and its series as PromQL over a window `w`. */
function chartSpecs(sel) {
  const m = name => `${name}{${sel}}`;
  return [
    { title: 'CPU', fmt: v => pct(v), series: [
      { label: 'CPU %', color: '--c1', fill: true, q: w => `max(avg_over_time(${m('microsandbox_cpu_utilization_ratio')}[${w}])) * 100` }] },
    { title: 'Memory', fmt: bytes, binary: true, series: [
      { label: 'used', color: '--c3', fill: true, q: w => `max(max_over_time(${m('microsandbox_memory_usage_bytes')}[${w}]))` },
      { label: 'limit', color: '--c2', dash: [6, 4], q: w => `max(max_over_time(${m('microsandbox_memory_limit_bytes')}[${w}]))` }] },
    { title: 'Disk', fmt: rate, binary: true, series: [
      { label: 'read', color: '--c1', q: w => `sum(rate(${m('microsandbox_disk_bytes_read')}[${w}]))` },
      { label: 'write', color: '--c4', q: w => `sum(rate(${m('microsandbox_disk_bytes_written')}[${w}]))` }] },
    { title: 'Network', fmt: rate, binary: true, series: [
      { label: 'in', color: '--c3', q: w => `sum(rate(${m('microsandbox_network_bytes_received')}[${w}]))` },
      { label: 'out', color: '--c2', q: w => `sum(rate(${m('microsandbox_network_bytes_sent')}[${w}]))` }] },
  ];
}

/** Markers for the restart analysis' events inside [start, end] (seconds). */
function markersOf(events, start, end) {
  return (events || []).map(e => ({ t: e.at / 1000, label: e.kind === 'restart' ? 'restart' : 'stopped' }))
    .filter(m => m.t >= start && m.t <= end);
}

/** Runs of missing points between a series' first and last point: the gaps a chart shows. */
function countGaps(col) {
  let gaps = 0;
  let seen = false;
  let inGap = false;
  for (const v of col) {
    if (v == null) inGap = seen;
    else {
      if (inGap) gaps++;
      seen = true;
      inGap = false;
    }
  }
  return gaps;
}

export function mount(main, name, params) {
  const sel = `sandbox_name=${promStr(name)}`;
  const state = { range: params.get('range') || '1h', live: params.get('live') !== '0' };
  const badge = h('span', { class: 'state' }, '…');
  const cards = h('div', { class: 'cards', 'aria-label': 'Latest values' });
  const grid = h('div', { class: 'charts' });
  const restartsBox = h('div');
  main.append(
    h('div', { class: 'pagehead' }, h('h1', null, name), badge, h('a', { href: '#/' }, '← all sandboxes')),
    cards,
    rangePicker(state, () => load()),
    grid,
    h('h2', null, 'Restarts'),
    restartsBox,
  );

  const specs = chartSpecs(sel);
  const charts = specs.map(spec => {
    const link = h('a', { href: '#' }, 'PromQL ↗');
    const box = h('section', { class: 'chart', 'aria-label': spec.title + ' chart' },
      h('div', { class: 'head' }, h('h3', null, spec.title), link));
    grid.append(box);
    return { spec, box, link, chart: makeChart(box, { series: spec.series, fmt: spec.fmt, binary: spec.binary }) };
  });

  const ctl = new AbortController();
  let timer = null;
  let gone = false;
  let events = null; // the restart analysis' events for this sandbox (a promise), refreshed every 30 s
  let eventsAt = 0;

  /** The latest figures: the last sample in the range (a stopped sandbox keeps its last ones). */
  async function latest(range) {
    const last = m => `max(last_over_time(${m}{${sel}}[${range}]))`;
    const perSecond = m => `sum(rate(${m}{${sel}}[30s]))`;
    const exprs = [last('microsandbox_cpu_utilization_ratio'), last('microsandbox_memory_usage_bytes'),
      last('microsandbox_memory_limit_bytes'), last('microsandbox_uptime_seconds'), last('microsandbox_sandbox_start_time_seconds'),
      perSecond('microsandbox_disk_bytes_read'), perSecond('microsandbox_disk_bytes_written'),
      perSecond('microsandbox_network_bytes_received'), perSecond('microsandbox_network_bytes_sent')];
    const answers = await Promise.all(exprs.map(e => query(e, null, ctl.signal)));
    const now = serverNow(answers);
    const v = answers.map(d => byLabel(d).values().next().value);
    const [cpu, mem, limit, up, started, dr, dw, rx, tx] = v;
    const seen = started == null || up == null ? null : started + up;
    const stopped = seen == null || now - seen > 5;
    badge.className = 'state' + (stopped ? ' stopped' : '');
    setText(badge, seen == null ? 'no samples in this range' : stopped ? `stopped ${duration(now - seen)} ago` : 'running');
    const card = (k, val, sub) => h('div', { class: 'card' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, val, sub ? h('small', null, ' ' + sub) : null));
    cards.replaceChildren(
      card('CPU', pct(cpu == null ? null : cpu * 100)),
      card('Memory', bytes(mem), limit ? `of ${bytes(limit)} (${pct((mem / limit) * 100)})` : ''),
      card('Disk read / write', rate(dr), '/ ' + rate(dw)),
      card('Network in / out', rate(rx), '/ ' + rate(tx)),
      card('Uptime', duration(up)),
      card('Last sample', seen == null ? '–' : time(seen * 1000).slice(11)),
    );
  }

  async function load() {
    clearTimeout(timer);
    const { start, end, step, n } = resolve(state);
    const w = Math.max(step, 5) + 's';
    const times = Array.from({ length: n }, (_, i) => start + i * step);
    try {
      if (Date.now() - eventsAt > 30_000) {
        eventsAt = Date.now();
        events = restartsTable(restartsBox, { sandbox: name, since: '30d' }, ctl.signal);
      }
      const markers = markersOf(await events, start, end);
      await Promise.all(charts.map(async c => {
        const exprs = c.spec.series.map(s => s.q(w));
        const answers = await Promise.all(exprs.map(e => queryRange(e, start, end, step, ctl.signal)));
        const cols = align(answers.map(a => a.result[0]), start, step, n);
        c.chart.setData(times, cols, markers);
        c.link.href = '#/promql?' + new URLSearchParams({ expr: exprs[0], range: state.range === 'custom' ? '1h' : state.range });
        c.box.dataset.gaps = String(Math.max(...cols.map(countGaps)));
      }));
      grid.dataset.drawn = String(charts.length);
      await latest(Math.max(60, Math.round(end - start)) + 's');
      status(`${name}: ${n} steps of ${duration(step)} · updated ${new Date().toLocaleTimeString()}`);
    } catch (e) {
      if (e.name === 'AbortError') return;
      status(e.message, true);
    }
    if (!gone && state.live && state.range !== 'custom') timer = setTimeout(load, Math.max(2000, step * 1000));
  }

  load();
  return () => {
    gone = true;
    ctl.abort();
    clearTimeout(timer);
    for (const c of charts) c.chart.destroy();
  };
}
