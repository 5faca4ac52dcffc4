// The page's one state object and its URL-hash form: short, stable, versioned
// keys (#v1&m=llama-3.1-8b&s=4096...). Decoding is total: whatever the hash
// holds, the result is a valid state plus a list of problems to show as text.
// Every enum, bound and default of a request field comes from the core's
// schema (web/src/schema.js); only the page's own keys are defined here.
import { UNITS } from './format.js';
import { engineOf, inBounds } from './schema.js';

export const VERSION = 'v1';
const MAX_HASH = 2000;
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_CARDS = 8;

// Where the page opens, where it differs from the core's defaults: a real model
// on a real card at 4096 tokens (the core's seqLen default is 2048). A v1 link
// leaves out what equals these, so they never change.
const PAGE_START = { model: 'llama-3.1-8b', seqLen: 4096, gpuIds: ['h100-sxm-80gb'] };

/** Named sets of LoRA target modules the page offers beyond the core's values. */
export const MODULE_PRESETS = { attention: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] };

// Each hash key, in link order: its state field and either the schema's request
// field (type, bounds, default) or a page-only kind. weights '' is the engine's
// 16-bit row, whatever the engine.
const KEY_TABLE = [
  { key: 'm', field: 'model', page: 'id' },
  { key: 'p', field: 'params', page: 'billions' },
  { key: 't', field: 'task', request: 'task' },
  { key: 'e', field: 'engine', request: 'engine' },
  { key: 'w', field: 'weights', request: 'weights', def: '' },
  { key: 'kv', field: 'kvCache', request: 'kvCache' },
  { key: 's', field: 'seqLen', request: 'seqLen' },
  { key: 'b', field: 'batch', request: 'batch' },
  { key: 'f', field: 'method', request: 'method' },
  { key: 'o', field: 'optimizer', request: 'optimizer' },
  { key: 'r', field: 'loraRank', request: 'loraRank' },
  { key: 'lt', field: 'loraTargets', request: 'loraTargets' },
  { key: 'gc', field: 'checkpointing', request: 'gradientCheckpointing' },
  { key: 'g', field: 'gpuIds', page: 'ids' },
  { key: 'n', field: 'gpus', request: 'gpus' },
  { key: 'z', field: 'zeroStage', request: 'zeroStage' },
  { key: 'tp', field: 'tensorParallel', request: 'tensorParallel' },
  { key: 'a', field: 'attention', request: 'attention' },
  { key: 'ub', field: 'ubatch', request: 'ubatch' },
  { key: 'gm', field: 'gpuMemoryUtilization', request: 'gpuMemoryUtilization' },
  { key: 'ml', field: 'maxModelLen', request: 'maxModelLen' },
  { key: 'ms', field: 'maxNumSeqs', request: 'maxNumSeqs' },
  { key: 'gl', field: 'gpuLayers', request: 'gpuLayers' },
  { key: 'tr', field: 'trainer', request: 'trainer' },
  { key: 'pr', field: 'trainingPrecision', request: 'trainingPrecision' },
  { key: 'co', field: 'cpuOffload', request: 'cpuOffload' },
  { key: 'cm', field: 'gpuMemoryBytes', request: 'gpuMemoryBytes' },
  { key: 'u', field: 'unit', page: 'unit' },
];

// --- readers: text -> value, or undefined when the text is not a valid value ---
const id = (s) => (ID.test(s) ? s : undefined);
const oneOf = (list) => (s) => (list.indexOf(s) >= 0 ? s : undefined);
const flag = (s) => (s === '1' ? true : s === '0' ? false : undefined);
const optional = (read) => (s) => (s === '' ? '' : read(s));

function ids(s) {
  const parts = s.split(',');
  return parts.length <= MAX_CARDS && parts.every((p) => ID.test(p)) ? parts : undefined;
}

function integer(spec) {
  return (s) => {
    const n = Number(s);
    return /^[0-9]{1,15}$/.test(s) && inBounds(spec, n) ? n : undefined;
  };
}

/** A plain decimal (no exponent, no sign) within the bounds, scaled by `per` first. */
function decimal(spec, per = 1) {
  return (s) => {
    const n = Number(s);
    return /^[0-9]{1,6}(\.[0-9]{1,6})?$/.test(s) && inBounds(spec, n * per) ? n : undefined;
  };
}

function requestReader(spec) {
  if (spec.type === 'integer') return integer(spec);
  if (spec.type === 'number') return decimal(spec);
  if (spec.type === 'boolean') return flag;
  if (spec.type === 'enum') return oneOf(spec.values);
  if (spec.type === 'modules') return oneOf(spec.values.concat(Object.keys(MODULE_PRESETS)));
  return id;
}

