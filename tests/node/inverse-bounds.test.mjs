// The inverse API cannot step outside the request's own bounds (issue
// "Unbreakable, all the way", item 1): limits and ranges are clamped in one
// place (core/api/inverse.cpp axis_bound), so no answer wraps around.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEstimator } from './helpers.mjs';

const M = { preset: 'llama-3.1-8b' };

test('maxSeqLen and maxBatch answer within the bounds estimate() accepts', async () => {
  const est = await loadEstimator();
  const schema = est.schema().fields;
  const s = est.maxSeqLen({ model: M, engine: 'llama.cpp', batch: 2048 }, 8e10, 2 ** 53);
  assert.equal(s.ok, true);
  assert.ok(s.value <= schema.seqLen.max && s.limit <= schema.seqLen.max, JSON.stringify(s));
  assert.equal(est.estimate({ model: M, engine: 'llama.cpp', batch: 2048, seqLen: s.value }).totalBytes, s.totalBytes);
  const b = est.maxBatch({ model: M }, 1e15, 2 ** 53);
  assert.ok(b.value <= schema.batch.max, JSON.stringify(b));
  assert.equal(est.estimate({ model: M, batch: b.value }).ok, true);
  // A fractional limit is refused, not silently exceeded.
  assert.equal(est.maxSeqLen({ model: M }, 24e9, 0.5).errors[0].field, 'limit');
});

test('gpusNeeded stays within the GPU bound; sweep within the axis bound, and refuses a backwards range', async () => {
  const est = await loadEstimator();
  const schema = est.schema().fields;
  const g = est.gpusNeeded({ model: M }, 1, 2 ** 53);
  assert.ok(g.value === null || g.value <= schema.gpus.max, JSON.stringify(g));
  const sw = est.sweep({ model: M, engine: 'llama.cpp', batch: 1048576 }, { axis: 'seqLen', from: 2 ** 44, to: 2 ** 44, points: 1 });
  assert.ok(sw.x.every((x) => x <= schema.seqLen.max), JSON.stringify(sw.x));
  // 2^20 sequences of 2^24 tokens is over 2^53 bytes: no total, never a wrapped one.
  assert.deepEqual(sw.totalBytes, [null]);
  assert.equal(est.sweep({ model: M }, { axis: 'seqLen', from: 10, to: 5 }).errors[0].field, 'from');
  assert.equal(est.sweep({ model: M }, { axis: 'seqLen', to: 100, points: 2.5 }).errors[0].field, 'points');
});

test('settings an engine or trainer would refuse get a warning even without a card', async () => {
  const est = await loadEstimator();
  const tp3 = est.estimate({ model: M, engine: 'vllm', gpus: 3, tensorParallel: 3 });
  assert.ok(tp3.warnings.some((w) => /does not divide the 32 attention heads/.test(w)));
  const rank = est.estimate({ model: M, task: 'finetune', method: 'lora', loraRank: 65536 });
  assert.ok(rank.warnings.some((w) => /larger than the hidden size 4,096/.test(w)));
});
