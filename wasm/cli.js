#!/usr/bin/env node
// llmmem on the command line. The flags are generated from est.schema() (one
// per request field, kebab-case), the model comes from the first argument,
// and the same WebAssembly module as the page answers: the 16/8/4-bit
// inference rows of the engine or the four fine-tuning methods, each with its
// components, per-GPU total and a verdict for --gpu. Bad input exits 2 with a
// message naming the flag. Copied to dist/cli.js by wasm/package-dist.mjs.
'use strict';

const fs = require('fs');
const path = require('path');

const EXIT_USAGE = 2;
const LINE_WIDTH = 100;
const GB = 1e9;
const GIB = 1073741824;

/** Bad input from the user: printed as `llmmem: <message>`, exit 2. */
class UsageError extends Error {}

// --- the command line's own words (request fields come from the schema) ------

/** Flags that are not request fields. */
const CLI_FLAGS = {
  model: { value: 'ID|PATH', help: 'the model, as the first argument does' },
  params: { value: 'N', help: 'a parameter count only (7b, 70B, 1.5e9, 135m): the simple estimator' },
  json: { help: 'print the report of the request (the --weights row, default the 16-bit one; the --method row with --task finetune)' },
  request: { help: 'print the request as one line of JSON (before the report with --json)' },
  units: { value: 'gb|gib', help: 'GB = 10^9 bytes (default) or GiB = 2^30 bytes' },
  formulas: { help: "print each component's formula for the chosen row" },
  color: { help: 'colour even when the output is not a terminal (NO_COLOR or --no-color turn it off)' },
  help: { help: 'this text' },
  version: { help: 'the version of llmmem and of its schema' },
  'max-gpus': { value: 'N', help: 'llmmem plan: the most cards the plan may use (default 8)' },
};
const ALIASES = { context: 'seq-len', c: 'seq-len', e: 'engine', g: 'gpu', w: 'weights', t: 'task', b: 'batch', m: 'method', n: 'gpus', h: 'help', v: 'version', 'gpu-memory': 'gpu-memory-bytes' };
const BOOLEAN_WORDS = { true: true, yes: true, on: true, 1: true, false: false, no: false, off: false, 0: false };
const COLUMN_NAMES = { weights: 'Weights', kv_cache: 'KV cache', activations: 'Activations', gradients: 'Gradients', optimizer: 'Optimizer', overhead: 'Overhead' };
// The six components every report carries (the contract), in each table's order.
const TABLE_COMPONENTS = {
  inference: ['weights', 'kv_cache', 'activations', 'overhead', 'gradients', 'optimizer'],
  finetune: ['weights', 'gradients', 'optimizer', 'activations', 'overhead', 'kv_cache'],
};
const ALWAYS_SHOWN = { inference: 4, finetune: 5 };
const SUBCOMMANDS = ['list', 'gpus', 'formats', 'plan'];

// Integer fields as large as seqLen's bound count tokens (ubatch, maxModelLen...): the help names the k/M suffixes.
const isTokenField = (schema, spec) => spec.max >= schema.fields.seqLen.max;

const kebab = (name) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** Edit distance, for "did you mean". */
function distance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The closest of names to word, or null when none is close. */
function closest(word, names) {
  let best = null;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = name.startsWith(word) || word.startsWith(name) ? Math.abs(name.length - word.length) / 2 : distance(word, name);
    if (d < bestDistance) { best = name; bestDistance = d; }
  }
  return bestDistance <= Math.max(2, word.length / 3) ? best : null;
}

// --- values ------------------------------------------------------------------

/** 8k, 32K, 128k, 1M, 4096: token counts (k = 1,024, as context windows count: 128k = 131,072). */
function parseCount(text) {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmM]?)$/.exec(text.replace(/_/g, ''));
  if (!m) return text;
  const scale = { '': 1, k: 1024, K: 1024, m: 1048576, M: 1048576 }[m[2]];
  return Number(m[1]) * scale;
}

/** 7b, 70B, 1.5e9, 135m, 1.2t: parameter counts (decimal, as model names count). */
function parseParams(text) {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmMbBtT]?)$/.exec(text.replace(/_/g, ''));
  if (!m) return text;
  const scale = { '': 1, k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[m[2].toLowerCase()];
  return Math.round(Number(m[1]) * scale);
}

/** 24GB, 80GiB, 512MiB, 25769803776: a card's memory. */
function parseBytes(text) {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*([kKmMgGtT]i?[bB]?)?$/.exec(text.replace(/_/g, ''));
  if (!m) return text;
  const unit = (m[2] || '').toLowerCase().replace(/b$/, '');
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 1024, mi: 1048576, gi: GIB, ti: GIB * 1024 }[unit];
  return Math.round(Number(m[1]) * scale);
}

/** Converts a flag's text to the request value its schema type takes; the core validates it. */
function convert(text, field, spec) {
  if (spec.type === 'integer') return field.endsWith('Bytes') ? parseBytes(text) : parseCount(text);
  if (spec.type === 'number') return text.trim() !== '' && isFinite(Number(text)) ? Number(text) : text;
  if (spec.type === 'boolean') return Object.prototype.hasOwnProperty.call(BOOLEAN_WORDS, text.toLowerCase()) ? BOOLEAN_WORDS[text.toLowerCase()] : text;
  if (spec.type === 'modules') return (spec.values || []).includes(text) ? text : text.split(',').map((s) => s.trim()).filter(Boolean);
  return text;
}

// --- flags -------------------------------------------------------------------

