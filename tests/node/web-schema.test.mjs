// The page keeps no copy of what the core's schema says (est.schema()): no
// list of engines, formats, KV-cache types, optimizers or methods, and no
// bound of a request field, is written in web/. The page reads them from the
// schema that web/build.mjs inlines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadEstimator, root } from './helpers.mjs';

const schema = (await loadEstimator()).schema();

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(js|mjs|html|css)$/.test(name) ? [p] : [];
  });
}
const files = sources(join(root, 'web')).map((p) => ({ file: relative(root, p), text: readFileSync(p, 'utf8') }));

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Where a value is written as a literal: 'x', "x", `x`, value="x" or >x<. */
function literalUses(value) {
  const re = new RegExp(`(['"\`>])${escape(value)}(['"\`<])`);
  return files.filter((f) => re.test(f.text)).map((f) => f.file);
}

/** Where a number is written, in decimal or as 1e14. */
function numberUses(n) {
  const re = new RegExp(`(^|[^\\w.])(${n}|${n.toExponential().replace('+', '\\+?')})(?![\\w.])`);
  return files.filter((f) => re.test(f.text)).map((f) => f.file);
}

test('web/ names no engine, format, KV-cache type, optimizer, method or attention of the schema', () => {
  const f = schema.fields;
  const lists = {
    engines: schema.engines.map((e) => e.id),
    weights: schema.weights.map((w) => w.id),
    // 'auto' is also the page's own theme; the KV-cache default is read from the schema.
    kvCache: f.kvCache.values.filter((v) => v !== 'auto'),
    optimizer: f.optimizer.values,
    method: f.method.values,
    attention: f.attention.values,
    loraTargets: f.loraTargets.values,
  };
  for (const [list, values] of Object.entries(lists))
    for (const v of values) assert.deepEqual(literalUses(v), [], `${list} value '${v}' is written in web/`);
});

test('web/ writes no bound of a request field (16777216, 1048576, 65536, ...)', () => {
  const bounds = new Set();
  for (const spec of Object.values(schema.fields)) if (spec.max >= 1000) bounds.add(spec.max);
  bounds.add(schema.fields.model.params.max);
  bounds.add(schema.fields.model.params.max / 1e9); // the same bound in billions, as the page reads it
  assert.ok(bounds.has(16777216) && bounds.has(1048576) && bounds.has(65536), [...bounds].join(' '));
  for (const n of bounds) assert.deepEqual(numberUses(n), [], `bound ${n} is written in web/`);
});

test('the check finds a copy where there is one', () => {
  files.push({ file: 'probe', text: "const OPTIMIZERS = ['adamw', 'sgd'];\nconst MAX_SEQ = 16777216, MAX_PARAMS = 1e14;" });
  try {
    assert.deepEqual(literalUses(schema.fields.optimizer.values[0]), ['probe']);
    assert.deepEqual(numberUses(schema.fields.seqLen.max), ['probe']);
    assert.deepEqual(numberUses(schema.fields.model.params.max), ['probe']);
    assert.deepEqual(numberUses(schema.fields.gpus.max), []);
  } finally {
    files.pop();
  }
});
