// Questions the page asks of the core's schema (est.schema(), wasm/api.js): the
// one place that knows its shape. The page keeps no copy of what it says:
// web/build.mjs inlines the schema the module returns, so the hash can be
// decoded before the WebAssembly has started.

/** The engine's entry, or the first engine for an unknown id. */
export function engineOf(schema, id) {
  return schema.engines.find((e) => e.id === id) || schema.engines[0];
}

/** The formats of the engine's 16-, 8- and 4-bit table rows. */
export function rowFormats(schema, engine) {
  return engineOf(schema, engine).rows;
}

/** The KV-cache types the engine offers ('auto' first). */
export function kvCacheTypes(schema, engine) {
  return engineOf(schema, engine).kvCache;
}

/** Whether a request field means something for this engine (ubatch: llama.cpp only). */
export function appliesTo(schema, field, engine) {
  const spec = schema.fields[field];
  return !!spec && (!spec.appliesTo || spec.appliesTo.indexOf(engine) >= 0);
}

/** A table row's precision, from the format's bits: '16-bit'. */
export function rowLabel(schema, format) {
  const w = schema.weights.find((x) => x.id === format);
  return w ? w.bits + '-bit' : format;
}

/** Bits per element of a KV-cache type, or null ('auto' has none of its own). */
export function kvCacheBits(schema, type) {
  const k = schema.kvCache.find((x) => x.id === type);
  return k ? k.bits : null;
}

/** The lowest value a number field takes: its min, or just above minExclusive. */
export function lowest(spec) {
  return typeof spec.min === 'number' ? spec.min : spec.minExclusive;
}

/** Whether n is inside a number field's bounds. */
export function inBounds(spec, n) {
  if (typeof spec.min === 'number' && n < spec.min) return false;
  if (typeof spec.minExclusive === 'number' && n <= spec.minExclusive) return false;
  return typeof spec.max !== 'number' || n <= spec.max;
}

/** A choice's text: the schema's label where it gives one, else the id itself. */
export function choiceLabel(schema, field, value) {
  const spec = schema.fields[field];
  return (spec && spec.labels && spec.labels[value]) || String(value);
}
