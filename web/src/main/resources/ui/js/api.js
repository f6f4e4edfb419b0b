// The HTTP API as the pages use it: Prometheus's JSON envelope, its error JSON turned into ApiError.

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

export async function getJson(path, params, signal) {
  const url = path + (params ? '?' + new URLSearchParams(params) : '');
  let res;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'unavailable', 'cannot reach Sandglass: ' + e.message);
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: reported below with the HTTP status
  }
  if (!res.ok || !body || body.status !== 'success') {
    throw new ApiError(res.status, body?.errorType || 'http', body?.error || `${res.status} ${res.statusText} from ${path}`);
  }
  return body.data;
}

export const query = (expr, time, signal) =>
  getJson('/api/v1/query', time == null ? { query: expr } : { query: expr, time }, signal);

export const queryRange = (expr, start, end, step, signal) =>
  getJson('/api/v1/query_range', { query: expr, start, end, step }, signal);

/** An instant vector as a Map from one label's value to the sample's number. */
export function byLabel(data, label = 'sandbox_name') {
  const m = new Map();
  for (const s of data.result) m.set(s.metric[label], Number(s.value[1]));
  return m;
}

/**
 * Range-query results on one time grid (start..end by step), with null where a series has no
 * point: uPlot draws a null as a gap, so missing data is never interpolated.
 */
export function align(results, start, step, n) {
  return results.map(series => {
    const col = new Array(n).fill(null);
    for (const [t, v] of series?.values || []) {
      const i = Math.round((t - start) / step);
      if (i >= 0 && i < n) col[i] = Number(v);
    }
    return col;
  });
}

/** Text of a plain-text endpoint such as /metrics (null when it fails). */
export async function getText(path, signal) {
  try {
    const res = await fetch(path, { signal });
    return res.ok ? await res.text() : null;
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return null;
  }
}
