// The header's ingest warning: shown while /api/v1/status/ingest lists a degraded part of ingest
// (a background loop failing, e.g. out of heap, or collection stalled), hidden otherwise.
const EVERY_MS = 15000;

export function watchIngest(el) {
  async function check() {
    try {
      const res = await fetch('/api/v1/status/ingest');
      const body = res.ok ? await res.json() : null;
      const reasons = body?.data?.degraded || [];
      el.hidden = reasons.length === 0;
      el.textContent = reasons.length ? `ingest degraded: ${reasons[0]}${reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}` : '';
      el.title = reasons.join('\n');
    } catch (e) {
      // the server is unreachable: the page's own requests say so
    }
  }
  check();
  return setInterval(check, EVERY_MS);
}
