// The SVG charts: stacked bars per table row, and memory against context length
// or batch (a sweep of the focus request), each with the chosen cards as lines
// and a text summary for screen readers (role="img", <title>, <desc>).
import { el, rebuild, svg } from './dom.js';
import { UNITS, cardLines, componentName, componentIndex, formatBytes, grouped, shortGpuName } from './format.js';

const PALETTE = 11;  // .c0 ... .c10 in style.css
const CARD_STYLES = 4; // .g0 ... .g3
const SWEEP_POINTS = 200;

/** A component's colour: the same for the same component in every chart. */
function colourOf(id, column) {
  const i = componentIndex(id);
  return (i >= 0 ? i : column) % PALETTE;
}

/** Round tick values from 0 to at least max: steps of 1, 2, 2.5 or 5 × a power of ten. */
export function niceTicks(max, count) {
  const raw = max / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw) * power;
  const ticks = [];
  for (let t = 0; t <= max + step * 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** An <svg role="img"> named by a <title> and described by a <desc>. */
function chartSvg(container, cls, width, height, title, desc) {
  const uid = container.id + '-svg';
  const s = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-labelledby': uid + '-t', 'aria-describedby': uid + '-d', class: cls });
  s.appendChild(svg('title', { id: uid + '-t' }, title));
  s.appendChild(svg('desc', { id: uid + '-d' }, desc));
  return s;
}

const bytesOf = (report, id) => {
  const c = report.components.find((x) => x.id === id);
  return c ? c.bytes : 0;
};

function barsDesc(rows, columns, cards, unit) {
  return rows.map((r) => r.label + ': ' + formatBytes(r.report.totalBytes, unit) + ' (' +
    columns.map((id) => componentName(id) + ' ' + formatBytes(bytesOf(r.report, id), unit)).join(', ') + ')').join('; ') + cardLines(cards, unit);
}

function legend(columns) {
  const ul = el('ul', null, 'legend');
  columns.forEach((id, ci) => {
    const li = el('li');
    li.appendChild(el('span', null, 'swatch c' + colourOf(id, ci)));
    li.appendChild(document.createTextNode(componentName(id)));
    ul.appendChild(li);
  });
  return ul;
}

/** Horizontal stacked bars, one per row, with the chosen cards as vertical lines. */
export function renderBars(view, cards, container, title, rows, columns) {
  rebuild(container, (c) => drawBars(view, cards, c, title, rows, columns));
}

function drawBars(view, cards, container, title, rows, columns) {
  const ok = rows.filter((r) => r.report && r.report.ok);
  if (!ok.length) return;
  const unit = view.state.unit;
  const max = Math.max(0, ...ok.map((r) => r.report.totalBytes), ...cards.map((g) => g.usableBytes));
  const W = 640, left = 110, right = 16, rowH = 26, top = 8, H = top + ok.length * rowH + 30;
  const scale = (b) => left + (W - left - right) * (max > 0 ? b / max : 0);
  const s = chartSvg(container, 'bars', W, H, title, barsDesc(ok, columns, cards, unit));
  ok.forEach((r, i) => {
    const y = top + i * rowH;
    s.appendChild(svg('text', { x: left - 6, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'lbl' }, r.label));
    let x = left;
    columns.forEach((id, ci) => {
      const bytes = bytesOf(r.report, id);
      if (!(bytes > 0)) return;
      const w = scale(bytes) - left;
      const rect = svg('rect', { x, y: y + 4, width: Math.max(w, 0.5), height: rowH - 8, class: 'c' + colourOf(id, ci) });
      rect.appendChild(svg('title', {}, componentName(id) + ': ' + formatBytes(bytes, unit)));
      s.appendChild(rect);
      x += w;
    });
  });
  const bottom = top + ok.length * rowH;
  cards.forEach((g, gi) => {
    const x = scale(g.usableBytes);
    s.appendChild(svg('line', { x1: x, x2: x, y1: top, y2: bottom, class: 'cap g' + (gi % CARD_STYLES) }));
    s.appendChild(svg('text', { x: Math.min(x, W - 4), y: bottom + 14 + 12 * (gi % 2), 'text-anchor': 'end', class: 'lbl small' }, shortGpuName(g.name)));
  });
  container.appendChild(s);
  container.appendChild(legend(columns));
}

/** The plot area of a line chart over x in [1, to] and bytes in [0, ymax]. */
function lineFrame(to, ymax) {
  const f = { W: 640, H: 260, left: 64, right: 16, top: 12, bottom: 40, to, ymax };
  f.sx = (x) => f.left + (f.W - f.left - f.right) * ((x - 1) / Math.max(to - 1, 1));
  f.sy = (b) => f.top + (f.H - f.top - f.bottom) * (1 - b / ymax);
  return f;
}

function lineAxes(s, f, xLabel, unit) {
  s.appendChild(svg('line', { x1: f.left, x2: f.W - f.right, y1: f.H - f.bottom, y2: f.H - f.bottom, class: 'axis' }));
  s.appendChild(svg('line', { x1: f.left, x2: f.left, y1: f.top, y2: f.H - f.bottom, class: 'axis' }));
  const per = (UNITS[unit] || UNITS.gb).bytes;
  niceTicks(f.ymax / per, 4).forEach((v) => {
    if (v * per > f.ymax) return;
    s.appendChild(svg('text', { x: f.left - 6, y: f.sy(v * per) + 4, 'text-anchor': 'end', class: 'lbl small' }, formatBytes(v * per, unit)));
  });
  niceTicks(f.to, 4).forEach((xv) => {
    const x = Math.max(xv, 1);
    if (x > f.to) return;
    s.appendChild(svg('text', { x: f.sx(x), y: f.H - f.bottom + 16, 'text-anchor': xv === 0 ? 'start' : 'middle', class: 'lbl small' }, grouped(x)));
  });
  s.appendChild(svg('text', { x: (f.left + f.W - f.right) / 2, y: f.H - 6, 'text-anchor': 'middle', class: 'lbl' }, xLabel));
}

function lineDesc(res, xLabel, cards, unit) {
  let lastOk = null;
  for (let i = res.x.length - 1; i >= 0 && lastOk === null; i--) if (res.totalBytes[i] !== null) lastOk = i;
  return 'Per-GPU memory from ' + formatBytes(res.totalBytes[0], unit) + ' at ' + xLabel + ' 1 to ' +
    (lastOk === null ? '–' : formatBytes(res.totalBytes[lastOk], unit) + ' at ' + res.x[lastOk]) + cardLines(cards, unit);
}

function curvePath(res, f) {
  let d = '';
  res.x.forEach((x, i) => {
    const b = res.totalBytes[i];
    if (b !== null) d += (d ? 'L' : 'M') + f.sx(x).toFixed(1) + ' ' + f.sy(b).toFixed(1);
  });
  return svg('path', { d, class: 'curve' });
}

/**
 * Memory against seqLen or batch (a sweep of the focus request), with the
 * chosen cards as horizontal lines and the current value as a vertical one.
 * @param {{axis: string, title: string, xLabel: string, to: number, current: number}} chart
 */
export function renderLine(view, plan, container, chart) {
  rebuild(container, (c) => drawLine(view, plan, c, chart));
}

function drawLine(view, plan, container, chart) {
  if (!view.est) return;
  const res = plan.sweep(chart.axis, chart.to, SWEEP_POINTS);
  if (!res.ok) return;
  const unit = view.state.unit;
  const cards = plan.chosenCards();
  const f = lineFrame(chart.to, Math.max(0, ...res.totalBytes.filter((b) => b !== null), ...cards.map((g) => g.usableBytes)) * 1.05 || 1);
  const s = chartSvg(container, 'line', f.W, f.H, chart.title, lineDesc(res, chart.xLabel, cards, unit));
  lineAxes(s, f, chart.xLabel, unit);
  cards.forEach((g, gi) => {
    const y = f.sy(g.usableBytes);
    s.appendChild(svg('line', { x1: f.left, x2: f.W - f.right, y1: y, y2: y, class: 'cap g' + (gi % CARD_STYLES) }));
    s.appendChild(svg('text', { x: f.W - f.right - 4, y: y - 4, 'text-anchor': 'end', class: 'lbl small' }, shortGpuName(g.name)));
  });
  s.appendChild(curvePath(res, f));
  if (chart.current >= 1 && chart.current <= chart.to)
    s.appendChild(svg('line', { x1: f.sx(chart.current), x2: f.sx(chart.current), y1: f.top, y2: f.H - f.bottom, class: 'now' }));
  container.appendChild(el('p', chart.title + ' (' + plan.focusName() + ', per GPU)', 'chart-title'));
  container.appendChild(s);
}
