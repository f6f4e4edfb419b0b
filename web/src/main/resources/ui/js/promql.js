// The PromQL page: an expression, its graph over a range or its table at the range's end, recent
// expressions kept in this browser, and errors with the position the parser reports.
import { align, query, queryRange } from './api.js';
import { makeChart } from './chart.js';
import { h, status } from './dom.js';
import { num, time } from './format.js';
import { rangePicker, resolve } from './range.js';

const RECENT_KEY = 'sandglass.recentQueries';
const RECENT_MAX = 12;
const MAX_SERIES = 40; // a graph of more lines than this is unreadable; the table shows them all

function recent() {
  try {
    return JSON.parse(localStorage.getItem(RECENT_KEY) || '[]');
  } catch {
    return [];
  }
}

function remember(expr) {
  const list = [expr, ...recent().filter(e => e !== expr)].slice(0, RECENT_MAX);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // storage full or disabled: recent queries are a convenience
  }
}

const labelText = m => {
  const { __name__: name, ...rest } = m;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(', ');
  return (name || '') + (pairs || !name ? `{${pairs}}` : '');
};

/** An error as a person reads it: the message and, for a parse error, the expression with a caret. */
export function errorView(expr, e) {
  const box = h('div', { class: 'notice error', role: 'alert' }, h('strong', null, e.type === 'bad_data' ? 'Bad query' : 'Error'), ': ', e.message);
  const m = /(\d+):(\d+): parse error: (.*)$/.exec(e.message);
  if (m) {
    const line = Number(m[1]), col = Number(m[2]);
    const text = expr.split('\n')[line - 1] ?? '';
    box.append(h('pre', { class: 'caret', 'aria-label': `at line ${line}, column ${col}` },
      text, '\n', ' '.repeat(Math.max(0, col - 1)), h('span', { class: 'at' }, '^ '), m[3]));
  }
  return box;
}

export function mount(main, params) {
  const state = { range: params.get('range') || '1h', live: false, tab: params.get('tab') || 'graph' };
  const input = h('textarea', { rows: '2', spellcheck: 'false', 'aria-label': 'PromQL expression',
    placeholder: 'e.g. sum by (sandbox_name)(rate(microsandbox_network_bytes_received[1m]))' });
  input.value = params.get('expr') || '';
  const run = h('button', { type: 'button', class: 'primary', onclick: () => execute(true) }, 'Run');
  input.addEventListener('keydown', e => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      execute(true);
    }
  });
  const recentBox = h('div', { class: 'recent', 'aria-label': 'Recent expressions' });
  const tabs = ['graph', 'table'].map(t => h('button', { type: 'button', 'data-tab': t, onclick: () => {
    state.tab = t;
    syncTabs();
    execute(false);
  } }, t === 'graph' ? 'Graph' : 'Table'));
  const out = h('div', { class: 'result' });
  const info = h('span', { class: 'muted' });
  main.append(
    h('div', { class: 'pagehead' }, h('h1', null, 'PromQL')),
    h('div', { class: 'expr' }, input, run),
    h('p', { class: 'skip-note' }, 'Enter runs, Shift+Enter adds a line. Same engine and answers as /api/v1/query and /api/v1/query_range.'),
    recentBox,
    h('div', { class: 'toolbar' }, h('span', { class: 'seg', role: 'group', 'aria-label': 'View' }, tabs),
      rangePicker(state, () => execute(false)), h('span', { class: 'spacer' }), info),
    out);

  let chart = null;
  let ctl = null;
  let timer = null;

  function syncTabs() {
    for (const b of tabs) b.setAttribute('aria-pressed', String(b.dataset.tab === state.tab));
  }

  function showRecent() {
    recentBox.replaceChildren(...recent().map(e => h('button', { type: 'button', title: e, onclick: () => {
      input.value = e;
      execute(true);
    } }, e)));
  }

  function clearOut() {
    chart?.destroy();
    chart = null;
    out.replaceChildren();
  }

  async function execute(fromUser) {
    clearTimeout(timer);
    const expr = input.value.trim();
    if (!expr) {
      clearOut();
      out.append(h('p', { class: 'muted' }, 'Type an expression and press Enter.'));
      return;
    }
    history.replaceState(null, '', '#/promql?' + new URLSearchParams({ expr, range: state.range, tab: state.tab }));
    ctl?.abort();
    ctl = new AbortController();
    const { start, end, step, n } = resolve(state);
    const t0 = performance.now();
    try {
      if (state.tab === 'graph') {
        const data = await queryRange(expr, start, end, step, ctl.signal);
        drawGraph(data, start, step, n);
        info.textContent = `${data.result.length} series · step ${step}s · ${Math.round(performance.now() - t0)} ms`;
      } else {
        const data = await query(expr, end, ctl.signal);
        drawTable(data);
        info.textContent = `${Array.isArray(data.result) ? data.result.length : 1} results at ${time(end * 1000)} · ${Math.round(performance.now() - t0)} ms`;
      }
      if (fromUser) {
        remember(expr);
        showRecent();
      }
      status('');
    } catch (e) {
      if (e.name === 'AbortError') return;
      clearOut();
      out.append(errorView(expr, e));
      info.textContent = '';
    }
    if (state.live && state.range !== 'custom') timer = setTimeout(() => execute(false), Math.max(2000, step * 1000));
  }

  function drawGraph(data, start, step, n) {
    clearOut();
    if (data.resultType !== 'matrix' || data.result.length === 0) {
      out.append(h('p', { class: 'muted' }, 'No data in this range.'));
      return;
    }
    const shown = data.result.slice(0, MAX_SERIES);
    const box = h('section', { class: 'chart', 'aria-label': 'Graph' });
    out.append(box);
    if (data.result.length > MAX_SERIES) {
      box.append(h('p', { class: 'skip-note' }, `Showing ${MAX_SERIES} of ${data.result.length} series; the table view lists them all.`));
    }
    const times = Array.from({ length: n }, (_, i) => start + i * step);
    chart = makeChart(box, { height: 320, min0: false, fmt: num,
      series: shown.map(s => ({ label: labelText(s.metric) })) });
    chart.setData(times, align(shown, start, step, n));
  }

  function drawTable(data) {
    clearOut();
    let rows;
    if (data.resultType === 'vector') rows = data.result.map(s => [labelText(s.metric), s.value[1]]);
    else if (data.resultType === 'scalar' || data.resultType === 'string') rows = [['scalar', data.result[1]]];
    else rows = data.result.map(s => [labelText(s.metric), s.values.map(v => v[1] + ' @' + v[0]).join('\n')]);
    if (rows.length === 0) {
      out.append(h('p', { class: 'muted' }, 'Empty result.'));
      return;
    }
    out.append(h('div', { class: 'panel' }, h('table', { class: 'grid', 'aria-label': 'Result' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Series'), h('th', { scope: 'col', class: 'num' }, 'Value'))),
      h('tbody', null, rows.map(([l, v]) => h('tr', null, h('td', { class: 'labels' }, l), h('td', { class: 'num mono' }, v)))))));
  }

  syncTabs();
  showRecent();
  execute(false);
  input.focus();
  return () => {
    ctl?.abort();
    clearTimeout(timer);
    chart?.destroy();
  };
}
