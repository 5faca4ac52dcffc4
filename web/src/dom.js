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
