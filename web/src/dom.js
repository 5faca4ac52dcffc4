// The two element makers every view uses. Text is only ever set with
// textContent: report strings and user input are never parsed as HTML.

const SVG = 'http://www.w3.org/2000/svg';

/** An HTML element with optional text and class. */
export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

/** An SVG element with attributes and optional text. */
export function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
  if (text !== undefined) e.textContent = String(text);
  return e;
}

/** An <option> with its value and text. */
export function option(value, text) {
  const o = el('option', text);
  o.value = String(value);
  return o;
}

/**
 * Makes `live`'s children those of `fresh` (a detached element holding the new
 * content), changing only what differs: a text that changed, an attribute, a
 * node of another kind. A recompute then touches few nodes, so the browser
 * restyles, lays out and repaints little, and focus stays where it was.
 * Table rows are matched by data-row. Handlers travel as onclick properties.
 */
export function morph(live, fresh) {
  let a = live.firstChild;
  let b = fresh.firstChild;
  while (b) {
    const next = b.nextSibling;
    if (a && sameKind(a, b)) {
      if (a.nodeType === 1) {
        syncAttributes(a, b);
        if (a.onclick !== b.onclick) a.onclick = b.onclick;
        morph(a, b);
      } else if (a.nodeValue !== b.nodeValue) {
        a.nodeValue = b.nodeValue;
      }
      a = a.nextSibling;
    } else {
      live.insertBefore(b, a);
    }
    b = next;
  }
  while (a) {
    const next = a.nextSibling;
    live.removeChild(a);
    a = next;
  }
}

function sameKind(a, b) {
  if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
  return a.nodeType !== 1 || a.getAttribute('data-row') === b.getAttribute('data-row');
}

function syncAttributes(a, b) {
  const want = b.attributes;
  for (let i = 0; i < want.length; i++) {
    const { name, value } = want[i];
    if (a.getAttribute(name) !== value) a.setAttribute(name, value);
  }
  const have = a.attributes;
  for (let i = have.length - 1; i >= 0; i--) if (!b.hasAttribute(have[i].name)) a.removeAttribute(have[i].name);
}

/** Rebuilds `live`'s content with build(fresh) into an empty copy of it, then morphs. */
export function rebuild(live, build) {
  const fresh = live.cloneNode(false);
  build(fresh);
  morph(live, fresh);
}
