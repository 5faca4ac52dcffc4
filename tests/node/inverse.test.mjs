// The inverse questions of dist/llmmem.js (maxSeqLen, maxBatch, bestFormat,
// gpusNeeded, sweep, formats): each answer agrees with estimate() at its edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEstimator } from './helpers.mjs';

const base = { model: { preset: 'llama-3.1-8b' }, seqLen: 4096 };

test('maxSeqLen and maxBatch fit the budget and one more does not', async () => {
  const est = await loadEstimator();
  for (const [method, field] of [['maxSeqLen', 'seqLen'], ['maxBatch', 'batch']]) {
    const r = est[method](base, 30e9);
    assert.equal(r.ok, true, method);
    assert.equal(r.capped, false, method);
    assert.ok(r.value >= 1, method);
    assert.ok(est.estimate({ ...base, [field]: r.value }).totalBytes <= 30e9);
    assert.ok(est.estimate({ ...base, [field]: r.value + 1 }).totalBytes > 30e9);
    assert.equal(r.totalBytes, est.estimate({ ...base, [field]: r.value }).totalBytes);
  }
  assert.equal(est.maxSeqLen(base, 1e9).value, 0);
  // The longest context stops at the model's own maximum (131,072 for Llama 3.1) unless a limit is given.
  const whole = est.maxSeqLen(base, 1e12);
  assert.deepEqual([whole.value, whole.capped, whole.limit], [131072, true, 131072]);
  assert.equal(est.maxSeqLen(base, 1e12, 1 << 20).value, 1 << 20);
});

test('bestFormat walks the engine formats from the most precise', async () => {
  const est = await loadEstimator();
  assert.deepEqual(est.formats(), {
    transformers: ['bf16', 'int8', 'nf4'], vllm: ['bf16', 'fp8', 'awq-int4'], 'llama.cpp': ['f16', 'q8_0', 'q4_k_m'],
  });
  const all = est.bestFormat({ ...base, engine: 'llama.cpp' }, 1e15);
  assert.equal(all.value, 'f16');
  assert.deepEqual(all.candidates.map((c) => c.weights), ['f16', 'q8_0', 'q4_k_m']);
  const r = est.bestFormat(base, all.candidates[1].totalBytes + 1, ['f16', 'q8_0', 'q4_k_m']);
  assert.equal(r.value, 'q8_0');
  assert.equal(est.bestFormat(base, 1).value, null);
});

test('gpusNeeded and sweep', async () => {
  const est = await loadEstimator();
  assert.equal(est.gpusNeeded(base, 80e9).value, 1);
  const g = est.gpusNeeded({ ...base, task: 'finetune' }, 24e9);
  assert.ok(g.value > 1 && g.perGpuBytes <= 24e9);
  const s = est.sweep(base, { axis: 'seqLen', from: 1, to: 131072, points: 1000 });
  assert.equal(s.x.length, 1000);
  assert.equal(s.totalBytes[999], est.estimate({ ...base, seqLen: 131072 }).totalBytes);
});

test('the inverse methods never throw and name bad fields', async () => {
  const est = await loadEstimator();
  assert.equal(est.maxSeqLen(base, NaN).errors[0].field, 'budgetBytes');
  assert.equal(est.maxBatch({ ...base, batch: -1 }, 1e9).errors[0].field, 'batch');
  assert.equal(est.sweep(base, { axis: 'x', to: 10 }).errors[0].field, 'axis');
  assert.equal(est.sweep(base, { axis: 'batch', to: 10, points: 1e9 }).errors[0].field, 'points');
  const circular = {};
  circular.self = circular;
  for (const bad of [undefined, null, circular, { model: { preset: '<img src=x onerror=alert(1)>' } }]) {
    for (const m of ['maxSeqLen', 'maxBatch', 'bestFormat', 'gpusNeeded']) assert.equal(est[m](bad, 1e9).ok, false);
    assert.equal(est.sweep(bad).ok, false);
  }
});
