// The tables and the text around them: model line, summary, fit verdicts,
// formulas, warnings, the settings the estimator assumed, and problems.
import { el, rebuild } from './dom.js';
import { UNITS, bytesNumber, componentName, formatBytes, formatCount, grouped, inUnit } from './format.js';
import { choiceLabel } from './schema.js';
import { CHECKED_INPUTS, controlFor, fieldLabel } from './controls.js';
import { launchFor } from './launch.js';
import { rangeText, renderAccuracyNotes } from './accuracy.js';

const INFERENCE_COLUMNS = ['weights', 'kv_cache', 'activations', 'overhead'];
const FINETUNE_COLUMNS = ['weights', 'gradients', 'optimizer', 'activations', 'overhead'];
const MAX_ERRORS = 8;
const MAX_WARNINGS = 12;
const MAX_SETTINGS = 24;

/** Shows problems ({id?, text}) in the alert box and marks their inputs invalid. */
export function showError(view, problems) {
  const box = view.$('error');
  CHECKED_INPUTS.forEach((id) => view.$(id).setAttribute('aria-invalid', 'false'));
  box.textContent = '';
  box.hidden = !problems.length;
  view.scope.querySelectorAll('.field-error').forEach((e) => e.remove());
  problems.forEach((p) => {
    box.appendChild(el('span', p.text, 'error-line'));
    const input = p.id && view.$(p.id);
    if (!input) return;
    input.setAttribute('aria-invalid', 'true');
    const msg = el('span', p.text, 'field-error');
    msg.id = p.id + '-error';
    input.setAttribute('aria-errormessage', msg.id);
    input.insertAdjacentElement('afterend', msg);
  });
  // Until the inputs are valid again, the results shown are those of the last valid ones.
  view.root.classList.toggle('stale', problems.length > 0);
  view.$('stale').hidden = !problems.length;
}

/** What a link could not say, as text. */
export function showNotice(view, problems) {
  const n = view.$('notice');
  n.hidden = !problems.length;
  n.textContent = problems.length ? 'The link was not fully understood: ' + problems.join('; ') + '.' : '';
}

/** A report's errors as problems, naming the page's own input where one matches. */
export function reportProblems(report) {
  return (report.errors || []).slice(0, MAX_ERRORS).map((e) => {
    const field = String(e.field);
    const known = controlFor(field);
    const label = known ? known.label.trim() : field;
    return { id: known ? known.id : null, text: (label || 'config.json') + ': ' + String(e.message) };
  });
}

function componentOf(report, id) {
  return report.components.find((c) => c.id === id) || null;
}

/** Columns: the table's own ids, then any other id, each where some row has bytes in it. */
function columnsFor(base, rows) {
  const cols = [];
  const ok = rows.filter((r) => r.report.ok);
  const ids = base.slice();
  ok.forEach((r) => r.report.components.forEach((c) => { if (ids.indexOf(c.id) < 0) ids.push(c.id); }));
  ids.forEach((id) => { if (ok.some((r) => (componentOf(r.report, id) || { bytes: 0 }).bytes > 0)) cols.push(id); });
  return cols.length ? cols : base.slice();
}

function formulaCell(view, comp) {
  const td = el('td');
  td.appendChild(el('span', bytesNumber(comp ? comp.bytes : 0, view.state.unit), 'num'));
  if (comp && comp.formula) {
    const formula = inUnit(comp.formula, view.state.unit);
    td.title = formula;
    if (view.root.classList.contains('show-formulas')) td.appendChild(el('span', formula, 'formula'));
  }
  return td;
}

function headRow(table, heads) {
  rebuild(table.tHead.rows[0], (head) => heads.forEach((h, i) => {
    const th = el('th', h, i === heads.length - 2 ? 'total' : i === heads.length - 1 ? 'fits' : '');
    th.scope = 'col';
    head.appendChild(th);
  }));
}