/** --kebab-name -> {field, spec} for every request field of the schema (the model excepted). */
function fieldFlags(schema) {
  const flags = new Map();
  for (const field of schema.fieldOrder) {
    const spec = schema.fields[field];
    if (spec && spec.type !== 'model') flags.set(kebab(field), { field, spec });
  }
  return flags;
}

function allFlagNames(flags) {
  return [...flags.keys(), ...Object.keys(CLI_FLAGS), ...Object.keys(ALIASES).filter((a) => a.length > 1), 'no-color'];
}

function unknownFlag(arg, flags) {
  const name = arg.replace(/^-+/, '').split('=')[0];
  const guess = closest(name, allFlagNames(flags));
  return new UsageError(`unknown flag ${arg.split('=')[0]}` + (guess ? `; did you mean --${guess}?` : ' (llmmem --help lists the flags)'));
}

/** Reads a flag's value: --flag=value, or the next argument. */
function takeValue(argv, state, spelled, inline, hint) {
  if (inline !== undefined) return inline;
  const next = argv[state.i + 1];
  if (next === undefined || (next.startsWith('-') && !/^-\d/.test(next))) throw new UsageError(`${spelled} needs a value${hint ? ' (' + hint + ')' : ''}`);
  state.i++;
  return next;
}

function valueHint(spec) {
  if (spec.type === 'enum' && spec.values.length <= 12) return spec.values.join(', ');
  if (spec.type === 'enum') return 'llmmem formats lists them';
  if (spec.type === 'gpu') return 'llmmem gpus lists them';
  return spec.type;
}

/** argv -> {positionals, fields: {field: value}, spelled: {field: '--flag'}, options: {json, units, ...}}. */
function parseArgs(argv, flags) {
  const out = { positionals: [], fields: {}, spelled: {}, options: {} };
  const state = { i: 0 };
  for (; state.i < argv.length; state.i++) {
    const arg = argv[state.i];
    if (arg === '--') { out.positionals.push(...argv.slice(state.i + 1)); break; }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      if (out.positionals.length && state.lastBoolean === argv[state.i - 1]) {
        throw new UsageError(`${state.lastBoolean} takes true or false (got "${arg}"), or nothing for true`);
      }
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const raw = (eq < 0 ? arg : arg.slice(0, eq)).replace(/^--?/, '');
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const spelled = eq < 0 ? arg : arg.slice(0, eq);
    if (raw === 'no-color') { out.options.color = false; continue; }
    const name = ALIASES[raw] || raw;
    if (arg.startsWith('--') !== (raw.length > 1)) throw unknownFlag(arg, flags);
    if (flags.has(name)) readField(argv, state, out, flags.get(name), spelled, inline);
    else if (name.startsWith('no-') && flags.has(name.slice(3)) && flags.get(name.slice(3)).spec.type === 'boolean' && inline === undefined) {
      const { field } = flags.get(name.slice(3));
      out.fields[field] = false;
      out.spelled[field] = spelled;
    } else if (CLI_FLAGS[name]) {
      out.options[name] = CLI_FLAGS[name].value ? takeValue(argv, state, spelled, inline, CLI_FLAGS[name].value) : true;
      if (name === 'model' || name === 'params') out.spelled[name] = spelled;
    } else throw unknownFlag(arg, flags);
  }
  return out;
}

function readField(argv, state, out, flag, spelled, inline) {
  const { field, spec } = flag;
  let text = inline;
  if (spec.type === 'boolean' && text === undefined) {
    const next = argv[state.i + 1];
    const isWord = next !== undefined && Object.prototype.hasOwnProperty.call(BOOLEAN_WORDS, next.toLowerCase());
    text = isWord ? argv[++state.i] : 'true';
    state.lastBoolean = isWord ? undefined : spelled;
  }
  if (text === undefined) text = takeValue(argv, state, spelled, undefined, valueHint(spec));
  out.fields[field] = convert(text, field, spec);
  out.spelled[field] = spelled;
}

// --- the model and the card -------------------------------------------------

const normal = (s) => String(s).toLowerCase().replace(/[\s_-]+/g, '');

function shortGpuName(name) {
  return String(name).replace(/^NVIDIA (GeForce |Tesla )?/, '').replace(/^AMD (Instinct |Radeon )?/, '').replace(/^Intel /, '');
}

