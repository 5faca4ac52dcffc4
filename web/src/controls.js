// The form: its choices built from the schema, the state written into the
// inputs and read back out of them (with readable problems for bad input).
import { el, option } from './dom.js';
import { formatBytes, formatCount, shortGpuName } from './format.js';
import { appliesTo, choiceLabel, inBounds, kvCacheBits, kvCacheTypes, lowest, rowFormats, rowLabel } from './schema.js';
import { MODULE_PRESETS } from './state.js';

// Typed numbers: the input, the state field (named as the request field), its name in errors.
const NUMBER_INPUTS = [
  { id: 'seqlen', field: 'seqLen', label: 'Context' },
  { id: 'batch', field: 'batch', label: 'Batch' },
  { id: 'lora-rank', field: 'loraRank', label: 'LoRA rank' },
  { id: 'gpu-count', field: 'gpus', label: 'Cards used' },
  { id: 'tp', field: 'tensorParallel', label: 'Tensor parallel' },
  { id: 'ubatch', field: 'ubatch', label: 'ubatch', optional: true },
  { id: 'gmu', field: 'gpuMemoryUtilization', label: 'GPU memory utilization', optional: true },
];
// Selects whose options are a request field's values (state field = request field).
const CHOICES = [
  { id: 'task', field: 'task' },
  { id: 'engine', field: 'engine' },
  { id: 'attention', field: 'attention', none: 'engine default' },
  { id: 'method', field: 'method' },
  { id: 'optimizer', field: 'optimizer' },
  { id: 'zero', field: 'zeroStage' },
];
// What each ZeRO stage shards (Rajbhandari et al. 2020); the stages themselves are the schema's.
const ZERO_NOTES = ['none', 'optimizer', '+ gradients', '+ weights; FSDP full shard'];
const CARD_SHOWN_FIRST = 'rtx-4090';

/** The inputs a request field's error points at, and the name the error uses. */
export function controlFor(field) {
  if (field === 'model.params') return { id: 'params', label: 'Parameters' };
  if (field.indexOf('model.config') === 0) return { id: 'config', label: 'config.json ' + field.replace(/^model\.config(Json)?\.?/, '') };
  const input = NUMBER_INPUTS.find((n) => n.field === field);
  return input ? { id: input.id, label: input.label } : null;
}

/** Every input that can be marked invalid. */
export const CHECKED_INPUTS = ['params', 'config'].concat(NUMBER_INPUTS.map((n) => n.id));

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

/** The engine's 16/8/4-bit formats; a chosen format it lacks becomes its 16-bit row. */
export function fillWeights(view) {
  const list = rowFormats(view.schema, view.state.engine);
  fill(view.$('weights'), list.map((w) => ({ value: w, text: rowLabel(view.schema, w) + ': ' + w })));
  if (list.indexOf(view.state.weights) < 0) view.state.weights = '';
  view.$('weights').value = view.state.weights || list[0];
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
  const blocks = view.scope.querySelectorAll('[data-field]');
  for (const b of blocks) b.hidden = !appliesTo(view.schema, b.getAttribute('data-field'), view.state.engine);
}

function presetLabel(p) {
  const active = p.activeParams !== p.params ? ', ' + formatCount(p.activeParams) + ' active' : '';
  return p.name + ' (' + p.family + ', ' + formatCount(p.params) + active + ')';
}

/** Whether a preset matches every word: a size (8b, 0.5b, 135m) at the start of a word, other words anywhere. */
function matches(p, words) {
  const hay = (p.name + ' ' + p.family + ' ' + p.id + ' ' + formatCount(p.params).replace(' ', '') + ' ' + (p.modelType || '')).toLowerCase();
  return words.every((w) => {
    if (!/^[0-9.]+[bm]$/.test(w)) return hay.indexOf(w) >= 0;
    return new RegExp('(^|[^0-9.])' + w.replace(/\./g, '\\.')).test(hay);
  });
}

/** Filters the model list by every word of the search (name, family, id, size such as 8b or 70B). */
export function fillModels(view) {
  const words = view.$('model-search').value.toLowerCase().split(/\s+/).filter(Boolean);
  fill(view.$('model'), view.presets.filter((p) => matches(p, words)).map((p) => ({ value: p.id, text: presetLabel(p) })));
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

/** Writes the state into the controls. */
export function toControls(view, onChange) {
  const { state, $ } = view;
  $('params').value = state.mode === 'params' ? String(state.params) : '';
  for (const c of CHOICES) $(c.id).value = String(state[c.field]);
  for (const n of NUMBER_INPUTS) $(n.id).value = String(state[n.field]);
  $('lora-targets').value = state.loraTargets;
  $('checkpointing').checked = !!state.checkpointing;
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

/** Reads one number input into the state; a bad one keeps its text and adds a problem. */
function readNumber(view, input, problems) {
  const spec = view.schema.fields[input.field];
  const text = view.$(input.id).value.trim();
  if (text === '' && input.optional) { view.state[input.field] = ''; return; }
  const pattern = spec.type === 'integer' ? /^[0-9]+$/ : /^[0-9]*\.?[0-9]+$/;
  const n = Number(text);
  if (pattern.test(text) && inBounds(spec, n)) view.state[input.field] = n;
  else problems.push({ id: input.id, text: input.label + ': enter ' + boundsText(spec) });
}

/** Reads the parameter count (billions) when the model is given by one. */
function readParams(view, problems) {
  const text = view.$('params').value.trim();
  const billions = Number(text);
  const valid = /^[0-9]*\.?[0-9]+(e[0-9]+)?$/i.test(text) && isFinite(billions) && billions > 0;
  if (valid && inBounds(view.schema.fields.model.params, billions * 1e9)) view.state.params = billions;
  else problems.push({ id: 'params', text: 'Parameters: enter a positive number of billions, e.g. 7' });
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
  if (state.mode === 'params') readParams(view, problems);
  return problems;
}