function bodyRow(view, row, columns) {
  const tr = el('tr');
  tr.dataset.row = row.key;
  const th = el('th', row.label);
  th.scope = 'row';
  tr.appendChild(th);
  if (row.format !== undefined) tr.appendChild(el('td', row.format, 'format'));
  if (!row.report || !row.report.ok) {
    columns.concat(['total', 'fits']).forEach((c) => tr.appendChild(el('td', '…', c)));
    return tr;
  }
  columns.forEach((id) => tr.appendChild(formulaCell(view, componentOf(row.report, id))));
  const total = el('td', formatBytes(row.report.totalBytes, view.state.unit), 'total');
  // A fine-tuning total with the range the measured runs imply (report.range).
  if (row.report.range) total.appendChild(el('span', rangeText(row.report, view.state.unit), 'range'));
  tr.appendChild(total);
  const fits = el('td', null, 'fits');
  row.verdicts.forEach((v) => fits.appendChild(el('span', v.text, v.fits ? 'ok' : 'no')));
  tr.appendChild(fits);
  tr.className = row.focus ? 'focus' : '';
  return tr;
}

/** Under a row: why it does not fit, the change that makes it fit (with Apply), and its own warnings. */
function noteRow(view, row, span, shared) {
  const td = el('td');
  td.colSpan = span;
  const body = el('div', null, 'note-body');
  td.appendChild(body);
  (row.verdicts || []).filter((v) => !v.fits).forEach((v) => {
    body.appendChild(el('p', 'Why, on ' + v.short + ': ' + humanize(view, inUnit(v.reason, view.state.unit)), 'why'));
    if (!v.plan) return;
    const fix = el('p', null, 'fix');
    fix.appendChild(el('span', humanize(view, inUnit(v.plan.summary, view.state.unit)) + (v.plan.changes ? '. ' : '.')));
    if (v.plan.changes) {
      const b = el('button', 'Apply');
      b.type = 'button';
      b.className = 'apply';
      b.setAttribute('aria-label', 'Apply: ' + v.plan.summary);
      b.onclick = () => view.apply(row, v.plan.changes);  // a property: morph() carries it to the live button
      fix.appendChild(b);
    }
    body.appendChild(fix);
  });
  const own = rowWarnings(row).filter((w) => !shared.has(w));
  if (own.length) {
    const ul = el('ul', null, 'warnings');
    own.forEach((w) => ul.appendChild(el('li', humanize(view, inUnit(w, view.state.unit)))));
    body.appendChild(ul);
  }
  if (!body.childNodes.length) return null;
  const tr = el('tr', null, 'note' + (row.focus ? ' focus' : ''));
  tr.appendChild(td);
  return tr;
}

/** A row's warnings, from the report on each card, once each. */
function rowWarnings(row) {
  const seen = [];
  (row.reports || []).forEach((r) => (r.ok ? r.warnings || [] : []).forEach((w) => { if (seen.indexOf(w) < 0) seen.push(w); }));
  return seen;
}

/** Warnings every row of the table has: said once, under the table. */
function sharedWarnings(rows) {
  const lists = rows.map(rowWarnings);
  return new Set(lists.length ? lists[0].filter((w) => lists.every((l) => l.indexOf(w) >= 0)) : []);
}

function renderTable(view, table, rows, columns, firstHeads) {
  const heads = firstHeads.concat(columns.map(componentName)).concat(['Total', 'Fits']);
  headRow(table, heads);
  const shared = sharedWarnings(rows);
  rebuild(table.tBodies[0], (body) => rows.forEach((row) => {
    body.appendChild(bodyRow(view, row, columns));
    const note = row.report && row.report.ok ? noteRow(view, row, heads.length, shared) : null;
    if (note) body.appendChild(note);
  }));
  return shared;
}

/** The model's name as the page says it. */
function modelName(view) {
  const { state } = view;
  const preset = view.presetById[state.model];
  return state.mode === 'params' ? 'Parameter count (simple estimator)' : state.mode === 'config' ? 'Your config.json' : preset ? preset.name : state.model;
}

/** The model line: its name and parameter counts (as data attributes too). */
export function renderModelInfo(view, report) {
  const out = view.$('model-info');
  const name = modelName(view);
  if (!report || !report.ok) { out.textContent = name; return; }
  const p = report.params;
  out.textContent = name + ': ' + formatCount(p.total) + ' parameters' + (p.active && p.active !== p.total ? ', ' + formatCount(p.active) + ' active' : '') +
    (p.checkpoint > p.total ? ' (' + formatCount(p.checkpoint) + ' in the checkpoint with its multi-token-prediction layers, not loaded for plain inference)' : '');
  out.dataset.total = String(p.total);
  out.dataset.checkpoint = String(p.checkpoint);
  out.dataset.active = String(p.active);
}

