// The fleet table: one row per sandbox, created once and then updated in place (text only where it
// changed), re-ordered by moving existing rows, filtered by hiding them: no full re-render, so a
// thousand sandboxes updating every second stay smooth.
import { h, setText } from './dom.js';
import { bytes, duration, pct, rate } from './format.js';

const COLUMNS = [
  { key: 'name', label: 'Sandbox', value: r => r.name, text: null },
  { key: 'state', label: 'State', value: r => (r.stopped ? 1 : 0), text: null },
  { key: 'cpu', label: 'CPU', num: true, value: r => r.cpu, text: r => pct(r.cpu) },
  { key: 'mem', label: 'Memory / limit', value: r => (r.limit ? r.mem / r.limit : r.mem), text: null },
  { key: 'dr', label: 'Disk read', num: true, value: r => r.dr, text: r => rate(r.dr) },
  { key: 'dw', label: 'Disk write', num: true, value: r => r.dw, text: r => rate(r.dw) },
  { key: 'rx', label: 'Net in', num: true, value: r => r.rx, text: r => rate(r.rx) },
  { key: 'tx', label: 'Net out', num: true, value: r => r.tx, text: r => rate(r.tx) },
  { key: 'up', label: 'Uptime', num: true, value: r => r.up, text: r => duration(r.up) },
  { key: 'restarts', label: 'Restarts 24h', num: true, value: r => r.restarts, text: r => (r.restarts == null ? '–' : String(r.restarts)) },
];

export class FleetTable {
  constructor(sort = { key: 'name', dir: 1 }) {
    this.sort = sort;
    this.filter = '';
    this.rows = new Map();
    this.order = [];
    this.heads = COLUMNS.map(c => {
      const th = h('th', { class: c.num ? 'num' : null, scope: 'col' },
        h('button', { type: 'button', onclick: () => this.sortBy(c.key) }, c.label));
      th.dataset.key = c.key;
      return th;
    });
    this.body = h('tbody');
    this.el = h('table', { class: 'grid fleet', 'aria-label': 'Sandboxes' }, h('thead', null, h('tr', null, this.heads)), this.body);
    this.el.dataset.updates = '0';
    this.markSort();
  }

  sortBy(key) {
    this.sort = this.sort.key === key ? { key, dir: -this.sort.dir } : { key, dir: key === 'name' || key === 'state' ? 1 : -1 };
    this.markSort();
    this.reorder();
  }

  markSort() {
    for (const th of this.heads) {
      th.setAttribute('aria-sort', th.dataset.key === this.sort.key ? (this.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    for (const row of this.rows.values()) row.tr.hidden = !row.data.name.toLowerCase().includes(this.filter);
  }

  /** Applies one update: `sandboxes` is every sandbox's latest figures; rows not in it are removed. */
  update(sandboxes) {
    const seen = new Set();
    for (const s of sandboxes) {
      seen.add(s.name);
      let row = this.rows.get(s.name);
      if (!row) {
        row = this.createRow(s);
        this.rows.set(s.name, row);
      }
      row.data = s;
      this.fill(row);
    }
    for (const [name, row] of this.rows) {
      if (!seen.has(name)) {
        row.tr.remove();
        this.rows.delete(name);
      }
    }
    this.reorder();
    this.el.dataset.updates = String(Number(this.el.dataset.updates) + 1);
  }

  createRow(s) {
    const cells = {};
    const tr = h('tr');
    tr.dataset.name = s.name;
    for (const c of COLUMNS) {
      const td = h('td', { class: c.num ? 'num' : 'col-' + c.key });
      cells[c.key] = td;
      tr.append(td);
    }
    cells.name.append(h('a', { href: '#/sandbox/' + encodeURIComponent(s.name) }, s.name));
    cells.stateBadge = h('span', { class: 'state' });
    cells.state.append(cells.stateBadge);
    cells.fill = h('div', { class: 'fill' });
    cells.memText = h('span', { class: 'txt' });
    cells.mem.append(h('div', { class: 'membar' }, h('div', { class: 'bar' }, cells.fill), cells.memText));
    tr.hidden = !s.name.toLowerCase().includes(this.filter);
    return { tr, cells, data: s, stopped: null };
  }

  fill(row) {
    const r = row.data;
    const c = row.cells;
    for (const col of COLUMNS) if (col.text) setText(c[col.key], col.text(r));
    if (row.stopped !== r.stopped) {
      row.stopped = r.stopped;
      row.tr.classList.toggle('stopped', r.stopped);
      c.stateBadge.classList.toggle('stopped', r.stopped);
    }
    setText(c.stateBadge, r.stopped ? `stopped ${duration(r.since)} ago` : 'running');
    const ratio = r.limit ? Math.min(1, r.mem / r.limit) : 0;
    const width = (ratio * 100).toFixed(1) + '%';
    if (c.fill.style.width !== width) c.fill.style.width = width;
    const level = ratio >= 0.9 ? 'fill bad' : ratio >= 0.75 ? 'fill warn' : 'fill';
    if (c.fill.className !== level) c.fill.className = level;
    setText(c.memText, r.limit ? `${bytes(r.mem)} / ${bytes(r.limit)} (${pct(ratio * 100)})` : bytes(r.mem));
  }

  /** Orders rows by the sort column, moving only rows that are out of place. */
  reorder() {
    const col = COLUMNS.find(c => c.key === this.sort.key);
    const dir = this.sort.dir;
    const rows = [...this.rows.values()];
    rows.sort((a, b) => {
      const x = col.value(a.data), y = col.value(b.data);
      const cmp = x == null ? (y == null ? 0 : 1) : y == null ? -1 : typeof x === 'string' ? x.localeCompare(y) * dir : (x - y) * dir;
      return cmp || a.data.name.localeCompare(b.data.name);
    });
    let prev = null;
    for (const row of rows) {
      const want = prev ? prev.nextSibling : this.body.firstChild;
      if (want !== row.tr) this.body.insertBefore(row.tr, want);
      prev = row.tr;
    }
  }

  visibleCount() {
    let n = 0;
    for (const row of this.rows.values()) if (!row.tr.hidden) n++;
    return n;
  }
}
