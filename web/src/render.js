// The tables and the text around them: model line, summary, fit verdicts,
// formulas, warnings, the settings the estimator assumed, and problems.
import { el } from './dom.js';
import { UNITS, componentName, formatBytes, formatCount, grouped } from './format.js';
import { choiceLabel } from './schema.js';
import { CHECKED_INPUTS, controlFor } from './controls.js';

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
  problems.forEach((p) => {
    box.appendChild(el('span', p.text, 'error-line'));
    if (p.id && view.$(p.id)) view.$(p.id).setAttribute('aria-invalid', 'true');
  });
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

/** Columns: the table's own ids, then any other id with bytes in some row. */
function columnsFor(base, rows) {
  const cols = base.slice();
  rows.filter((r) => r.report.ok).forEach((r) => {
    r.report.components.forEach((c) => {
      if (cols.indexOf(c.id) < 0 && c.bytes > 0) cols.push(c.id);
    });
  });
  return cols;
}

function formulaCell(view, comp) {
  const td = el('td');
  td.appendChild(el('span', formatBytes(comp ? comp.bytes : 0, view.state.unit), 'num'));
  if (comp && comp.formula) {
    td.title = comp.formula;
    if (view.root.classList.contains('show-formulas')) td.appendChild(el('span', comp.formula, 'formula'));
  }
  return td;
}

function headRow(table, heads) {
  const head = table.tHead.rows[0];
  head.textContent = '';
  heads.forEach((h) => {
    const th = el('th', h);
    th.scope = 'col';
    head.appendChild(th);
  });
}

function bodyRow(view, row, columns) {
  const tr = el('tr');
  tr.dataset.row = row.key;
  const th = el('th', row.label);
  th.scope = 'row';
  tr.appendChild(th);
  if (row.format !== undefined) tr.appendChild(el('td', row.format, 'format'));
  if (!row.report || !row.report.ok) {
    columns.concat(['total', 'fits']).forEach(() => tr.appendChild(el('td', '…')));
    return tr;
  }
  columns.forEach((id) => tr.appendChild(formulaCell(view, componentOf(row.report, id))));
  tr.appendChild(el('td', formatBytes(row.report.totalBytes, view.state.unit), 'total'));
  const fits = el('td', null, 'fits');
  row.verdicts.forEach((v) => fits.appendChild(el('span', v.text, v.fits ? 'ok' : 'no')));
  tr.appendChild(fits);
  tr.className = row.focus ? 'focus' : '';
  return tr;
}

function renderTable(view, table, rows, columns, firstHeads) {
  headRow(table, firstHeads.concat(columns.map(componentName)).concat(['Total', 'Fits']));
  const body = table.tBodies[0];
  body.textContent = '';
  rows.forEach((row) => body.appendChild(bodyRow(view, row, columns)));
}

/** The model line: its name and parameter counts (as data attributes too). */
export function renderModelInfo(view, report) {
  const { state } = view;
  const out = view.$('model-info');
  const preset = view.presetById[state.model];
  const name = state.mode === 'params' ? 'Parameter count (simple estimator)' : state.mode === 'config' ? 'Your config.json' : preset ? preset.name : state.model;
  if (!report || !report.ok) { out.textContent = name; return; }
  const p = report.params;
  out.textContent = name + ': ' + formatCount(p.total) + ' parameters' + (p.active && p.active !== p.total ? ', ' + formatCount(p.active) + ' active' : '');
  out.dataset.total = String(p.total);
  out.dataset.active = String(p.active);
}

const focusOf = (rows) => rows.filter((r) => r.focus && r.report.ok)[0];

function renderSummary(view, rows) {
  const focus = focusOf(rows);
  const out = view.$('summary');
  if (!focus) { out.textContent = ''; return; }
  const what = view.state.task === 'finetune' ? focus.label + ' fine-tuning' : focus.label + ' ' + focus.format + ' inference';
  out.textContent = what + ': ' + formatBytes(focus.report.totalBytes, view.state.unit) + ' per GPU; ' + focus.verdicts.map((v) => v.text).join('; ') + '.';
}

/** The settings the estimator resolved (engine defaults it assumed), for the focus row. */
function renderSettings(view, rows) {
  const out = view.$('settings');
  out.textContent = '';
  const focus = focusOf(rows);
  const settings = focus && focus.report.settings;
  if (!settings || typeof settings !== 'object') return;
  const parts = Object.keys(settings).slice(0, MAX_SETTINGS).map((k) => k + ' = ' + String(settings[k]));
  if (parts.length) out.textContent = 'Settings assumed for ' + focus.label + ': ' + parts.join('; ') + '.';
}

function renderWarnings(view, rows) {
  const ul = view.$('warnings');
  ul.textContent = '';
  const seen = new Set();
  rows.forEach((r) => {
    (r.report.ok ? r.report.warnings || [] : []).forEach((w) => {
      if (seen.has(w) || seen.size >= MAX_WARNINGS) return;
      seen.add(w);
      ul.appendChild(el('li', w));
    });
  });
}

/**
 * Renders computed rows into both tables and the text around them; returns
 * the columns each table shows (the bar charts use the same).
 */
export function renderTables(view, infRows, ftRows) {
  const { state, $ } = view;
  renderModelInfo(view, infRows[0].report);
  const columns = { inference: columnsFor(INFERENCE_COLUMNS, infRows), finetune: columnsFor(FINETUNE_COLUMNS, ftRows) };
  $('inference-table').caption.textContent = 'Inference with ' + choiceLabel(view.schema, 'engine', state.engine) +
    ' (per GPU, ' + grouped(state.seqLen) + ' tokens, batch ' + state.batch + ')';
  $('finetune-table').caption.textContent = 'Fine-tuning with ' + choiceLabel(view.schema, 'optimizer', state.optimizer) + ' (per GPU)';
  renderTable(view, $('inference-table'), infRows, columns.inference, ['Precision', 'Format']);
  renderTable(view, $('finetune-table'), ftRows, columns.finetune, ['Method']);
  const rows = infRows.concat(ftRows);
  renderSummary(view, rows);
  renderWarnings(view, rows);
  renderSettings(view, rows);
  $('unit-note').textContent = (UNITS[state.unit] || UNITS.gb).note;
  return columns;
}