/** The first argument: a file or folder with config.json, a preset id, or a preset's hfId (a .gguf: ggufModel). */
function resolveModel(text, presets) {
  if (fs.existsSync(text)) return configModel(text);
  const wanted = text.toLowerCase().replace(/^(https?:\/\/)?(www\.)?(huggingface\.co|hf\.co)\//, '').replace(/\/+$/, '');
  const preset = presets.find((p) => p.id.toLowerCase() === wanted) || presets.find((p) => (p.hfId || '').toLowerCase() === wanted);
  if (preset) return { model: { preset: preset.id }, kind: 'preset', label: preset.name + ' (' + preset.id + ')' };
  const guess = closest(wanted, presets.flatMap((p) => [p.id, (p.hfId || '').toLowerCase()]).filter(Boolean));
  const guessId = guess && (presets.find((p) => p.id === guess || (p.hfId || '').toLowerCase() === guess) || {}).id;
  const hint = guessId ? `; did you mean ${guessId}?` : '; llmmem list shows the presets';
  const fileHint = wanted.includes('/') ? ' (for another Hugging Face model, download its config.json and give its path)' : '';
  throw new UsageError(`"${text}" is not a preset id, the Hugging Face id of one, or a file${hint}${fileHint}`);
}

/**
 * A .gguf: its header alone, read in growing slices as est.readModelFile asks
 * (a 40 GB file costs a few MB); the model is its metadata's config, and the
 * file's engine, type and exact tensor bytes are the request's defaults.
 */
function ggufModel(file, est) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e.code || e.message}`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    let n = Math.min(size, 1 << 20);
    for (let i = 0; i < 40; i++) {
      const bytes = new Uint8Array(n);
      fs.readSync(fd, bytes, 0, n, 0);
      const info = est.readModelFile(bytes, path.basename(file), size);
      if (info.ok) {
        const { model, ...fields } = info.request;
        return { model, fields, kind: 'gguf', file, label: `${file} (${info.architecture}, ${info.fileType || 'GGUF'}, ${info.weightsBytes.toLocaleString('en-US')} bytes of tensors)` };
      }
      if (!info.needBytes) throw new UsageError(`${file}: ${info.errors.map((e) => e.message).join('; ')}`);
      const next = Math.min(size, Math.max(info.needBytes, 2 * n));
      if (next <= n) break;
      n = next;
    }
    throw new UsageError(`${file}: the file ends before its GGUF header does`);
  } finally {
    fs.closeSync(fd);
  }
}

/** A file's request fields under the command line's own; its exact bytes only for its own format. */
function withFileFields(source, fields) {
  if (!source.fields) return fields;
  const merged = { ...source.fields, ...fields };
  if (merged.weights !== source.fields.weights && fields.weightsBytes === undefined) delete merged.weightsBytes;
  return merged;
}

function configModel(file) {
  const target = fs.statSync(file).isDirectory() ? path.join(file, 'config.json') : file;
  let text;
  try {
    text = fs.readFileSync(target, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${target}: ${e.code || e.message}`);
  }
  let modelType = null;
  try {
    modelType = JSON.parse(text).model_type;
  } catch (e) { /* the core names what is wrong with the file */ }
  return { model: { configJson: text }, kind: 'config', file: target, label: target + (typeof modelType === 'string' ? ` (${modelType})` : '') };
}

/** --gpu: a catalog id, or a name or unique part of one (4090, "H100 SXM"), resolved to the id; else left to the core. */
function resolveGpu(value, gpus, spelled) {
  if (typeof value !== 'string' || gpus.some((g) => g.id === value)) return value;
  const wanted = normal(value);
  const exact = gpus.filter((g) => [g.id, g.name, shortGpuName(g.name)].some((n) => normal(n) === wanted));
  if (exact.length === 1) return exact[0].id;
  const partial = gpus.filter((g) => normal(g.id).includes(wanted) || normal(g.name).includes(wanted));
  if (partial.length === 1) return partial[0].id;
  if (partial.length > 1) throw new UsageError(`${spelled} "${value}" matches several cards: ${partial.map((g) => g.id).join(', ')}`);
  return value;
}

/** The card the verdicts are for: --gpu from the catalog, or --gpu-memory-bytes. */
function chosenCard(request, gpus, units) {
  const g = gpus.find((x) => x.id === request.gpu);
  if (g) return { name: shortGpuName(g.name), fullName: g.name, usableBytes: g.usableBytes };
  if (typeof request.gpuMemoryBytes === 'number') {
    const name = formatSize(request.gpuMemoryBytes, units) + ' card';
    return { name, fullName: name, usableBytes: request.gpuMemoryBytes };
  }
  return null;
}

// --- requests ----------------------------------------------------------------

function buildRequest(model, fields, schema) {
  const request = { model };
  for (const field of schema.fieldOrder) if (Object.prototype.hasOwnProperty.call(fields, field)) request[field] = fields[field];
  return request;
}

/** The request with one field set, the fields in the schema's order. */
const withField = (request, field, value, schema) => buildRequest(request.model, { ...request, [field]: value }, schema);
const fieldDefault = (schema, field) => schema.fields[field] && schema.fields[field].default;
const taskOf = (request, schema) => request.task || fieldDefault(schema, 'task');

function bitsLabel(schema, format) {
  const w = schema.weights.find((x) => x.id === format);
  return w ? Math.round(w.bits) + '-bit' : format;
}

/** The rows of the table for the task, each with its request; focus: the one --json prints. */
function tableRows(base, schema) {
  if (taskOf(base, schema) === 'finetune') {
    const chosen = base.method || fieldDefault(schema, 'method');
    return schema.fields.method.values.map((method) => ({
      label: schema.fields.method.labels[method] || method, request: withField(base, 'method', method, schema), focus: method === chosen,
    }));
  }
  const engine = schema.engines.find((e) => e.id === (base.engine || fieldDefault(schema, 'engine')));
  if (!engine) return [{ label: '', request: base, focus: true }];
  const formats = engine.rows.slice();
  const chosen = base.weights || formats[0];
  if (!formats.includes(chosen)) formats.push(chosen);
  const bits = (f) => (schema.weights.find((x) => x.id === f) || { bits: 0 }).bits;
  formats.sort((a, b) => bits(b) - bits(a));
  // A file's exact bytes (weightsBytes) belong to its own format's row only.
  const rowRequest = (weights) => {
    const r = withField(base, 'weights', weights, schema);
    if (weights !== chosen) delete r.weightsBytes;
    return r;
  };
  return formats.map((weights) => ({
    label: bitsLabel(schema, weights), format: weights, request: rowRequest(weights), focus: weights === chosen,
  }));
}

