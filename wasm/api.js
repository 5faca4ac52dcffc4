// The contract's JavaScript API over the JSON functions of wasm/bindings.cpp
// (appended to the module with --post-js). Plain objects in and out; nothing
// here throws: a request that cannot even be serialised becomes an error report.

/** @param {string} field @param {string} message */
function llmmemError(field, message) {
  return { ok: false, errors: [{ field: field, message: message }] };
}

/** JSON cannot carry NaN or Infinity; mark them so the core can name the field. */
function llmmemReplacer(key, value) {
  if (typeof value === 'number' && !isFinite(value)) return { $nonfinite: String(value) };
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** @param {object} request a contract request @returns {object} a report */
Module['estimate'] = function (request) {
  var text;
  try {
    text = JSON.stringify(request, llmmemReplacer);
  } catch (e) {
    return llmmemError('request', 'the request could not be read: ' + ((e && e.message) || String(e)));
  }
  if (typeof text !== 'string') return llmmemError('request', 'the request must be an object');
  try {
    return JSON.parse(Module['estimateJson'](text));
  } catch (e) {
    return llmmemError('request', 'internal error: ' + ((e && e.message) || String(e)));
  }
};

/** @returns {Array<{id:string,name:string,params:number,activeParams:number}>} */
Module['presets'] = function () {
  return JSON.parse(Module['presetsJson']());
};

/** @returns {Array<{id:string,name:string,memoryBytes:number}>} */
Module['gpus'] = function () {
  return JSON.parse(Module['gpusJson']());
};
