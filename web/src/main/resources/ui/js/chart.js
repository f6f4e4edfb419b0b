// Time-series charts on uPlot (served from its WebJar). Colours come from the CSS variables, so a
// chart follows the system's light or dark scheme; markers (restarts) are DOM elements over the
// plot, so they can be focused, read by assistive technology and found by tests.
import { h } from './dom.js';
import { time } from './format.js';

const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const dark = () => matchMedia('(prefers-color-scheme: dark)').matches;

/** Colour `i` of a chart: the four theme colours, then well-spread hues (golden angle). */
export function colour(i) {
  if (i < 4) return css('--c' + (i + 1));
  return `hsl(${Math.round((i * 137.5) % 360)} 60% ${dark() ? 62 : 45}%)`;
}

// Axis steps in powers of two times 1, 2.5 or 5 of each binary unit, so byte axes read 256 MiB, 512 MiB.
const BINARY_INCRS = [0.01, 0.1, 0.25, 0.5];
for (let p = 0; p <= 50; p += 10) for (const m of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]) BINARY_INCRS.push(m * 2 ** p);

const charts = new Set();

function lastOf(col) {
  for (let i = (col?.length || 0) - 1; i >= 0; i--) if (col[i] != null) return col[i];
  return null;
}

matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  for (const c of charts) c.rebuild();
});

/**
 * A chart in `container`. spec: {series: [{label, color: '--c1', dash}], fmt: value → text, min0}.
 * Returns {setData(times, columns, markers), destroy()}; markers are [{t (s), label}].
 */
export function makeChart(container, spec) {
  const plot = h('div', { class: 'plot' });
  container.append(plot);
  let u = null;
  let data = null;
  let markers = [];

  function opts(width) {
    const axis = { stroke: css('--axis'), grid: { stroke: css('--grid'), width: 1 }, ticks: { stroke: css('--grid'), width: 1 } };
    return {
      width, height: spec.height || 190,
      cursor: { sync: { key: spec.sync || 'sandglass' } },
      scales: { x: { time: true }, y: spec.min0 === false ? {} : { range: (u, min, max) => [0, max > 0 ? max * 1.08 : 1] } },
      axes: [{ ...axis }, { ...axis, size: 88, incrs: spec.binary ? BINARY_INCRS : undefined, values: (u, vals) => vals.map(v => spec.fmt(v)) }],
      series: [
        { value: (u, v, si, idx) => (idx == null ? 'latest' : v == null ? '–' : time(v * 1000)) },
        ...spec.series.map((s, i) => ({
          label: s.label, stroke: s.color ? css(s.color) : colour(i), width: 1.5, dash: s.dash,
          fill: s.fill ? css(s.color || '--c1') + '22' : undefined,
          // away from the cursor the legend shows each series' latest value
          value: (u, v, si, idx) => {
            const x = idx == null ? lastOf(u.data[si]) : v;
            return x == null ? '–' : spec.fmt(x);
          },
          spanGaps: false, points: { show: false },
        })),
      ],
      hooks: { draw: [drawMarkers] },
    };
  }

  function drawMarkers(u) {
    for (const m of u.over.querySelectorAll('.marker')) m.remove();
    const [x0, x1] = [u.scales.x.min, u.scales.x.max];
    let lastLabelAt = -Infinity;
    for (const m of [...markers].sort((a, b) => a.t - b.t)) {
      if (m.t < x0 || m.t > x1) continue;
      const label = `${m.label} ${time(m.t * 1000)}`;
      const x = u.valToPos(m.t, 'x');
      // markers closer than a label's width keep their line; the label is in the tooltip
      const text = x - lastLabelAt > 60 ? h('span', null, m.label) : null;
      if (text) lastLabelAt = x;
      // near the right edge the label goes to the left of its line, so it stays inside the chart
      const side = x > u.over.clientWidth - 140 ? 'marker left' : 'marker';
      const el = h('div', { class: side, title: label, 'aria-label': label, tabindex: '0', 'data-t': String(m.t) }, text);
      el.style.left = x + 'px';
      u.over.append(el);
    }
  }

  function build() {
    u?.destroy();
    u = new window.uPlot(opts(Math.max(200, plot.clientWidth)), data, plot);
  }

  const resize = new ResizeObserver(() => u && u.setSize({ width: Math.max(200, plot.clientWidth), height: spec.height || 190 }));
  resize.observe(plot);

  const chart = {
    setData(times, columns, m = []) {
      data = [times, ...columns];
      markers = m;
      if (!u) build();
      else u.setData(data);
    },
    rebuild() {
      if (data) build();
    },
    destroy() {
      resize.disconnect();
      charts.delete(chart);
      u?.destroy();
      u = null;
    },
  };
  charts.add(chart);
  return chart;
}