/**
 * "fits on 1 × RTX 4090", or what would make it fit, from the core's verdict
 * (report.fit) and plan: "needs 2 × RTX 4090", "fits on 1 × RTX 4090 with
 * maxModelLen 40,960", as the page says it.
 */
function verdictFor(est, row, card) {
  const report = row.report;
  if (!card || !report.ok) return null;
  const gpus = row.request.gpus || 1;
  const name = shortGpuName(card.name);
  if (report.fit ? report.fit.ok : report.totalBytes <= card.usableBytes) return { fits: true, count: gpus, text: `fits on ${gpus} × ${name}` };
  const plan = est.plan(row.request, { maxGpus: 8 });
  if (!plan.ok) return { fits: false, count: null, text: `does not fit on up to 8 × ${name}`, short: 'does not fit' };
  const other = Object.keys(plan.changes).filter((k) => !['gpus', 'tensorParallel', 'zeroStage'].includes(k));
  const withWhat = plan.summary.indexOf(' with ');
  const text = other.length ? `fits on ${plan.gpus} × ${name}${plan.summary.slice(withWhat)}` : `needs ${plan.gpus} × ${name}`;
  // A plan with more than cards does not shorten: the table then lists verdicts below it.
  return { fits: false, count: plan.gpus, text, short: other.length ? null : `needs ${plan.gpus}` };
}

// --- errors ------------------------------------------------------------------

/** A core error with the flag the user typed in place of the field's name. */
function flagMessage(error, context) {
  const field = String(error.field || '');
  const message = String(error.message || '');
  const head = field.split(/[.[]/)[0];
  let name;
  if (head === 'model') {
    if (context.modelKind === 'config') {
      const inner = field.replace(/^model\.(configJson|config)\.?/, '');
      return context.modelFile + (inner ? ': ' + message : message.replace(/^(model\.)?(configJson|config)\b/, ''));
    }
    name = context.modelKind === 'params' ? context.spelled.params || '--params' : `model "${context.modelText}"`;
  } else {
    name = context.spelled[head] || (context.flags.has(kebab(head)) ? '--' + kebab(head) : field);
  }
  for (const prefix of [field, head]) if (prefix && message.startsWith(prefix + ' ')) return name + message.slice(prefix.length);
  return `${name}: ${message}`;
}

// --- text --------------------------------------------------------------------

function formatSize(bytes, units) {
  return units === 'gib' ? Number((bytes / GIB).toFixed(2)) + ' GiB' : Number((bytes / GB).toFixed(2)) + ' GB';
}

function formatCell(bytes, units) {
  if (typeof bytes !== 'number' || !isFinite(bytes)) return '–';
  if (bytes === 0) return '–';
  return (bytes / (units === 'gib' ? GIB : GB)).toFixed(2);
}

function formatCount(n) {
  if (n >= 1e12) return Number((n / 1e12).toFixed(2)) + ' T';
  if (n >= 1e9) return Number((n / 1e9).toFixed(2)) + ' B';
  if (n >= 1e6) return Number((n / 1e6).toFixed(1)) + ' M';
  return n.toLocaleString('en-US');
}

const thousands = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));

function styler(enabled) {
  const wrap = (open, close) => (s) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), plain: (s) => s };
}

