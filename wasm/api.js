// The contract's JavaScript API over the JSON functions of wasm/bindings.cpp
// (appended to the module with --post-js). Plain objects in and out; nothing
// here throws: a request that cannot even be serialised becomes an error report.

/** @param {string} field @param {string} message */
function llmmemError(field, message) {
  return { ok: false, errors: [{ field: field, message: message }] };
}

/** What an exception says, whatever was thrown (even an object without toString). */
function llmmemDescribe(e) {
  try {
    var m = e && typeof e === 'object' && 'message' in e ? e.message : e;
    return String(m);
  } catch (_) {
    return 'an exception that cannot be shown';
  }
}

/** JSON cannot carry NaN or Infinity; mark them so the core can name the field. */
function llmmemReplacer(key, value) {
  if (typeof value === 'number' && !isFinite(value)) return { $nonfinite: String(value) };
  if (typeof value === 'bigint') return Number(value);
  return value;
}

// The answer of a *Kept binding (wasm/bindings.cpp): {size, data} at `kept`,
// the UTF-8 bytes decoded in one call: Node's Buffer where there is one (its
// TextDecoder is slower on short texts: 1.4 against 1.0 us for 3 KB), else
// TextDecoder.
var llmmemBuffer = typeof Buffer === 'function' && typeof Buffer.from === 'function' ? Buffer : null;
var llmmemDecoder = typeof TextDecoder !== 'undefined' ? new TextDecoder('utf-8') : null;
function llmmemKept(kept) {
  var size = HEAPU32[kept >> 2];
  var data = HEAPU32[(kept >> 2) + 1];
  if (llmmemBuffer) return llmmemBuffer.from(HEAPU8.buffer, HEAPU8.byteOffset + data, size).toString('utf8');
  return llmmemDecoder ? llmmemDecoder.decode(HEAPU8.subarray(data, data + size)) : UTF8ToString(data, size);
}

// The core's request size limit (kMaxRequestBytes, also in schema().limits), read once.
var llmmemRequestLimit = 0;
function llmmemMaxRequestChars() {
  if (!llmmemRequestLimit) llmmemRequestLimit = Module['requestBytesLimit']();
  return llmmemRequestLimit;
}

/**
 * A value as the JSON text the core reads, or an error report: getters that
 * throw, cycles, revoked proxies and oversized requests stop here, before
 * anything is copied into the module's memory.
 */
function llmmemText(value, field) {
  var text;
  try {
    // Without the replacer first, twice as fast: a value with no NaN, Infinity or BigInt gives
    // the same text. NaN and Infinity come out as null and a BigInt throws, so a text with
    // "null" in it, or a throw, is written again with the replacer (getters then run twice).
    try {
      text = JSON.stringify(value);
    } catch (_) {
      text = null;
    }
    if (typeof text !== 'string' || text.indexOf('null') >= 0) text = JSON.stringify(value, llmmemReplacer);
  } catch (e) {
    return { error: llmmemError(field, 'the ' + field + ' could not be read: ' + llmmemDescribe(e)) };
  }
  if (typeof text !== 'string') return { error: llmmemError(field, 'the ' + field + ' must be an object') };
  // A JS string holds at least one UTF-8 byte per character.
  if (text.length > llmmemMaxRequestChars())
    return { error: llmmemError(field, 'the ' + field + ' is too large (more than ' + llmmemMaxRequestChars() + ' bytes of JSON)') };
  return { text: text };
}

/** @param {object} request a contract request @returns {object} a report */
Module['estimate'] = function (request) {
  var t = llmmemText(request, 'request');
  if (t.error) return t.error;
  try {
    return JSON.parse(llmmemKept(Module['estimateKept'](t.text)));
  } catch (e) {
    return llmmemError('request', 'internal error: ' + llmmemDescribe(e));
  }
};

/** @returns {Array<{id:string,name:string,params:number,activeParams:number}>} */
Module['presets'] = function () {
  return JSON.parse(llmmemKept(Module['presetsKept']()));
};

/** @returns {Array<{id:string,name:string,memoryBytes:number}>} */
Module['gpus'] = function () {
  return JSON.parse(llmmemKept(Module['gpusKept']()));
};

/**
 * What the core accepts: every request field (type, values or bounds, default,
 * where it applies), the engines with their table rows, weight formats and
 * KV-cache types, and the formats. The page and the command line read their
 * choices from here and keep no copy.
 * @returns {{version:number, fields:Object<string,object>, fieldOrder:string[],
 *   engines:Array<{id:string, rows:string[], weights:string[], kvCache:string[]}>,
 *   weights:Array<{id:string,label:string,bits:number,gguf:boolean}>, kvCache:Array<{id:string,bits:number}>}}
 */
