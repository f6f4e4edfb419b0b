// The fleet table: one row per sandbox, but only the rows near the viewport are in the document
// (a spacer row stands for the others), each created once and then updated in place, text only
// where it changed. A thousand sandboxes updating every second cost the layout of a few dozen rows:
// a table's layout grows with all its cells, which made a full 1,024-row table stutter.
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

const ROW_H = 34; // px: every row's height (app.css), so a row's position is its index times this
const OVERSCAN = 8; // rows kept above and below the viewport, for smooth scrolling

export class FleetTable {
  constructor(sort = { key: 'name', dir: 1 }) {
    this.sort = sort;
    this.filter = '';
    this.rows = new Map();
    this.order = [];
    this.attached = new Set();
    this.heads = COLUMNS.map(c => {
      const th = h('th', { class: c.num ? 'num' : null, scope: 'col' },
        h('button', { type: 'button', onclick: () => this.sortBy(c.key) }, c.label));
      th.dataset.key = c.key;
      return th;
    });
    const spacer = () => {
      const td = h('td', { colspan: String(COLUMNS.length) });
      return { tr: h('tr', { class: 'spacer', 'aria-hidden': 'true' }, td), td };
    };
    this.top = spacer();
    this.bottom = spacer();
    this.body = h('tbody', null, this.top.tr, this.bottom.tr);
    this.el = h('table', { class: 'grid fleet', 'aria-label': 'Sandboxes' }, h('thead', null, h('tr', null, this.heads)), this.body);
    this.el.dataset.updates = '0';
    this.markSort();
    this.frame = 0;
    this.onScroll = () => {
      if (!this.frame) this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    };
    window.addEventListener('scroll', this.onScroll, { passive: true });
    window.addEventListener('resize', this.onScroll);
  }

  destroy() {
    window.removeEventListener('scroll', this.onScroll);
    window.removeEventListener('resize', this.onScroll);
    cancelAnimationFrame(this.frame);
  }

  sortBy(key) {
    this.sort = this.sort.key === key ? { key, dir: -this.sort.dir } : { key, dir: key === 'name' || key === 'state' ? 1 : -1 };
    this.markSort();
    this.arrange();
    this.render();
  }

  markSort() {
    for (const th of this.heads) {
      th.setAttribute('aria-sort', th.dataset.key === this.sort.key ? (this.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    this.arrange();
    this.render();
  }

  /** Applies one update: `sandboxes` is every sandbox's latest figures; rows not in it are removed. */
  update(sandboxes) {
    const seen = new Set();
    for (const s of sandboxes) {
      seen.add(s.name);
      const row = this.rows.get(s.name);
      if (row) row.data = s;
      else this.rows.set(s.name, { data: s, tr: null, cells: null, stopped: null });
    }
    for (const [name, row] of this.rows) {
      if (!seen.has(name)) {
        row.tr?.remove();
        this.attached.delete(row);
        this.rows.delete(name);
      }
    }
    this.arrange();
    this.render();
    this.el.dataset.updates = String(Number(this.el.dataset.updates) + 1);
    this.el.dataset.count = String(this.rows.size);
  }

  /** The rows that pass the filter, in the sort column's order. */
  arrange() {
    const col = COLUMNS.find(c => c.key === this.sort.key);
    const dir = this.sort.dir;
    this.order = [...this.rows.values()].filter(r => r.data.name.toLowerCase().includes(this.filter));
    this.order.sort((a, b) => {
      const x = col.value(a.data), y = col.value(b.data);
      const cmp = x == null ? (y == null ? 0 : 1) : y == null ? -1 : typeof x === 'string' ? x.localeCompare(y) * dir : (x - y) * dir;
      return cmp || a.data.name.localeCompare(b.data.name);
    });
  }

  /** Puts the rows near the viewport in the document, in order, filled with their latest figures. */
  render() {
    const n = this.order.length;
    const viewTop = Math.max(0, -this.body.getBoundingClientRect().top);
    const first = Math.min(n, Math.max(0, Math.floor(viewTop / ROW_H) - OVERSCAN));
    const last = Math.min(n, Math.ceil((viewTop + window.innerHeight) / ROW_H) + OVERSCAN);
    const want = this.order.slice(first, last);
    const keep = new Set(want);
    for (const row of this.attached) if (!keep.has(row)) row.tr.remove();
    let prev = this.top.tr;
    for (const row of want) {
      if (!row.tr) this.createRow(row);
      this.fill(row);
      if (prev.nextSibling !== row.tr) this.body.insertBefore(row.tr, prev.nextSibling);
      prev = row.tr;
    }
    this.attached = keep;
    setHeight(this.top, first * ROW_H);
    setHeight(this.bottom, (n - last) * ROW_H);
  }

  createRow(row) {
    const s = row.data;
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
    row.tr = tr;
    row.cells = cells;
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

  /** Rows that pass the filter. */
  visibleCount() {
    return this.order.length;
  }
}

function setHeight(spacer, px) {
  const v = px + 'px';
  if (spacer.td.style.height !== v) spacer.td.style.height = v;
  spacer.tr.hidden = px === 0;
}