const visible = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Word-wraps text to the line width: the first line starts with prefix, the others with indent. */
function wrap(text, indent, prefix) {
  const lines = [];
  let line = prefix;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && visible(line).length + 1 + word.length > LINE_WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * Aligned columns: columns [{head, right}], rows of cells {text, style}.
 * Returns the lines; the widest is measured without colour codes.
 */
function layout(columns, rows, style) {
  const widths = columns.map((c, i) => Math.max(c.head.length, ...rows.map((r) => r[i].text.length)));
  const pad = (text, i) => (columns[i].right ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const head = columns.map((c, i) => pad(c.head, i)).join('  ').trimEnd();
  const body = rows.map((r) => r.map((cell, i) => (cell.style || style.plain)(pad(cell.text, i))).join('  ').trimEnd());
  return [style.bold(head), ...body];
}


// --- the estimate ------------------------------------------------------------

const componentBytes = (report, id) => (report.components.find((c) => c.id === id) || { bytes: 0 }).bytes;
const componentName = (id) => COLUMN_NAMES[id] || id.charAt(0).toUpperCase() + id.slice(1).replace(/_/g, ' ');

/** The table's own component columns, any other of the six that is not zero somewhere, and the ids summed into Others. */
function componentColumns(task, rows) {
  const ids = TABLE_COMPONENTS[task];
  const ordered = rows.filter((r) => r.focus).concat(rows.filter((r) => !r.focus));
  const reports = ordered.filter((r) => r.report.ok).map((r) => r.report);
  const shown = ids.filter((id, i) => i < ALWAYS_SHOWN[task] || reports.some((rep) => componentBytes(rep, id) > 0));
  const others = [];
  for (const rep of reports) {
    for (const c of rep.components) if (!shown.includes(c.id) && c.bytes > 0 && !others.includes(c.id)) others.push(c.id);
  }
  return { shown, others };
}

const VERDICT_SHORT = (v) => (v.fits ? `fits on ${v.count}` : v.short);

/** The table's lines with the verdicts in a column ('full' or 'short', the card in the heading) or none. */
function tableLines(rows, view, verdictMode) {
  const { task, card, units, style } = view;
  const { shown, others } = componentColumns(task, rows);
  const columns = [{ head: task === 'finetune' ? 'Method' : 'Row' }];
  if (task !== 'finetune') columns.push({ head: 'Format' });
  for (const id of shown) columns.push({ head: componentName(id), right: true });
  if (others.length) columns.push({ head: 'Others', right: true });
  columns.push({ head: 'Per GPU', right: true });
  const withVerdict = card && verdictMode !== 'none';
  if (withVerdict) columns.push({ head: verdictMode === 'short' ? card.name : 'Verdict' });
  const cells = rows.map((row) => {
    const rep = row.report;
    const bytes = (id) => ({ text: rep.ok ? formatCell(componentBytes(rep, id), units) : '–' });
    const line = [{ text: row.label }];
    if (task !== 'finetune') line.push({ text: row.format || '' });
    for (const id of shown) line.push(bytes(id));
    if (others.length) {
      const sum = rep.ok ? others.reduce((s, id) => s + componentBytes(rep, id), 0) : NaN;
      line.push({ text: formatCell(sum, units) });
    }
    line.push({ text: rep.ok ? formatCell(rep.totalBytes, units) : '–', style: style.bold });
    if (withVerdict) {
      const v = row.verdict;
      const text = !rep.ok ? 'error (below)' : verdictMode === 'short' ? VERDICT_SHORT(v) : v.text;
      line.push({ text, style: !rep.ok ? style.red : v.fits ? style.green : style.red });
    }
    return line;
  });
  return { lines: layout(columns, cells, style), others };
}

/** The table at most LINE_WIDTH wide: verdicts in full, then short, then on lines of their own. */
function fittedTable(rows, view) {
  for (const mode of ['full', 'short']) {
    if (mode === 'short' && rows.some((r) => r.verdict && r.verdict.short === null)) continue;
    const table = tableLines(rows, view, mode);
    if (!view.card || table.lines.every((l) => visible(l).length <= LINE_WIDTH)) return table;
  }
  const table = tableLines(rows, view, 'none');
  const width = Math.max(...rows.map((r) => r.label.length));
  table.lines.push('');
  for (const row of rows) {
    if (row.report.ok) table.lines.push(`${row.label.padEnd(width)}  ${(row.verdict.fits ? view.style.green : view.style.red)(row.verdict.text)}`);
  }
  return table;
}

function headerLines(base, focus, view, schema) {
  const { card, units, style, modelLabel, modelKind } = view;
  const value = (f) => (base[f] !== undefined ? base[f] : fieldDefault(schema, f));
  const p = focus.report.params;
  let model = modelKind === 'params' ? `${formatCount(p.total)} parameters` : `${modelLabel}: ${formatCount(p.total)} parameters`;
  if (p.active && p.active !== p.total) model += `, ${formatCount(p.active)} active`;
  if (p.checkpoint > p.total) model += ` (${formatCount(p.checkpoint)} in the checkpoint with its multi-token-prediction layers)`;
  if (focus.report.estimator === 'simple') model += ' (simple estimator)';
  const gpus = value('gpus') > 1 ? `, ${value('gpus')} GPUs` : '';
  const tensorParallel = value('tensorParallel') > 1 ? ` (tensor parallel ${value('tensorParallel')})` : '';
  const work = view.task === 'finetune'
    ? `Fine-tuning with ${value('optimizer')}: ${thousands(value('seqLen'))} tokens × micro-batch ${value('batch')}, ` +
      `gradient checkpointing ${value('gradientCheckpointing') ? 'on' : 'off'}${value('zeroStage') ? ', ZeRO ' + value('zeroStage') : ''}${gpus}`
    : `Inference on ${value('engine')}: ${thousands(value('seqLen'))} tokens × batch ${value('batch')}${gpus}${tensorParallel}`;
  const unit = units === 'gib' ? 'GiB (2^30 bytes)' : 'GB (10^9 bytes)';
  const lines = [style.bold(model), work];
  if (card) lines.push(`${card.fullName}: ${formatSize(card.usableBytes, units)} usable`);
  lines.push(style.dim(`Per GPU, in ${unit}`), '');
  return lines;
}

/** Notes under the table: what Others holds, the settings assumed, the warnings (tagged when not every row has them), row errors. */
function noteLines(rows, focus, view, others) {
  const { style } = view;
  const lines = [];
  const paragraph = (label, text) => lines.push(...wrap(text, '  ', style.dim(label) + ' '));
  const bullet = (text) => lines.push(...wrap(text, '    ', '  - '));
  if (others.length) paragraph('Others:', others.map((id) => componentName(id).toLowerCase()).join(', ') + ' (--formulas shows each).');
  const settings = focus.report.settings || {};
  const keys = Object.keys(settings);
  if (keys.length) paragraph(`Settings assumed (${rowName(focus)}):`, keys.map((k) => `${k} ${settings[k]}`).join('; ') + '.');
  const seen = new Map();
  for (const row of rows) for (const w of (row.report.ok && row.report.warnings) || []) seen.set(w, (seen.get(w) || []).concat(row.label));
  const problems = [];
  if (focus.report.fit && !focus.report.fit.ok) for (const r of focus.report.fit.reasons || []) problems.push(`${rowName(focus)} does not fit: ${r.message}`);
  for (const row of rows) if (!row.report.ok) for (const e of row.report.errors) problems.push(`${rowName(row)}: ${flagMessage(e, view.context)}`);
  if (seen.size || problems.length) lines.push(style.dim('Notes:'));
  for (const p of problems) bullet(style.red(p));
  for (const [warning, labels] of seen) bullet((labels.length === rows.length ? '' : labels.join(', ') + ': ') + warning);
  return lines;
}

const rowName = (row) => (row.format ? `${row.label} ${row.format}` : row.label);

function formulaLines(focus, view) {
  const lines = ['', view.style.bold(`Formulas (${rowName(focus)})`)];
  const width = Math.max(...focus.report.components.map((c) => componentName(c.id).length));
  for (const c of focus.report.components) {
    lines.push(...wrap(c.formula || '', ' '.repeat(width + 4), '  ' + componentName(c.id).padEnd(width + 2)));
  }
  return lines;
}

/** Estimates every row of the table, adds the verdicts; returns the text. */
function estimateText(est, base, rows, focus, view, schema) {
  for (const row of rows) {
    row.report = row === focus ? focus.report : est.estimate(row.request);
    row.verdict = verdictFor(est, row, view.card);
  }
  const table = fittedTable(rows, view);
  const lines = [...headerLines(base, focus, view, schema), ...table.lines];
  const notes = noteLines(rows, focus, view, table.others);
  if (notes.length) lines.push('', ...notes);
  if (view.formulas) lines.push(...formulaLines(focus, view));
  return lines.join('\n') + '\n';
}

// --- list, gpus, formats -----------------------------------------------------

/** Every word matches the name, family, id or size; a size (8b, 0.5b, 135m) only at the start of a number. */
function matchesWords(words, p) {
  const hay = [p.id, p.name, p.family, p.hfId, p.modelType, formatCount(p.params).replace(' ', '')].join(' ').toLowerCase();
  return words.map((w) => w.toLowerCase()).every((w) => {
    if (!/^[0-9.]+[bm]$/.test(w)) return hay.includes(w);
    return new RegExp('(^|[^0-9.])' + w.replace(/\./g, '\\.')).test(hay);
  });
}

function listPresets(est, words, options, style) {
  const presets = est.presets().filter((p) => matchesWords(words, p));
  if (options.json) return JSON.stringify(presets) + '\n';
  const columns = [{ head: 'Id' }, { head: 'Params', right: true }, { head: 'Active', right: true }, { head: 'Context', right: true }, { head: 'Hugging Face id' }];
  const rows = presets.map((p) => [
    { text: p.id }, { text: formatCount(p.params) }, { text: p.activeParams !== p.params ? formatCount(p.activeParams) : '' },
    { text: p.maxContext ? thousands(p.maxContext) : '' }, { text: p.hfId || '' },
  ]);
  return layout(columns, rows, style).join('\n') + '\n';
}

function listGpus(est, options, style) {
  const gpus = est.gpus();
  if (options.json) return JSON.stringify(gpus) + '\n';
  const units = options.units;
  const columns = [{ head: 'Id' }, { head: 'Name' }, { head: 'Memory', right: true }, { head: 'Usable', right: true }];
  const rows = gpus.map((g) => [{ text: g.id }, { text: shortGpuName(g.name) }, { text: formatSize(g.memoryBytes, units) }, { text: formatSize(g.usableBytes, units) }]);
  return layout(columns, rows, style).join('\n') + '\n';
}

function listFormats(schema, options, style) {
  if (options.json) return JSON.stringify({ engines: schema.engines, weights: schema.weights, kvCache: schema.kvCache }) + '\n';
  const lines = [];
  for (const engine of schema.engines) {
    lines.push(style.bold(engine.id));
    lines.push(...wrap(engine.rows.map((w, i) => `${bitsLabel(schema, w)} ${w}`).join(', '), '                ', '  table rows:   '));
    lines.push(...wrap(engine.weights.join(' '), '                ', '  --weights     '));
    lines.push(...wrap(engine.kvCache.join(' '), '                ', '  --kv-cache    '), '');
  }
  return lines.join('\n');
}

// --- help ----------------------------------------------------------------------

function describeField(field, spec, schema) {
  const parts = [];
  if (spec.type === 'enum') parts.push(spec.values.length <= 12 ? spec.values.join(', ') : `one of ${spec.values.length} formats (llmmem formats)`);
  else if (spec.type === 'integer' && field.endsWith('Bytes')) parts.push('bytes: 25769803776, 24GB, 80GiB');
  else if (spec.type === 'integer' && spec.max < 1000) parts.push(`whole number ${spec.min} to ${spec.max}`);
  else if (spec.type === 'integer') parts.push(`whole number ≥ ${spec.min}` + (isTokenField(schema, spec) ? ' (8k, 32K, 128k = 131,072, 1M)' : ''));
  else if (spec.type === 'number') parts.push(`number${spec.minExclusive !== undefined ? ' > ' + spec.minExclusive : ''}${spec.max !== undefined ? ', ≤ ' + spec.max : ''}`);
  else if (spec.type === 'boolean') parts.push('true/false (the flag alone: true)');
  else if (spec.type === 'modules') parts.push(`${(spec.values || []).concat('module names, comma-separated').join(' or ')}`);
  else if (spec.type === 'gpu') parts.push('a card id or name (llmmem gpus)');
  else parts.push(spec.type);
  const shownDefault = Array.isArray(spec.default) ? (spec.default.length ? spec.default.join(',') : null) : spec.default;
  if (shownDefault !== null && shownDefault !== undefined) parts.push(`default ${shownDefault}`);
  else if (spec.appliesTo) parts.push(spec.appliesTo.includes('finetune') ? 'default: per method' : "default: the engine's");
  return parts.join('; ');
}

function flagUsage(flag, spec) {
  const aliases = Object.keys(ALIASES).filter((a) => ALIASES[a] === flag).map((a) => (a.length > 1 ? '--' : '-') + a);
  const value = spec.type === 'boolean' ? '' : ' V';
  return [`--${flag}`, ...aliases].join(', ') + value;
}

function helpText(schema, version) {
  const lines = [
    `llmmem ${version}: the GPU memory an LLM needs, to serve it or to fine-tune it`,
    '',
    'Usage',
    "  llmmem <model> [flags]   the inference table: the engine's 16-bit, 8-bit and 4-bit rows",
    '                           (--task finetune: the Full, LoRA, QLoRA 8-bit and QLoRA 4-bit rows)',
    '  llmmem list [words]      the built-in models (llmmem list qwen 7b)',
    '  llmmem gpus              the GPU catalog, with the memory each driver reports',
    '  llmmem formats           each engine\'s weight formats and KV-cache types',
    '',
    ...wrap('<model> is a preset id (llama-3.1-8b), the Hugging Face id of a preset (meta-llama/Llama-3.1-8B), or a config.json (or the folder that holds it). --params 7b instead estimates from a parameter count alone.', '', ''),
    '',
    'Examples',
    '  llmmem llama-3.1-8b --engine vllm --gpu rtx-4090 --context 32k',
    '  llmmem ./config.json --task finetune --method qlora-4bit --gpu a100-sxm-80gb',
    '  llmmem --params 7b --task finetune',
    '  llmmem qwen2.5-7b --engine llama.cpp --weights q5_k_m --kv-cache q8_0 --context 128k',
    '  llmmem llama-3.1-70b --engine vllm --gpus 4 --tensor-parallel 4 --gpu h100-sxm-80gb --json',
    '  llmmem plan llama-3.1-70b --task finetune --gpu h100-sxm-80gb --max-gpus 8',
    '',
  ];
  const groups = new Map([['Request', []]]);
  for (const field of schema.fieldOrder) {
    const spec = schema.fields[field];
    if (!spec || spec.type === 'model') continue;
    const group = spec.appliesTo ? 'Only for ' + spec.appliesTo.join(', ') : 'Request';
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push([flagUsage(kebab(field), spec), describeField(field, spec, schema)]);
  }
  groups.get('Request').unshift(['--params V', CLI_FLAGS.params.help]);
  groups.set('Output', Object.keys(CLI_FLAGS).filter((f) => !['model', 'params'].includes(f)).map((f) => {
    const aliases = Object.keys(ALIASES).filter((a) => ALIASES[a] === f).map((a) => '-' + a);
    return [[`--${f}`, ...aliases].join(', ') + (CLI_FLAGS[f].value ? ' ' + CLI_FLAGS[f].value : ''), CLI_FLAGS[f].help];
  }));
  const width = 32;
  for (const [group, entries] of groups) {
    lines.push(group + (group === 'Request' ? ' (every field of the estimator\'s schema; a boolean also takes --no-<flag>)' : ''));
    for (const [usage, text] of entries) {
      const first = ('  ' + usage).padEnd(width);
      lines.push(...(first.length > width ? ['  ' + usage, ...wrap(text, ' '.repeat(width), ' '.repeat(width))] : wrap(text, ' '.repeat(width), first)));
    }
    lines.push('');
  }
  lines.push(...wrap('Bad input exits with status 2 and a message naming the flag. Sizes are per GPU. ' +
    'A .gguf file as the model is read from its header alone (its metadata, type and exact tensor bytes).', '', ''));
  return lines.join('\n') + '\n';
}

function packageVersion() {
  for (const file of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, 'package.json')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name === 'llmmem') return pkg.version;
    } catch (e) { /* next */ }
  }
  return 'unknown';
}

