// The page's one state object and its URL-hash form: short, stable, versioned
// keys (#v1&m=llama-3.1-8b&s=4096...). Decoding is total: whatever the hash
// holds, the result is a valid state plus a list of problems to show as text.
// Classic script (inlined into dist/index.html); under Node, module.exports.
var LlmmemState = (function () {
  'use strict';

  var VERSION = 'v1';
  var MAX_HASH = 2000;
  var ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

  /** Each key: its state field, default, and a reader returning the value or undefined. */
  var int = function (lo, hi) {
    return function (s) {
      if (!/^[0-9]{1,9}$/.test(s)) return undefined;
      var n = Number(s);
      return n >= lo && n <= hi ? n : undefined;
    };
  };
  var num = function (lo, hi) {
    return function (s) {
      if (!/^[0-9]{1,6}(\.[0-9]{1,6})?$/.test(s)) return undefined;
      var n = Number(s);
      return n >= lo && n <= hi ? n : undefined;
    };
  };
  var oneOf = function (list) {
    return function (s) { return list.indexOf(s) >= 0 ? s : undefined; };
  };
  var id = function (s) { return ID.test(s) ? s : undefined; };
  var ids = function (s) {
    var parts = s.split(',');
    if (parts.length > 8 || !parts.every(function (p) { return ID.test(p); })) return undefined;
    return parts;
  };
  var optional = function (read) {
    return function (s) { return s === '' ? '' : read(s); };
  };

  var KEYS = [
    { key: 'm', field: 'model', def: 'llama-3.1-8b', read: id },
    { key: 'p', field: 'params', def: '', read: optional(num(0.000001, 100000)) },
    { key: 't', field: 'task', def: 'inference', read: oneOf(['inference', 'finetune']) },
    { key: 'e', field: 'engine', def: 'transformers', read: oneOf(['transformers', 'vllm', 'llama.cpp']) },
    { key: 'w', field: 'weights', def: '', read: optional(id) },
    { key: 'kv', field: 'kvCache', def: 'auto', read: oneOf(['auto', 'fp16', 'bf16', 'fp8', 'q8_0', 'q4_0']) },
    { key: 's', field: 'seqLen', def: 4096, read: int(1, 16777216) },
    { key: 'b', field: 'batch', def: 1, read: int(1, 1048576) },
    { key: 'f', field: 'method', def: 'full', read: oneOf(['full', 'lora', 'qlora-8bit', 'qlora-4bit']) },
    { key: 'o', field: 'optimizer', def: 'adamw', read: oneOf(['adamw', 'adam', 'sgd', 'sgd-momentum', 'rmsprop', 'adamw-8bit', 'paged-adamw-8bit', 'adafactor', 'lion']) },
    { key: 'r', field: 'loraRank', def: 16, read: int(1, 65536) },
    { key: 'lt', field: 'loraTargets', def: 'all-linear', read: oneOf(['all-linear', 'attention']) },
    { key: 'gc', field: 'checkpointing', def: false, read: function (s) { return s === '1' ? true : s === '0' ? false : undefined; } },
    { key: 'g', field: 'gpuIds', def: ['h100-sxm-80gb'], read: ids },
    { key: 'n', field: 'gpus', def: 1, read: int(1, 1024) },
    { key: 'z', field: 'zeroStage', def: 0, read: int(0, 3) },
    { key: 'tp', field: 'tensorParallel', def: 1, read: int(1, 1024) },
    { key: 'a', field: 'attention', def: '', read: oneOf(['', 'eager', 'sdpa', 'flash']) },
    { key: 'ub', field: 'ubatch', def: '', read: optional(int(1, 1048576)) },
    { key: 'gm', field: 'gpuMemoryUtilization', def: '', read: optional(num(0.01, 1)) },
    { key: 'u', field: 'unit', def: 'gb', read: oneOf(['gb', 'gib']) },
  ];

  function defaults() {
    var s = { mode: 'preset' };
    KEYS.forEach(function (k) { s[k.field] = Array.isArray(k.def) ? k.def.slice() : k.def; });
    return s;
  }

  function text(v) {
    if (Array.isArray(v)) return v.join(',');
    if (v === true) return '1';
    if (v === false) return '0';
    return String(v);
  }

  /** The state as a hash: only the values that differ from the defaults, in a fixed order. */
  function encode(state) {
    var d = defaults();
    var parts = [VERSION];
    if (state.mode === 'params') parts.push('p=' + encodeURIComponent(text(state.params)));
    KEYS.forEach(function (k) {
      if (k.key === 'p') return;
      if (k.key === 'm' && state.mode === 'params') return;
      var v = text(state[k.field]);
      if (v !== text(d[k.field])) parts.push(k.key + '=' + encodeURIComponent(v).replace(/%2C/g, ','));
    });
    return '#' + parts.join('&');
  }

  /**
   * A hash (with or without '#') to {state, problems}. Never throws.
   * @returns {{state: object, problems: string[]}}
   */
  function decode(hash) {
    var state = defaults();
    var problems = [];
    if (typeof hash !== 'string') return { state: state, problems: problems };
    if (hash.charAt(0) === '#') hash = hash.slice(1);
    if (hash === '') return { state: state, problems: problems };
    if (hash.length > MAX_HASH) return { state: state, problems: ['the link is too long (' + hash.length + ' characters); using the defaults'] };
    var parts = hash.split('&');
    if (parts[0] !== VERSION) return { state: state, problems: ['the link is not a v1 llmmem link; using the defaults'] };
    var seen = {};
    for (var i = 1; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      var key = eq < 0 ? parts[i] : parts[i].slice(0, eq);
      var raw = eq < 0 ? '' : parts[i].slice(eq + 1);
      var value;
      try { value = decodeURIComponent(raw); } catch (e) { value = null; }
      var spec = null;
      for (var j = 0; j < KEYS.length; j++) if (KEYS[j].key === key) spec = KEYS[j];
      if (!spec || Object.prototype.hasOwnProperty.call(seen, key)) continue;  // unknown or repeated keys are ignored
      seen[key] = true;
      var v = value === null ? undefined : spec.read(value);
      if (v === undefined) {
        problems.push('ignored ' + key + '=' + (value === null ? raw : value).slice(0, 40) + ' (not a valid value)');
        continue;
      }
      state[spec.field] = v;
      if (key === 'p' && v !== '') state.mode = 'params';
    }
    return { state: state, problems: problems };
  }

  return { VERSION: VERSION, KEYS: KEYS, defaults: defaults, encode: encode, decode: decode };
})();
if (typeof module === 'object' && module.exports) module.exports = LlmmemState;