Module['schema'] = function () {
  return JSON.parse(llmmemKept(Module['schemaKept']()));
};

/** One inverse question (core/api/inverse.hpp) over the JSON boundary; never throws. */
function llmmemAsk(question) {
  var t = llmmemText(question, 'request');
  if (t.error) return t.error;
  try {
    return JSON.parse(llmmemKept(Module['inverseKept'](t.text)));
  } catch (e) {
    return llmmemError('question', 'internal error: ' + llmmemDescribe(e));
  }
}

/**
 * The largest seqLen whose per-GPU total fits budgetBytes.
 * @returns {{ok:boolean, value:number, capped:boolean, totalBytes:number}} value 0: not even 1 token fits
 */
Module['maxSeqLen'] = function (request, budgetBytes, limit) {
  return llmmemAsk({ op: 'maxSeqLen', request: request, budgetBytes: budgetBytes, limit: limit });
};

/** The largest batch whose per-GPU total fits budgetBytes (same shape as maxSeqLen). */
Module['maxBatch'] = function (request, budgetBytes, limit) {
  return llmmemAsk({ op: 'maxBatch', request: request, budgetBytes: budgetBytes, limit: limit });
};

/**
 * The most precise weight format that fits (candidates default to the engine's 16/8/4-bit formats).
 * @returns {{ok:boolean, value:?string, candidates:Array<{weights:string, ok:boolean, totalBytes:?number, fits:boolean}>}}
 */
Module['bestFormat'] = function (request, budgetBytes, candidates) {
  return llmmemAsk({ op: 'bestFormat', request: request, budgetBytes: budgetBytes, candidates: candidates });
};

/**
 * The fewest cards of gpuBytes each that hold the request.
 * @returns {{ok:boolean, value:?number, perGpuBytes:number, basis:string}}
 */
Module['gpusNeeded'] = function (request, gpuBytes, limit) {
  return llmmemAsk({ op: 'gpusNeeded', request: request, gpuBytes: gpuBytes, limit: limit });
};

/**
 * Per-GPU totals over a range of seqLen or batch.
 * @param {{axis:'seqLen'|'batch', from?:number, to:number, points?:number}} range
 * @returns {{ok:boolean, axis:string, x:number[], totalBytes:Array<?number>}}
 */
Module['sweep'] = function (request, range) {
  var q;
  try {
    range = range || {};
    q = { op: 'sweep', request: request, axis: range.axis, from: range.from, to: range.to, points: range.points };
  } catch (e) {
    return llmmemError('range', 'the range could not be read: ' + llmmemDescribe(e));
  }
  return llmmemAsk(q);
};

/**
 * The cheapest change that makes the request fit its card (core/api/plan.hpp):
 * options.gpu (an id from gpus()) or options.gpuMemoryBytes names the card
 * (else the request's own), options.maxGpus caps the cards (default 8).
 * estimate({...request, ...answer.changes}).fit.ok holds when answer.ok.
 * @returns {{ok:boolean, gpus:number, changes:Object, totalBytes:number, binding:string, summary:string, fit:?object}}
 */
Module['plan'] = function (request, options) {
  var q;
  try {
    options = options || {};
    q = { op: 'plan', request: request, maxGpus: options.maxGpus };
    if (options.gpu !== undefined) q.gpu = options.gpu;
    if (options.gpuMemoryBytes !== undefined) q.gpuMemoryBytes = options.gpuMemoryBytes;
  } catch (e) {
    return llmmemError('options', 'the options could not be read: ' + llmmemDescribe(e));
  }
  return llmmemAsk(q);
};

/**
 * A model file read from its first bytes (core/files/model_file.hpp): a .gguf,
 * a .safetensors, a model.safetensors.index.json or a config.json. When the
 * answer has needBytes, read that many bytes from the start (File.slice) and
 * ask again; answer.request holds the fields an estimate takes from the file
 * (model.config, engine, weights, weightsBytes). Never throws.
 * @param {Uint8Array} bytes the file's first bytes @param {string} name @param {number} fileSize
 */
Module['readModelFile'] = function (bytes, name, fileSize) {
  try {
    if (!(bytes instanceof Uint8Array)) return llmmemError('bytes', 'bytes must be a Uint8Array of the file\'s first bytes');
    var size = fileSize === undefined ? bytes.length : Number(fileSize);
    return JSON.parse(llmmemKept(Module['readModelFileKept'](bytes, String(name || ''), size)));
  } catch (e) {
    return llmmemError('file', 'the file could not be read: ' + llmmemDescribe(e));
  }
};

/** The weight formats of the 16/8/4-bit rows per engine: {transformers: [...], vllm: [...], 'llama.cpp': [...]} */
Module['formats'] = function () {
  return llmmemAsk({ op: 'formats' }).formats;
};