// --- main ----------------------------------------------------------------------

function loadFactory() {
  for (const file of [path.join(__dirname, 'llmmem.js'), path.join(__dirname, '..', 'dist', 'llmmem.js')]) {
    if (fs.existsSync(file)) return require(file);
  }
  throw new Error('llmmem.js is missing next to cli.js (make dist builds it)');
}

/** The one model of the command: the first argument, --model or --params. */
function modelOf(args, est) {
  const given = [args.positionals[0], args.options.model, args.options.params].filter((x) => x !== undefined);
  if (args.positionals.length > 1) throw new UsageError(`unexpected argument "${args.positionals[1]}" (one model at a time)`);
  if (given.length > 1) throw new UsageError('give one model: the first argument, --model or --params');
  if (!given.length) throw new UsageError('no model: give a preset id, a Hugging Face id or a config.json path, or --params (llmmem --help)');
  if (args.options.params !== undefined) {
    return { model: { params: parseParams(args.options.params) }, kind: 'params', label: '', text: args.options.params };
  }
  const text = given[0];
  if (/\.gguf$/i.test(text)) return { ...ggufModel(text, est), text };
  return { ...resolveModel(text, est.presets()), text };
}

/**
 * One command line against a started module: {code, stdout, stderr}, nothing
 * printed (the tests call it in-process). terminal: {env, isTTY} of the output.
 */
