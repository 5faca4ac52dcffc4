// The form: its choices built from the schema, the state written into the
// inputs and read back out of them (with readable problems for bad input).
import { el, option } from './dom.js';
import { UNITS, formatBytes, formatCount, shortGpuName } from './format.js';
import { appliesTo, choiceLabel, engineOf, inBounds, kvCacheBits, kvCacheTypes, lowest, rowFormats, rowLabel } from './schema.js';
import { MODULE_PRESETS } from './state.js';

// Typed numbers: the input, the state field (named as the request field), its name in errors.
// tokens: also '8k', '32K', '1M' (k = 1,024, as context lengths are counted).
const NUMBER_INPUTS = [
  { id: 'seqlen', field: 'seqLen', label: 'Context', tokens: true },
  { id: 'batch', field: 'batch', label: 'Batch' },
  { id: 'lora-rank', field: 'loraRank', label: 'LoRA rank' },
  { id: 'gpu-count', field: 'gpus', label: 'Cards used' },
  { id: 'tp', field: 'tensorParallel', label: 'Tensor parallel' },
  { id: 'ubatch', field: 'ubatch', label: 'Physical batch', optional: true, tokens: true },
  { id: 'gmu', field: 'gpuMemoryUtilization', label: 'GPU memory utilization', optional: true },
  { id: 'max-model-len', field: 'maxModelLen', label: 'Max model length', optional: true, tokens: true },
  { id: 'max-seqs', field: 'maxNumSeqs', label: 'Max sequences', optional: true },
  { id: 'gpu-layers', field: 'gpuLayers', label: 'GPU layers', optional: true },
];
// Selects whose options are a request field's values (state field = request field).
const CHOICES = [
  { id: 'task', field: 'task' },
  { id: 'engine', field: 'engine' },
  { id: 'attention', field: 'attention', none: 'engine default' },
  { id: 'method', field: 'method' },
  { id: 'optimizer', field: 'optimizer' },
  { id: 'zero', field: 'zeroStage' },
  { id: 'precision', field: 'trainingPrecision', none: 'trainer default' },
  { id: 'offload', field: 'cpuOffload' },
];
// Request fields without an input of their own, as the page names them.
const OTHER_LABELS = { gradientCheckpointing: 'Gradient checkpointing', zeroStage: 'ZeRO stage', kvCache: 'KV cache type',
  trainingPrecision: 'Training precision', cpuOffload: 'CPU offload', gpuMemoryBytes: 'Card memory', maxNumBatchedTokens: 'Max batched tokens' };
const MULTIPLIERS = { k: 1024, m: 1024 * 1024 };
const PARAM_SUFFIX = { k: 1e3, m: 1e6, b: 1e9, t: 1e12 };
// A plain parameter count below this is in billions ('7'); from it, a count ('1500000000').
const BILLIONS_BELOW = 1e6;
// What each ZeRO stage shards (Rajbhandari et al. 2020); the stages themselves are the schema's.
const ZERO_NOTES = ['none', 'optimizer', '+ gradients', '+ weights; FSDP full shard'];
const CARD_SHOWN_FIRST = 'rtx-4090';

/** The inputs a request field's error points at, and the name the error uses. */
export function controlFor(field) {
  if (field === 'model.params') return { id: 'params', label: 'Parameters' };
  if (field === 'gpuMemoryBytes') return { id: 'gpu-memory', label: 'Card memory' };
  if (field.indexOf('model.config') === 0) return { id: 'config', label: 'config.json ' + field.replace(/^model\.config(Json)?\.?/, '') };
  const input = NUMBER_INPUTS.find((n) => n.field === field);
  return input ? { id: input.id, label: input.label } : null;
}

