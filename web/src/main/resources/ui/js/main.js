// The page router: the part after '#' names the page, so the server only ever serves one HTML file.
import * as capacity from './capacity.js';
import * as fleet from './fleet.js';
import * as promql from './promql.js';
import * as restarts from './restarts.js';
import * as sandbox from './sandbox.js';
import { status } from './dom.js';
import { watchIngest } from './ingest-status.js';

const ROUTES = [
  [/^\/$/, 'fleet', (el, m, q) => fleet.mount(el, q)],
  [/^\/sandbox\/([^/]+)$/, 'fleet', (el, m, q) => sandbox.mount(el, decodeURIComponent(m[1]), q)],
  [/^\/restarts$/, 'restarts', (el, m, q) => restarts.mount(el, q)],
  [/^\/capacity$/, 'capacity', (el, m, q) => capacity.mount(el, q)],
  [/^\/promql$/, 'promql', (el, m, q) => promql.mount(el, q)],
];

const main = document.getElementById('main');
let unmount = null;
let lastPath = null;

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = hash.split('?', 2);
  if (path === lastPath && path === '/promql') return; // the PromQL page keeps its URL in step itself
  lastPath = path;
  unmount?.();
  unmount = null;
  main.replaceChildren();
  status('');
  // a new page starts at its top, with focus in it (a page may move focus on, e.g. to its input)
  window.scrollTo(0, 0);
  main.focus({ preventScroll: true });
  for (const [re, page, mount] of ROUTES) {
    const m = path.match(re);
    if (!m) continue;
    for (const a of document.querySelectorAll('nav a')) {
      if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    unmount = mount(main, m, new URLSearchParams(qs || '')) || null;
    return;
  }
  main.innerHTML = '<div class="notice"><h2>No such page</h2><p><a href="#/">Back to the fleet</a></p></div>';
}

window.addEventListener('hashchange', route);
route();
watchIngest(document.getElementById('ingest'));