function run(est, argv, terminal = { env: process.env, isTTY: Boolean(process.stdout.isTTY) }) {
  try {
    return { code: 0, stderr: '', ...command(est, argv, terminal) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return { code: EXIT_USAGE, stdout: '', stderr: `llmmem: ${e.message}\n` };
  }
}

function command(est, argv, terminal) {
  const schema = est.schema();
  const flags = fieldFlags(schema);
  const args = parseArgs(argv, flags);
  const options = args.options;
  const noColor = terminal.env.NO_COLOR !== undefined && terminal.env.NO_COLOR !== '';
  const style = styler(options.color !== undefined ? options.color : terminal.isTTY && !noColor);
  if (options.help) return { stdout: helpText(schema, packageVersion()) };
  if (options.version) return { stdout: `llmmem ${packageVersion()} (schema ${schema.version})\n` };
  options.units = options.units === undefined ? 'gb' : String(options.units).toLowerCase();
  if (!['gb', 'gib'].includes(options.units)) throw new UsageError(`--units must be gb or gib (got "${options.units}")`);
  const sub = args.positionals[0];
  if (sub === 'plan' && !fs.existsSync(sub)) return planCommand(est, schema, args);
  if (SUBCOMMANDS.includes(sub) && !fs.existsSync(sub)) return { stdout: runSubcommand(est, schema, sub, args, style) };
  const source = modelOf(args, est);
  if (args.fields.gpu !== undefined) args.fields.gpu = resolveGpu(args.fields.gpu, est.gpus(), args.spelled.gpu);
  const base = buildRequest(source.model, withFileFields(source, args.fields), schema);
  const rows = tableRows(base, schema);
  const focus = rows.find((r) => r.focus);
  focus.report = est.estimate(focus.request);
  const context = { flags, spelled: args.spelled, modelKind: source.kind, modelFile: source.file, modelText: source.text };
  let stdout = '';
  if (options.request) stdout += JSON.stringify(focus.request) + '\n';
  if (options.json) stdout += JSON.stringify(focus.report) + '\n';
  if (!focus.report.ok) return { code: EXIT_USAGE, stdout, stderr: errorText(focus.report.errors.map((e) => flagMessage(e, context)), base, est) };
  if (options.json || options.request) return { stdout };
  const view = {
    task: taskOf(base, schema) === 'finetune' ? 'finetune' : 'inference', card: chosenCard(base, est.gpus(), options.units),
    units: options.units, style, modelLabel: source.label, modelKind: source.kind, formulas: options.formulas, context,
  };
  return { stdout: estimateText(est, base, rows, focus, view, schema) };
}

/**
 * llmmem plan MODEL --gpu CARD [--max-gpus N] [request flags]: the core's plan
 * (the cheapest change that makes the request fit), in words or as --json.
 */
function planCommand(est, schema, args) {
  args.positionals.shift();
  const source = modelOf(args, est);
  if (args.fields.gpu !== undefined) args.fields.gpu = resolveGpu(args.fields.gpu, est.gpus(), args.spelled.gpu);
  if (args.fields.gpu === undefined && args.fields.gpuMemoryBytes === undefined)
    throw new UsageError('llmmem plan needs a card: --gpu <id or name> or --gpu-memory-bytes <size>');
  const maxGpus = args.options['max-gpus'] === undefined ? 8 : Number(args.options['max-gpus']);
  if (!Number.isInteger(maxGpus) || maxGpus < 1 || maxGpus > schema.fields.gpus.max)
    throw new UsageError(`--max-gpus must be a whole number from 1 to ${schema.fields.gpus.max} (got "${args.options['max-gpus']}")`);
  const request = buildRequest(source.model, withFileFields(source, args.fields), schema);
  const plan = est.plan(request, { maxGpus });
  const context = { flags: fieldFlags(schema), spelled: args.spelled, modelKind: source.kind, modelFile: source.file, modelText: source.text };
  if (plan.errors) return { code: EXIT_USAGE, stdout: '', stderr: errorText(plan.errors.map((e) => flagMessage(e, context)), request, est) };
  if (args.options.json) return { stdout: JSON.stringify(plan) + '\n' };
  const as = est.estimate(request);
  const lines = [];
  if (as.fit && !as.fit.ok) lines.push('As given, it does not fit:', ...as.fit.reasons.map((r) => '  - ' + r.message), '');
  lines.push(plan.summary[0].toUpperCase() + plan.summary.slice(1) + '.');
  const changes = Object.entries(plan.changes);
  if (changes.length) {
    lines.push('', 'Set:');
    for (const [field, value] of changes) lines.push(`  --${kebab(field)} ${value}`);
  }
  if (plan.ok) lines.push('', `Per GPU: ${formatSize(plan.totalBytes, args.options.units)}`);
  return { code: plan.ok ? 0 : 1, stdout: lines.join('\n') + '\n' };
}

/** Core errors, named by flag; an unknown --gpu also gets the closest catalog id. */
function errorText(messages, base, est) {
  const gpu = typeof base.gpu === 'string' && !est.gpus().some((g) => g.id === base.gpu) ? closest(base.gpu.toLowerCase(), est.gpus().map((g) => g.id)) : null;
  return messages.map((m) => `llmmem: ${m}${gpu && /^--gpu\b/.test(m) ? `; did you mean ${gpu}?` : ''}\n`).join('');
}

function runSubcommand(est, schema, sub, args, style) {
  if (sub === 'plan') return planText(est, schema, args);
  if (sub === 'list') return listPresets(est, args.positionals.slice(1), args.options, style);
  if (args.positionals.length > 1) throw new UsageError(`unexpected argument "${args.positionals[1]}" after ${sub}`);
  if (sub === 'gpus') return listGpus(est, args.options, style);
  return listFormats(schema, args.options, style);
}

async function main() {
  process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
  let est;
  try {
    est = await loadFactory()();
  } catch (e) {
    process.stderr.write(`llmmem: the estimator could not start: ${e.message}\n`);
    return 1;
  }
  const result = run(est, process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.code;
}

if (require.main === module) main().then((code) => { process.exitCode = code; });
module.exports = { run };
