// A tiny element builder: h('td', {class: 'num'}, 'text', child) — plain DOM, no framework.
export function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** Sets the text of a node only when it changed, so a live table touches the DOM as little as it can. */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** The header's status line: what the page last did, or what went wrong. */
export function status(text, bad = false) {
  const s = document.getElementById('status');
  if (!s) return;
  setText(s, text);
  s.classList.toggle('bad', bad);
}

/** A PromQL string literal for a label value. */
export function promStr(s) {
  return '"' + String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}