/** API field names (maxModelLen) in a core text as the page's words (max model length). */
export function humanize(view, text) {
  return String(text).replace(/\b[a-z]+[A-Z][A-Za-z]*\b/g, (name) => (view.schema.fields[name] ? fieldLabel(name).toLowerCase() : name));
}

/** One answer line per table: model, workload, total per GPU and the verdict on each card. */
function summaryLine(view, row, what) {
  const line = el('span', null, 'line');
  line.dataset.table = what;
  if (!row || !row.report.ok) return line;
  const name = modelName(view).replace(/^Parameter count \(simple estimator\)$/, formatCount(view.state.params * 1e9) + ' parameters');
  const workload = what === 'inference' ? row.format + ' inference, ' + grouped(view.state.seqLen) + ' tokens, batch ' + view.state.batch
    : choiceLabel(view.schema, 'method', row.key) + ' fine-tuning, ' + grouped(view.state.seqLen) + ' tokens';
  line.appendChild(el('span', name + ', ' + workload + ': '));
  line.appendChild(el('strong', formatBytes(row.report.totalBytes, view.state.unit) + ' per GPU'));
  row.verdicts.forEach((v) => line.appendChild(el('span', '; ' + v.text, v.fits ? 'ok' : 'no')));
  return line;
}

function renderSummary(view, infRows, ftRows) {
  const inf = infRows.find((r) => r.key === (view.state.weights || infRows[0].key));
  const ft = ftRows.find((r) => r.key === view.state.method);
  const lines = [summaryLine(view, inf, 'inference'), summaryLine(view, ft, 'finetune')];
  rebuild(view.$('summary'), (out) => (view.state.task === 'finetune' ? lines.reverse() : lines).forEach((l) => out.appendChild(l)));
}

/** The settings the estimator resolved (engine defaults it assumed), the launch line and log lines, for the focus row. */
function renderSettings(view, focus) {
  const out = view.$('settings');
  out.textContent = '';
  view.$('launch').hidden = !focus;
  if (!focus) return;
  const settings = focus.report.settings;
  const parts = settings && typeof settings === 'object' ? Object.keys(settings).slice(0, MAX_SETTINGS).map((k) => humanize(view, k) + ' = ' + String(settings[k])) : [];
  if (parts.length) out.textContent = 'Settings assumed for ' + focus.label + ': ' + parts.join('; ') + '.';
  const launch = launchFor(view, focus.request, focus.report);
  view.$('launch-command').textContent = launch.command;
  view.$('launch-log').textContent = launch.log.join('\n');
  view.$('launch-log-label').hidden = !launch.log.length;
}

function renderWarnings(view, shared) {
  const seen = new Set();
  rebuild(view.$('warnings'), (ul) => shared.forEach((w) => {
    if (seen.has(w) || seen.size >= MAX_WARNINGS) return;
    seen.add(w);
    ul.appendChild(el('li', humanize(view, inUnit(w, view.state.unit))));
  }));
}

/**
 * Renders computed rows into both tables and the text around them; returns
 * the columns each table shows (the bar charts use the same).
 */
export function renderTables(view, infRows, ftRows) {
  const { state, $ } = view;
  renderModelInfo(view, infRows[0].report);
  const columns = { inference: columnsFor(INFERENCE_COLUMNS, infRows), finetune: columnsFor(FINETUNE_COLUMNS, ftRows) };
  const unit = (UNITS[state.unit] || UNITS.gb).name;
  $('inference-table').caption.textContent = 'Inference with ' + choiceLabel(view.schema, 'engine', state.engine) +
    ' (' + unit + ' per GPU, ' + grouped(state.seqLen) + ' tokens, batch ' + state.batch + ')';
  $('finetune-table').caption.textContent = 'Fine-tuning with ' + choiceLabel(view.schema, 'optimizer', state.optimizer) + ' (' + unit + ' per GPU)';
  const shared = renderTable(view, $('inference-table'), infRows, columns.inference, ['Precision', 'Format']);
  renderTable(view, $('finetune-table'), ftRows, columns.finetune, ['Method']).forEach((w) => shared.add(w));
  renderSummary(view, infRows, ftRows);
  renderAccuracyNotes(view, ftRows);
  renderWarnings(view, shared);
  renderSettings(view, infRows.concat(ftRows).filter((r) => r.focus && r.report.ok)[0]);
  $('unit-note').textContent = (UNITS[state.unit] || UNITS.gb).note;
  return columns;
}
