// How accurate the numbers are, as measured: est.schema().accuracy (core/data/accuracy.json,
// written by `make bench` from the measurement cases). A note under each table with the median
// error of that engine or trainer, and the table behind "How accurate is this?".
import { el } from './dom.js';
import { formatBytes, grouped } from './format.js';
import { choiceLabel } from './schema.js';

const pct = (x) => (100 * Math.abs(x)).toFixed(Math.abs(x) < 0.1 ? 1 : 0) + '%';
const signedPct = (x) => (x < 0 ? '−' : '+') + pct(x);

function band(acc, trainer, method) {
  const rows = acc.finetune || [];
  return rows.find((b) => b.trainer === trainer && b.method === method) || null;
}

/** Which runs a report's range comes from, in words: "Transformers Trainer + PEFT, LoRA" or "every trainer, LoRA". */
function basisWords(view, range) {
  const who = range.trainer === '*' ? 'every trainer' : choiceLabel(view.schema, 'trainer', range.trainer);
  return who + ', ' + methodWords(view.schema, range.method);
}

/** A method class of the accuracy table ("qlora" pools both widths) by the schema's label: "QLoRA". */
function methodWords(schema, cls) {
  if (cls === '*') return 'every method';
  const spec = schema.fields.method;
  const id = spec.values.find((v) => v === cls || v.startsWith(cls + '-'));
  return id ? spec.labels[id].replace(/ \d+-bit$/, '') : cls;
}

/** "12 published vLLM runs, median error 0.2%": the inference table's note. */
function inferenceNote(view, acc) {
  const row = (acc.inference || []).find((r) => r.engine === view.state.engine);
  if (!row) return 'No published measurement of ' + choiceLabel(view.schema, 'engine', view.state.engine) + ' to compare with yet.';
  return 'Compared with ' + grouped(row.n) + ' published measurements of ' + choiceLabel(view.schema, 'engine', row.engine) +
    ' (' + row.compared.join(', ').replace(/_/g, ' ') + '): median error ' + pct(row.medianAbs) + ', 9 in 10 within ' + pct(row.p90Abs) + '.';
}

/** The fine-tuning table's note: all runs, then the focused row's trainer and method. */
function finetuneNote(view, acc, focus) {
  const all = band(acc, '*', '*');
  if (!all) return '';
  let text = 'Compared with ' + grouped(all.n) + ' published training runs (PyTorch memory statistics and nvidia-smi): median error ' + pct(all.medianAbs) + '.';
  const range = focus && focus.report.range;
  if (range) text += ' For ' + focus.label + ', the range comes from ' + basisWords(view, range) + ': ' + grouped(range.cases) + ' runs, median error ' + pct(range.medianError) + '.';
  return text + ' Under each total: the range those runs imply (10th to 90th percentile).';
}

/** The notes under both tables, with a link that opens the accuracy table. */
export function renderAccuracyNotes(view, ftRows) {
  const acc = view.schema.accuracy;
  if (!acc) return;
  const focus = ftRows.find((r) => r.focus && r.report.ok) || ftRows.find((r) => r.report.ok);
  for (const [id, text] of [['inference-accuracy', inferenceNote(view, acc)], ['finetune-accuracy', finetuneNote(view, acc, focus)]]) {
    const p = view.$(id);
    p.replaceChildren(text + ' ');
    const a = el('a', 'How accurate is this?');
    a.href = '#';
    a.dataset.opens = 'accuracy';
    p.appendChild(a);
  }
}

/** A fine-tuning total's range ("84.1–99.0 GB") for the cell under it. */
export function rangeText(report, unit) {
  if (!report.range) return '';
  return formatBytes(report.range.lowBytes, unit).replace(/ \S+$/, '') + '–' + formatBytes(report.range.highBytes, unit);
}

/** The table behind the notes: every engine and every trainer and method measured. */
export function renderAccuracyTable(view) {
  const acc = view.schema.accuracy;
  const table = view.$('accuracy-table');
  if (!acc || !table) return;
  const body = table.tBodies[0];
  body.replaceChildren();
  const row = (cells) => { const tr = el('tr'); cells.forEach((c, i) => tr.appendChild(el(i ? 'td' : 'th', c))); body.appendChild(tr); };
  for (const r of acc.inference || [])
    row(['Inference, ' + choiceLabel(view.schema, 'engine', r.engine), grouped(r.n), pct(r.medianAbs), 'within ' + pct(r.p90Abs)]);
  for (const b of acc.finetune || []) {
    if (b.trainer === '*' && b.method !== '*') continue;
    const who = b.trainer === '*' ? 'all training runs' : basisWords(view, b);
    row(['Fine-tuning, ' + who, grouped(b.n), pct(b.medianAbs), signedPct(b.low) + ' to ' + signedPct(b.high)]);
  }
}

/** Links that open the accuracy table without touching the URL (the hash holds the state). */
export function wireAccuracyLinks(view) {
  view.root.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[data-opens]');
    if (!a) return;
    e.preventDefault();
    const details = view.$(a.dataset.opens);
    details.open = true;
    details.scrollIntoView({ block: 'start' });
  });
}
