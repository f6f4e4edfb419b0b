// The capacity page over GET /api/v1/capacity (the rollups' capacity report): how many sandboxes
// ran, fleet CPU and memory against limits, the sandboxes closest to their memory limits, and every
// sandbox's figures, with the report's own definitions of each figure.
import { getJson } from './api.js';
import { makeChart } from './chart.js';
import { h, status } from './dom.js';
import { bytes, pct, rate, time } from './format.js';

// Asked in hours: a server whose duration parser reads "30d" as Java's double literal 30.0 (30
// seconds) answers "720h" right all the same.
const RANGES = { '24h': '24h', '7d': '168h', '30d': '720h' };
const cpus = v => (v == null ? '–' : v.toFixed(v < 10 ? 2 : 1) + ' CPU');
const ofLimit = v => (v == null ? '–' : pct(v * 100));

function card(k, v, sub) {
  return h('div', { class: 'card' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v, sub ? h('small', null, sub) : null));
}

/** A ranked list drawn as bars: a sandbox per line, its value against the largest (or 1 for ratios). */
function bars(title, list, fmt, ratio) {
  const max = ratio ? 1 : Math.max(...list.map(x => x.value || 0), 1e-9);
  return h('section', { class: 'chart', 'aria-label': title },
    h('div', { class: 'head' }, h('h3', null, title)),
    list.length === 0 ? h('p', { class: 'empty' }, 'No data in this range.') : h('ol', { class: 'bars' }, list.map(x => {
      const share = Math.min(1, (x.value || 0) / max);
      const level = ratio && x.value >= 0.9 ? 'fill bad' : ratio && x.value >= 0.75 ? 'fill warn' : 'fill';
      const fill = h('div', { class: level });
      fill.style.width = (share * 100).toFixed(1) + '%';
      return h('li', null, h('a', { href: '#/sandbox/' + encodeURIComponent(x.sandbox) }, x.sandbox),
        h('div', { class: 'bar' }, fill), h('span', { class: 'num' }, fmt(x.value)));
    })));
}

function sandboxTable(sandboxes) {
  const rows = [...sandboxes].sort((a, b) => (b.memory.peakOfLimit ?? -1) - (a.memory.peakOfLimit ?? -1));
  const head = ['Sandbox', 'CPU peak', 'CPU p95', 'Memory peak / limit', 'Memory p95 of limit', 'Disk read / write (mean)',
    'Network in / out (mean)', 'Restarts'];
  return h('div', { class: 'panel' }, h('table', { class: 'grid capacity', 'aria-label': 'Sandboxes' },
    h('thead', null, h('tr', null, head.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
    h('tbody', null, rows.map(s => h('tr', null,
      h('td', { class: 'col-name' }, h('a', { href: '#/sandbox/' + encodeURIComponent(s.sandbox) }, s.sandbox)),
      h('td', { class: 'num' }, cpus(s.cpu.peak)),
      h('td', { class: 'num' }, cpus(s.cpu.p95)),
      h('td', { class: 'num' + (s.memory.peakOfLimit >= 0.9 ? ' near' : '') },
        `${bytes(s.memory.peak)} / ${bytes(s.memory.limit)} (${ofLimit(s.memory.peakOfLimit)})`),
      h('td', { class: 'num' }, ofLimit(s.memory.p95OfLimit)),
      h('td', { class: 'num' }, `${rate(s.disk.readMean)} / ${rate(s.disk.writeMean)}`),
      h('td', { class: 'num' }, `${rate(s.network.receiveMean)} / ${rate(s.network.transmitMean)}`),
      h('td', { class: 'num' }, String(s.restarts ?? '–')))))));
}

export function mount(main, params) {
  const range = RANGES[params.get('range')] ? params.get('range') : '30d';
  const summary = h('span', { class: 'summary' });
  const body = h('div', null, h('p', { class: 'muted' }, 'Computing the report…'));
  main.append(
    h('div', { class: 'pagehead' }, h('h1', null, 'Capacity'), summary),
    h('div', { class: 'toolbar' }, h('span', { class: 'seg' },
      Object.keys(RANGES).map(r => h('a', { class: 'btn', href: '#/capacity?range=' + r, 'aria-pressed': String(r === range) }, r)))),
    body);
  const ctl = new AbortController();
  let chart = null;
  getJson('/api/v1/capacity', { range: RANGES[range] }, ctl.signal).then(r => {
    summary.textContent = `${time(r.start * 1000)} – ${time(r.end * 1000)} · ${r.resolution} windows`;
    const f = r.fleet;
    const running = h('section', { class: 'chart', 'aria-label': 'Running sandboxes chart' },
      h('div', { class: 'head' }, h('h3', null, `Running sandboxes per ${r.resolution} window`)));
    body.replaceChildren(
      h('div', { class: 'cards' },
        card('Running sandboxes', String(r.running.peak ?? '–'), `peak · mean ${r.running.mean == null ? '–' : r.running.mean.toFixed(1)}`),
        card('Fleet CPU', cpus(f.cpu.peak), `peak · p95 ${cpus(f.cpu.p95)} · mean ${cpus(f.cpu.mean)}`),
        card('Fleet memory', bytes(f.memory.peak), `peak · ${ofLimit(f.memory.peakOfLimit)} of limits`),
        card('Memory p95 of limits', ofLimit(f.memory.p95OfLimit), `mean ${ofLimit(f.memory.meanOfLimit)}`),
        card('Disk read / write', rate(f.disk.readMean), `mean · / ${rate(f.disk.writeMean)}`),
        card('Network in / out', rate(f.network.receiveMean), `mean · / ${rate(f.network.transmitMean)}`),
        card('Restarts', String(f.restarts ?? '–'))),
      h('div', { class: 'charts' }, running,
        bars('Top sandboxes by peak memory against limit', r.top.memoryOfLimit, ofLimit, true)),
      h('div', { class: 'charts', style: 'margin-top:12px' }, bars('Top sandboxes by peak CPU', r.top.cpu, cpus, false),
        h('section', { class: 'chart' }, h('div', { class: 'head' }, h('h3', null, 'How these figures are made')),
          h('p', { class: 'skip-note' }, r.source),
          h('details', null, h('summary', null, 'Definitions'),
            h('dl', { class: 'defs' }, Object.entries(r.definitions).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))))),
      h('h2', null, `Every sandbox (${r.sandboxes.length})`),
      sandboxTable(r.sandboxes));
    chart = makeChart(running, { fmt: v => String(Math.round(v)), series: [{ label: 'running', color: '--c1', fill: true }] });
    chart.setData(r.running.series.map(p => p[0]), [r.running.series.map(p => p[1])]);
    status(`capacity over ${range}: ${r.sandboxes.length} sandboxes`);
  }).catch(e => {
    if (e.name === 'AbortError') return;
    body.replaceChildren(h('div', { class: 'notice error' }, 'Capacity: ' + e.message));
  });
  return () => {
    ctl.abort();
    chart?.destroy();
  };
}