/** A request field as the page names it: its input's label, else its words (maxNumSeqs: 'Max num seqs'). */
export function fieldLabel(field) {
  const input = NUMBER_INPUTS.find((n) => n.field === field);
  if (input) return input.label;
  if (OTHER_LABELS[field]) return OTHER_LABELS[field];
  const words = field.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every input that can be marked invalid. */
export const CHECKED_INPUTS = ['params', 'config', 'gpu-memory'].concat(NUMBER_INPUTS.map((n) => n.id));

/** The values of a choice field: an enum's values, or an integer field's range. */
function choiceValues(spec) {
  if (spec.type !== 'integer') return spec.values;
  const values = [];
  for (let n = spec.min; n <= spec.max; n++) values.push(n);
  return values;
}

function fill(select, entries) {
  select.textContent = '';
  entries.forEach((e) => select.appendChild(option(e.value, e.text)));
}

/** Builds the schema's choices and bounds into the form, once at mount. */
export function buildChoices(view) {
  const { schema, $ } = view;
  for (const c of CHOICES) {
    const spec = schema.fields[c.field];
    const entries = choiceValues(spec).map((v) => ({ value: v, text: choiceLabel(schema, c.field, v) }));
    if (c.field === 'zeroStage') entries.forEach((e) => { if (ZERO_NOTES[e.value]) e.text += ' (' + ZERO_NOTES[e.value] + ')'; });
    fill($(c.id), (c.none ? [{ value: '', text: c.none }] : []).concat(entries));
  }
  const targets = schema.fields.loraTargets.values.map((v) => ({ value: v, text: v }));
  Object.keys(MODULE_PRESETS).forEach((name) => targets.push({ value: name, text: name + ' (' + MODULE_PRESETS[name].join(', ') + ')' }));
  fill($('lora-targets'), targets);
  for (const n of NUMBER_INPUTS) {
    const spec = schema.fields[n.field];
    if (spec.type === 'integer') $(n.id).min = String(lowest(spec));
    $(n.id).max = String(spec.max);
  }
}

/** Every format of the engine, grouped by bits per weight; a chosen format it lacks becomes its 16-bit row. */
export function fillWeights(view) {
  const engine = engineOf(view.schema, view.state.engine);
  const sel = view.$('weights');
  sel.textContent = '';
  const groups = {};
  view.schema.weights.filter((w) => engine.weights.indexOf(w.id) >= 0).sort((a, b) => b.bits - a.bits).forEach((w) => {
    const key = rowLabel(view.schema, w.id);
    if (!groups[key]) { groups[key] = el('optgroup'); groups[key].label = key; sel.appendChild(groups[key]); }
    groups[key].appendChild(option(w.id, w.label + ' (' + w.id + ')'));
  });
  if (engine.weights.indexOf(view.state.weights) < 0) view.state.weights = '';
  sel.value = view.state.weights || engine.rows[0];
}

/** The KV-cache types the engine offers, with their bits per element. */
export function fillKvCache(view) {
  fill(view.$('kv'), kvCacheTypes(view.schema, view.state.engine).map((k) => {
    const bits = kvCacheBits(view.schema, k);
    return { value: k, text: bits === null ? k : k + ' (' + bits + ' bits)' };
  }));
  view.$('kv').value = view.state.kvCache;
}

/** Shows only the settings that apply to the chosen engine (schema appliesTo). */
export function showEngineSettings(view) {
  const blocks = view.scope.querySelectorAll('[data-engine-field]');
  for (const b of blocks) b.hidden = !appliesTo(view.schema, b.getAttribute('data-engine-field'), view.state.engine);
}

function presetLabel(p) {
  const active = p.activeParams !== p.params ? ', ' + formatCount(p.activeParams) + ' active' : '';
  return p.name + ' (' + p.family + ', ' + formatCount(p.params) + active + ')';
}

/**
 * Whether a preset matches one search word. A Hugging Face id ("org/name") matches the preset's
 * repository, a part of it ("Qwen/Qwen3") or a variant of it ("meta-llama/Llama-3.1-8B-Instruct"
 * is the Llama-3.1-8B preset); a size ("8b", "0.5b", "135m") and a bare number ("4", "3.1") match
 * only whole tokens, so "llama 4" finds no Llama 3.1 405B and "phi 4" no Phi-3 4k; other words
 * match anywhere.
 */
function wordMatches(p, hay, w) {
  if (w.indexOf('/') >= 0) {
    const repo = (p.hfId || '').toLowerCase();
    return repo !== '' && (repo.indexOf(w) >= 0 || w.indexOf(repo + '-') === 0);
  }
  if (!/^[0-9.]+[bm]?$/.test(w)) return hay.indexOf(w) >= 0;
  return new RegExp('(^|[^0-9.])' + w.replace(/\./g, '\\.') + '(?![0-9a-z]|\\.[0-9])').test(hay);
}

/** Whether a preset matches every word (name, family, id, Hugging Face id, size, model type). */
function matches(p, words) {
  const hay = [p.name, p.family, p.id, p.hfId || '', formatCount(p.params).replace(' ', ''), p.modelType || ''].join(' ').toLowerCase();
  return words.every((w) => wordMatches(p, hay, w));
}

/** Filters the model list by every word of the search; says so when nothing matches. */
export function fillModels(view) {
  const query = view.$('model-search').value.trim();
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const found = view.presets.filter((p) => matches(p, words));
  fill(view.$('model'), found.map((p) => ({ value: p.id, text: presetLabel(p) })));
  const none = view.$('model-none');
  none.hidden = found.length > 0;
  none.textContent = found.length ? '' : 'No model in the catalog matches \u201c' + query + '\u201d. Paste its config.json below instead.';
  if (view.state.mode === 'preset') view.$('model').value = view.state.model;
}

/** The card picker, grouped by vendor and segment. */
export function fillGpus(view) {
  const sel = view.$('gpu-add');
  sel.textContent = '';
  const groups = {};
  view.gpus.forEach((g) => {
    const key = g.vendor + (g.segment ? ' ' + g.segment : '');
    if (!groups[key]) { groups[key] = el('optgroup'); groups[key].label = key; sel.appendChild(groups[key]); }
    groups[key].appendChild(option(g.id, shortGpuName(g.name) + ' (' + formatBytes(g.usableBytes, view.state.unit) + ')'));
  });
  sel.value = CARD_SHOWN_FIRST;
}

/** The chosen cards as chips; removing one calls onChange (the last one stays). */
export function renderGpuList(view, onChange) {
  const ul = view.$('gpu-list');
  ul.textContent = '';
  view.state.gpuIds.forEach((id) => {
    const g = view.gpuById[id];
    const li = el('li', null, 'chip');
    li.appendChild(el('span', g ? shortGpuName(g.name) + ' · ' + formatBytes(g.usableBytes, view.state.unit) + ' usable' : id));
    const b = el('button', '×');
    b.type = 'button';
    b.setAttribute('aria-label', 'Remove ' + (g ? g.name : id));
    b.disabled = view.state.gpuIds.length === 1;
    b.addEventListener('click', () => {
      view.state.gpuIds = view.state.gpuIds.filter((x) => x !== id);
      renderGpuList(view, onChange);
      onChange();
    });
    li.appendChild(b);
    ul.appendChild(li);
  });
}

function setRadio(scope, name, value) {
  for (const r of scope.querySelectorAll('input[name="' + name + '"]')) r.checked = r.value === value;
}

/** A card's memory as its input shows it: whole GiB where it is, else GB (exact either way). */
function memoryText(bytes) {
  if (bytes === '') return '';
  return bytes % UNITS.gib.bytes === 0 ? bytes / UNITS.gib.bytes + ' GiB' : bytes / UNITS.gb.bytes + ' GB';
}

/** Writes the state into the controls. */
export function toControls(view, onChange) {
  const { state, $ } = view;
  $('params').value = state.mode === 'params' ? String(state.params) : '';
  for (const c of CHOICES) $(c.id).value = String(state[c.field]);
  for (const n of NUMBER_INPUTS) $(n.id).value = String(state[n.field]);
  $('lora-targets').value = state.loraTargets;
  $('checkpointing').checked = !!state.checkpointing;
  $('gpu-memory').value = memoryText(state.gpuMemoryBytes);
  setRadio(view.scope, 'unit', state.unit);
  fillWeights(view);
  fillKvCache(view);
  if (view.presets.length) fillModels(view);
  if (view.gpus.length) { fillGpus(view); renderGpuList(view, onChange); }
  showEngineSettings(view);
}

/** The bounds of a number field, as an error says them. */
function boundsText(spec) {
  if (spec.type === 'integer') return 'a whole number from ' + spec.min + ' to ' + spec.max;
  return 'a number in ' + (typeof spec.min === 'number' ? '[' + spec.min : '(' + spec.minExclusive) + ', ' + spec.max + ']';
}

/** A typed number: '4,096', '8k', '32K', '1M' (tokens: k = 1,024), else plain; NaN when it is none. */
export function parseNumber(text, tokens) {
  const m = String(text).trim().replace(/[,_ ]/g, '').match(/^([0-9]*\.?[0-9]+)([kKmM]?)$/);
  if (!m || (m[2] && !tokens)) return NaN;
  return Number(m[1]) * (m[2] ? MULTIPLIERS[m[2].toLowerCase()] : 1);
}

/** A parameter count in billions: '7', '7B', '70b', '135M', '1.5e9' (a plain number from a million up is a count). */
export function parseBillions(text) {
  const m = String(text).trim().replace(/[,_ ]/g, '').match(/^([0-9]*\.?[0-9]+(?:e[0-9]+)?)([kmbt]?)$/i);
  if (!m) return NaN;
  const n = Number(m[1]);
  if (m[2]) return (n * PARAM_SUFFIX[m[2].toLowerCase()]) / 1e9;
  return n < BILLIONS_BELOW ? n : n / 1e9;
}

/** Card memory in bytes: '24 GB', '80GiB', '24' (in the page's unit); NaN when it is none. */
export function parseMemory(text, unit) {
  const m = String(text).trim().match(/^([0-9]*\.?[0-9]+)\s*(gib|gb|g)?$/i);
  if (!m) return NaN;
  const u = m[2] ? (m[2].toLowerCase() === 'gib' ? UNITS.gib : UNITS.gb) : UNITS[unit] || UNITS.gb;
  return Math.round(Number(m[1]) * u.bytes);
}

/** Reads one number input into the state; a bad one keeps its text and adds a problem. */
function readNumber(view, input, problems) {
  const spec = view.schema.fields[input.field];
  const text = view.$(input.id).value.trim();
  if (text === '' && input.optional) { view.state[input.field] = ''; return; }
  const n = parseNumber(text, input.tokens);
  if (isFinite(n) && (spec.type !== 'integer' || Number.isInteger(n)) && inBounds(spec, n)) view.state[input.field] = n;
  else problems.push({ id: input.id, text: input.label + ': enter ' + boundsText(spec) + (input.tokens ? ' (8k = 8,192)' : '') });
}

/** Reads the parameter count when the model is given by one. */
function readParams(view, problems) {
  const billions = parseBillions(view.$('params').value);
  if (isFinite(billions) && billions > 0 && inBounds(view.schema.fields.model.params, billions * 1e9)) view.state.params = Number(billions.toPrecision(12));
  else problems.push({ id: 'params', text: 'Parameters: enter a count such as 7B, 70b, 135M or 1.5e9' });
}

/** Reads a card given by its memory ('' when none). */
function readMemory(view, problems) {
  const text = view.$('gpu-memory').value.trim();
  const spec = view.schema.fields.gpuMemoryBytes;
  const bytes = text === '' ? '' : parseMemory(text, view.state.unit);
  if (bytes === '' || (isFinite(bytes) && inBounds(spec, bytes))) view.state.gpuMemoryBytes = bytes;
  else problems.push({ id: 'gpu-memory', text: 'Card memory: enter a size such as 24 GB or 80 GiB' });
}

/** Reads the controls into the state; returns the problems found (each {id, text}). */
export function fromControls(view) {
  const { state, $ } = view;
  const problems = [];
  for (const c of CHOICES) state[c.field] = c.field === 'zeroStage' ? Number($(c.id).value) : $(c.id).value;
  const w = $('weights').value;
  state.weights = w === rowFormats(view.schema, state.engine)[0] ? '' : w;
  state.kvCache = $('kv').value;
  state.loraTargets = $('lora-targets').value;
  state.checkpointing = $('checkpointing').checked;
  for (const n of NUMBER_INPUTS) readNumber(view, n, problems);
  const unit = view.scope.querySelector('input[name="unit"]:checked');
  if (unit) state.unit = unit.value;
  readMemory(view, problems);
  if (state.mode === 'params') readParams(view, problems);
  return problems;
}
