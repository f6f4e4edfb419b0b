// Numbers as people read them: binary byte units, rates, percentages, durations, local times.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n) {
  if (n == null || !Number.isFinite(n)) return '–';
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 ? 0 : Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0;
  return v.toFixed(digits) + ' ' + UNITS[i];
}

export const rate = n => (n == null || !Number.isFinite(n) ? '–' : bytes(n) + '/s');

export function pct(n) {
  if (n == null || !Number.isFinite(n)) return '–';
  return n.toFixed(Math.abs(n) < 10 ? 1 : 0) + '%';
}

export function duration(s) {
  if (s == null || !Number.isFinite(s)) return '–';
  s = Math.max(0, Math.floor(s));
  const d = Math.floor(s / 86400), hh = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), ss = s % 60;
  if (d) return `${d}d ${hh}h`;
  if (hh) return `${hh}h ${m}m`;
  if (m) return `${m}m ${ss}s`;
  return `${ss}s`;
}

const pad = n => String(n).padStart(2, '0');

/** Local date and time, seconds precision: 2026-11-29 03:04:05. */
export function time(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function num(n) {
  if (n == null || !Number.isFinite(n)) return String(n);
  if (n !== 0 && (Math.abs(n) >= 1e6 || Math.abs(n) < 1e-3)) return n.toExponential(3);
  return String(Math.round(n * 1000) / 1000);
}
