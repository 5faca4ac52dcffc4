// Attacks on the module as a Node host sees it (issue "Unbreakable, all the
// way"): each reproduction runs in its own process with a time limit, so a
// hang or an abort fails the test instead of the test run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inChild, moduleFile } from './helpers.mjs';

test('the module installs no process handlers: a host that handles its own errors keeps running', () => {
  const { value, stderr } = inChild(`
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    for (let i = 0; i < 11; i++) await require(${JSON.stringify(moduleFile)})();
    const after = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    let handled = 0;
    process.on('uncaughtException', () => { handled++; });
    setTimeout(() => { throw new Error('the host throws'); }, 0);
    await new Promise((r) => setTimeout(r, 50));
    return { before, after, handled };`);
  assert.deepEqual(value.after, value.before);
  assert.equal(value.handled, 1);
  assert.doesNotMatch(stderr, /MaxListenersExceeded|Aborted/);
});

test('estimate() never throws, whatever the request throws', () => {
  const { value } = inChild(`
    const bare = Object.create(null);
    const results = [
      est.estimate({ model: M, get seqLen() { throw bare; } }),
      est.estimate({ model: M, get seqLen() { throw new Error('boom'); } }),
      est.estimate((() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()),
      est.estimate((() => { const a = { model: M }; a.self = a; return a; })()),
      est.sweep({ model: M }, { get axis() { throw bare; } }),
      est.sweep({ model: M }, (() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()),
      est.maxSeqLen({ model: M, get batch() { throw bare; } }, 1e10),
      est.plan({ model: M }, { get gpu() { throw bare; } }),
    ];
    return results.map((r) => [r.ok, r.errors && r.errors[0].field, typeof (r.errors && r.errors[0].message)]);`);
  for (const [ok, field, messageType] of value) {
    assert.equal(ok, false);
    assert.ok(['request', 'range', 'options'].includes(field), field);
    assert.equal(messageType, 'string');
  }
});

test('a 63 MB request is refused at once, before the module copies it, and memory stays small', () => {
  const { value, stderr } = inChild(`
    const junk = []; for (let i = 0; i < 21000000; i++) junk.push({});
    const t0 = Date.now();
    const r = est.estimate({ model: M, junk });
    return { ok: r.ok, field: r.errors[0].field, message: r.errors[0].message, ms: Date.now() - t0, heap: est.HEAPU8.length };`, 60000);
  assert.equal(value.ok, false);
  assert.equal(value.field, 'request');
  assert.match(value.message, /too large/);
  assert.ok(value.heap < 256 << 20, `module memory ${value.heap}`);
  assert.doesNotMatch(stderr, /Aborted/);
});

test('a value cut for a message is cut between characters (no "internal error")', () => {
  const { value } = inChild(`
    const long = 'x'.repeat(39) + '\\u00e9';
    return ['model', 'task', 'weights', 'gpu'].map((k) => {
      const r = est.estimate(k === 'model' ? { model: { preset: long } } : { model: M, [k]: long });
      return r.errors[0];
    });`);
  for (const e of value) {
    assert.doesNotMatch(e.message, /internal error|UTF-8/);
    assert.match(e.message, /xxx\.\.\./);
  }
});

test('per-layer lists (cross_attention_layers, mlp_only_layers) cost one pass, as config or configJson', () => {
  const { value } = inChild(`
    const base = { model_type: 'llama', vocab_size: 1000, hidden_size: 64, intermediate_size: 128,
      num_hidden_layers: 10000, num_attention_heads: 4, num_key_value_heads: 4 };
    const layers = Array.from({ length: 10000 }, (_, i) => i);
    const configs = {
      crossHuge: { ...base, cross_attention_layers: new Array(1000000).fill(3) },
      mlpOnlyHuge: { ...base, num_experts: 8, num_experts_per_tok: 2, mlp_only_layers: new Array(1000000).fill(3) },
      bothFull: { ...base, num_experts: 8, num_experts_per_tok: 2, cross_attention_layers: layers, mlp_only_layers: layers.slice().reverse() },
    };
    const out = {};
    for (const [name, config] of Object.entries(configs)) {
      for (const [how, model] of [['config', { config }], ['configJson', { configJson: JSON.stringify(config) }]]) {
        const t0 = Date.now();
        const r = est.estimate({ model, seqLen: 1024 });
        out[name + ' ' + how] = { ms: Date.now() - t0, ok: r.ok, field: r.ok ? null : r.errors[0].field, message: r.ok ? null : r.errors[0].message };
      }
    }
    return out;`, 30000);
  for (const [name, r] of Object.entries(value)) {
    // Parsing 2 MB of JSON takes most of it (~0.6 s); the per-layer search took 14 s.
    assert.ok(r.ms < 2000, `${name}: ${r.ms} ms`);
    if (name.startsWith('bothFull')) assert.equal(r.ok, true, `${name}: ${r.message}`);
    else assert.match(r.field, /^model\.(config\.(cross_attention_layers|mlp_only_layers)|configJson)$/, `${name}: ${r.field} ${r.message}`);
  }
  assert.equal(value['crossHuge config'].message, 'cross_attention_layers lists 1000000 layers, more than the model has (10000)');
});
