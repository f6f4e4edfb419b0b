// The range picker shared by the sandbox and PromQL pages: fixed ranges, a custom one, live mode.
import { h } from './dom.js';

export const RANGES = { '15m': 900, '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800, '30d': 2592000 };

// Steps a person reads easily, in seconds; a range gets the smallest one giving at most ~500 points.
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export function stepFor(seconds, points = 500) {
  return STEPS.find(s => seconds / s <= points) || STEPS[STEPS.length - 1];
}

/** {start, end, step} in seconds for a picker state; end is now unless the range is custom. */
export function resolve(state) {
  let start, end;
  if (state.range === 'custom' && state.from && state.to) {
    start = state.from / 1000;
    end = state.to / 1000;
  } else {
    end = Date.now() / 1000;
    start = end - (RANGES[state.range] || 3600);
  }
  const step = stepFor(end - start);
  // the grid is aligned to the step, so live redraws do not shift the points; it ends at or just
  // after `end`, so the newest samples and events are always on the chart
  start = Math.floor(start / step) * step;
  end = Math.ceil(end / step) * step;
  return { start, end, step, n: Math.floor((end - start) / step) + 1 };
}

const local = ms => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
};

/** The picker's element. onChange(state) runs after every choice; live is offered for ranges ending now. */
export function rangePicker(state, onChange) {
  const buttons = [...Object.keys(RANGES), 'custom'].map(r =>
    h('button', { type: 'button', 'data-range': r, onclick: () => choose(r) }, r));
  const from = h('input', { type: 'datetime-local', 'aria-label': 'From' });
  const to = h('input', { type: 'datetime-local', 'aria-label': 'To' });
  const apply = h('button', { type: 'button', onclick: applyCustom }, 'Apply');
  const custom = h('span', { class: 'toolbar', style: 'margin:0' }, from, '–', to, apply);
  const live = h('input', { type: 'checkbox' });
  const liveLabel = h('label', { class: 'check', title: 'Redraw every few seconds with the range ending now' }, live, 'Live');
  live.addEventListener('change', () => {
    state.live = live.checked;
    onChange(state);
  });

  function sync() {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.range === state.range));
    custom.hidden = state.range !== 'custom';
    liveLabel.hidden = state.range === 'custom';
    live.checked = !!state.live && state.range !== 'custom';
  }
  function choose(r) {
    state.range = r;
    if (r === 'custom') {
      const { start, end } = resolve({ range: '1h' });
      from.value = local((state.from || start * 1000));
      to.value = local((state.to || end * 1000));
      state.from = Date.parse(from.value);
      state.to = Date.parse(to.value);
    }
    sync();
    onChange(state);
  }
  function applyCustom() {
    const f = Date.parse(from.value), t = Date.parse(to.value);
    if (!(f < t)) {
      to.setCustomValidity('the end must come after the start');
      to.reportValidity();
      return;
    }
    to.setCustomValidity('');
    state.from = f;
    state.to = t;
    onChange(state);
  }
  sync();
  return h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Time range' },
    h('span', { class: 'seg' }, buttons), custom, liveLabel);
}
