// web/src/state.js: the page's URL-hash state, built from the core's schema.
// Encoding then decoding gives the state back; any other hash decodes to a
// valid state and a list of problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createState } from '../../web/src/state.js';
import { loadEstimator } from './helpers.mjs';

const schema = (await loadEstimator()).schema();
const S = createState(schema);

test('the defaults encode to the bare version and decode back', () => {
  assert.equal(S.encode(S.defaults()), '#v1');
  assert.deepEqual(S.decode('#v1'), { state: S.defaults(), problems: [] });
  assert.deepEqual(S.decode(''), { state: S.defaults(), problems: [] });
  const d = S.defaults();
  assert.equal(d.model, 'llama-3.1-8b');
  assert.equal(d.seqLen, 4096);
  assert.equal(d.batch, 1);
});

test('a changed state round-trips through the hash', () => {
  const s = { ...S.defaults(), model: 'qwen2.5-72b', task: 'finetune', engine: 'llama.cpp', weights: 'q8_0', seqLen: 32768,
    batch: 8, method: 'qlora-4bit', optimizer: 'paged-adamw-8bit', loraRank: 64, loraTargets: 'attention', checkpointing: true,
    gpuIds: ['rtx-4090', 'a100-sxm-80gb'], gpus: 4, zeroStage: 3, tensorParallel: 2, attention: 'flash', ubatch: 256, unit: 'gib' };
  const hash = S.encode(s);
  assert.match(hash, /^#v1&m=qwen2\.5-72b&t=finetune&e=llama\.cpp&w=q8_0&s=32768&b=8&/);
  assert.deepEqual(S.decode(hash), { state: s, problems: [] });
  const p = { ...S.defaults(), mode: 'params', params: 7 };
  assert.equal(S.encode(p), '#v1&p=7');
  assert.deepEqual(S.decode('#v1&p=7').state, p);
});

test('hostile or broken hashes fall back to defaults with problems', () => {
  const cases = ['#v2&m=x', '#<script>alert(1)</script>', '#v1&s=NaN&b=-1&m=<img src=x onerror=alert(1)>',
    '#v1&s=99999999999999999999', '#v1&m=%E0%A4%A', '#v1&' + 'a=1&'.repeat(5000), '#v1&g=' + 'x,'.repeat(100),
    '#v1&__proto__=1&constructor=2&p=1e400', '#v1&gm=2&z=9&u=tb'];
  for (const h of cases) {
    const r = S.decode(h);
    for (const [k, v] of Object.entries(S.defaults())) {
      if (k === 'mode') continue;
      assert.equal(typeof r.state[k], typeof v, `${h.slice(0, 40)} ${k}`);
    }
    assert.ok(r.problems.length > 0, h.slice(0, 40));
    assert.equal(Object.getPrototypeOf(r.state), Object.prototype);
  }
  assert.equal(S.decode('#v1&s=NaN&b=3').state.batch, 3);
  assert.equal(S.decode('#v1&s=NaN').state.seqLen, 4096);
  assert.equal(S.decode(42).problems.length, 0);
});

test('bounds and choices are the core\'s: the largest seqLen, ubatch and card count it takes decode', () => {
  const f = schema.fields;
  for (const [key, field] of [['s', 'seqLen'], ['b', 'batch'], ['ub', 'ubatch'], ['n', 'gpus'], ['tp', 'tensorParallel'], ['r', 'loraRank']]) {
    const hash = '#v1&e=llama.cpp&' + key + '=' + f[field].max;
    const decoded = S.decode(hash);
    assert.deepEqual(decoded.problems, [], hash);
    assert.equal(S.decode('#v1&' + key + '=' + (f[field].max + 1)).problems.length, 1, key + ' above the max');
  }
  for (const kv of f.kvCache.values) assert.equal(S.decode('#v1&e=llama.cpp&kv=' + kv).state.kvCache,
    schema.engines.find((e) => e.id === 'llama.cpp').kvCache.includes(kv) ? kv : 'auto', kv);
  for (const o of f.optimizer.values) assert.equal(S.decode('#v1&o=' + o).state.optimizer, o);
});

test('a KV-cache type or format the engine does not offer falls back, and says so', () => {
  const vllm = S.decode('#v1&e=vllm&kv=q8_0');
  assert.equal(vllm.state.kvCache, 'auto');
  assert.deepEqual(vllm.problems, ['KV cache q8_0 is not offered by vllm; using auto']);
  assert.deepEqual(S.decode('#v1&e=vllm&kv=fp8'), { state: { ...S.defaults(), engine: 'vllm', kvCache: 'fp8' }, problems: [] });
  const cpp = S.decode('#v1&e=llama.cpp&kv=fp8&w=int8');
  assert.deepEqual([cpp.state.kvCache, cpp.state.weights], ['auto', '']);
  assert.equal(cpp.problems.length, 2);
});