/** A key's reader and default: from the schema's field, or the page's own. */
function keySpec(schema, k) {
  if (k.page === 'id') return { read: id, def: PAGE_START.model };
  if (k.page === 'ids') return { read: ids, def: PAGE_START.gpuIds };
  if (k.page === 'unit') return { read: oneOf(Object.keys(UNITS)), def: Object.keys(UNITS)[0] };
  // A parameter count, in billions (the core's bounds are in parameters).
  if (k.page === 'billions') return { read: optional(decimal(schema.fields.model.params, 1e9)), def: '' };
  const spec = schema.fields[k.request];
  const def = k.def !== undefined ? k.def : PAGE_START[k.field] !== undefined ? PAGE_START[k.field] : spec.default;
  // A field without a default (null) is '' in the page: the engine decides.
  return def === null ? { read: optional(requestReader(spec)), def: '' } : { read: requestReader(spec), def };
}

function text(v) {
  if (Array.isArray(v)) return v.join(',');
  if (v === true) return '1';
  if (v === false) return '0';
  return String(v);
}

function defaultsOf(keys) {
  const s = { mode: 'preset' };
  keys.forEach((k) => { s[k.field] = Array.isArray(k.def) ? k.def.slice() : k.def; });
  return s;
}

/** The state as a hash: only the values that differ from the defaults, in a fixed order. */
function encodeWith(keys, state) {
  const d = defaultsOf(keys);
  const parts = [VERSION];
  if (state.mode === 'params') parts.push('p=' + encodeURIComponent(text(state.params)));
  keys.forEach((k) => {
    if (k.key === 'p' || (k.key === 'm' && state.mode === 'params')) return;
    const v = text(state[k.field]);
    if (v !== text(d[k.field])) parts.push(k.key + '=' + encodeURIComponent(v).replace(/%2C/g, ','));
  });
  return '#' + parts.join('&');
}

/** Reads key=value pairs into the state; returns the problems. Unknown or repeated keys are ignored. */
function readPairs(keys, pairs, state) {
  const problems = [];
  const seen = new Set();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    const spec = keys.find((k) => k.key === key);
    if (!spec || seen.has(key)) continue;
    seen.add(key);
    let value = null;
    try { value = decodeURIComponent(raw); } catch (e) { /* a broken escape: not a valid value */ }
    const v = value === null ? undefined : spec.read(value);
    if (v === undefined) {
      problems.push('ignored ' + key + '=' + (value === null ? raw : value).slice(0, 40) + ' (not a valid value)');
      continue;
    }
    state[spec.field] = v;
    if (key === 'p' && v !== '') state.mode = 'params';
  }
  return problems;
}

/** A hash (with or without '#') to {state, problems}. Never throws. */
function decodeWith(schema, keys, hash) {
  const state = defaultsOf(keys);
  if (typeof hash !== 'string') return { state, problems: [] };
  if (hash.charAt(0) === '#') hash = hash.slice(1);
  if (hash === '') return { state, problems: [] };
  if (hash.length > MAX_HASH) return { state, problems: ['the link is too long (' + hash.length + ' characters); using the defaults'] };
  const parts = hash.split('&');
  if (parts[0] !== VERSION) return { state, problems: ['the link is not a v1 llmmem link; using the defaults'] };
  const problems = readPairs(keys, parts.slice(1), state);
  return { state, problems: problems.concat(fitEngine(schema, state, true)) };
}

/**
 * The hash codec for one schema: defaults(), encode(state) -> '#v1&...',
 * decode(hash) -> {state, problems}, fitEngine(state) -> changes as text.
 * @param {object} schema est.schema()
 */
export function createState(schema) {
  const keys = KEY_TABLE.map((k) => Object.assign({ key: k.key, field: k.field, request: k.request }, keySpec(schema, k)));
  return {
    VERSION,
    KEYS: keys,
    defaults: () => defaultsOf(keys),
    encode: (state) => encodeWith(keys, state),
    decode: (hash) => decodeWith(schema, keys, hash),
    fitEngine: (state, withWeights) => fitEngine(schema, state, withWeights),
    fromRequest: (changes) => fromRequest(keys, changes),
  };
}

/** Request fields ({maxModelLen: 40960, gradientCheckpointing: true}) as state fields; unknown ones left out. */
function fromRequest(keys, changes) {
  const out = {};
  Object.keys(changes || {}).forEach((field) => {
    const k = keys.find((x) => x.request === field);
    if (k && k.read(text(changes[field])) !== undefined) out[k.field] = k.read(text(changes[field]));
  });
  return out;
}

/**
 * Makes the state agree with its engine: a KV-cache type the engine does not
 * offer becomes the default ('auto'); with withWeights, a format that is not
 * one of its formats becomes its 16-bit row. Returns what changed, as text.
 */
export function fitEngine(schema, state, withWeights) {
  const engine = engineOf(schema, state.engine);
  const changes = [];
  if (engine.kvCache.indexOf(state.kvCache) < 0) {
    const fallback = schema.fields.kvCache.default;
    changes.push('KV cache ' + state.kvCache + ' is not offered by ' + engine.id + '; using ' + fallback);
    state.kvCache = fallback;
  }
  if (withWeights && state.weights !== '' && engine.weights.indexOf(state.weights) < 0) {
    changes.push('format ' + state.weights + ' is not offered by ' + engine.id + '; using ' + engine.rows[0]);
    state.weights = '';
  }
  return changes;
}
