// The reproductions of issue "Unbreakable, all the way" items 1, 6 and 9, each
// in its own process with a time limit (helpers.mjs inChild): the inverse API
// cannot step outside the request's own bounds (limits and ranges are clamped
// in one place, core/api/inverse.cpp axis_bound), so no answer wraps around; a
// vision_config is range-checked; settings an engine would refuse are warned of.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inChild } from './helpers.mjs';

test('maxSeqLen and maxBatch answer within the bounds estimate() accepts', () => {
  const { value } = inChild(`
    const fields = est.schema().fields;
    const s = est.maxSeqLen({ model: M, engine: 'llama.cpp', batch: 2048 }, 8e10, 2 ** 53);
    const b = est.maxBatch({ model: M }, 1e15, 2 ** 53);
    return {
      bounds: { seqLen: fields.seqLen.max, batch: fields.batch.max },
      s, sTotal: est.estimate({ model: M, engine: 'llama.cpp', batch: 2048, seqLen: s.value }).totalBytes,
      b, bOk: est.estimate({ model: M, batch: b.value }).ok,
      half: est.maxSeqLen({ model: M }, 24e9, 0.5),
    };`);
  const { bounds, s, b } = value;
  assert.equal(s.ok, true);
  // Before the fix: {value: 9007199254740992, totalBytes: 15429812224} (2^53 tokens in 15 GB).
  assert.ok(s.value <= bounds.seqLen && s.limit <= bounds.seqLen, JSON.stringify(s));
  assert.equal(value.sTotal, s.totalBytes);
  // Before: 33,411,874 sequences, a batch estimate() itself rejects.
  assert.ok(b.value <= bounds.batch, JSON.stringify(b));
  assert.equal(value.bOk, true);
  // A fractional limit is refused, not silently exceeded.
  assert.equal(value.half.errors[0].field, 'limit');
});

test('gpusNeeded stays within the GPU bound; sweep within the axis bound, and refuses a backwards range', () => {
  const { value } = inChild(`
    const fields = est.schema().fields;
    return {
      bounds: { seqLen: fields.seqLen.max, gpus: fields.gpus.max },
      g: est.gpusNeeded({ model: M }, 1, 2 ** 53),
      sw: est.sweep({ model: M, engine: 'llama.cpp', batch: 1048576 }, { axis: 'seqLen', from: 2 ** 44, to: 2 ** 44, points: 1 }),
      backwards: est.sweep({ model: M }, { axis: 'seqLen', from: 10, to: 5 }),
      fractional: est.sweep({ model: M }, { axis: 'seqLen', to: 100, points: 2.5 }),
    };`);
  const { bounds, g, sw } = value;
  // Before: 16,783,087,616 cards.
  assert.ok(g.value === null || g.value <= bounds.gpus, JSON.stringify(g));
  assert.ok(sw.x.every((x) => x <= bounds.seqLen), JSON.stringify(sw.x));
  // 2^20 sequences of 2^24 tokens is over 2^53 bytes: no total, never a wrapped one (before: 15.4 GB).
  assert.deepEqual(sw.totalBytes, [null]);
  assert.equal(value.backwards.errors[0].field, 'from');
  assert.equal(value.fractional.errors[0].field, 'points');
});

test('a vision_config out of range is an error naming its field, not a smaller model', () => {
  const { value } = inChild(`
    const text = { model_type: 'gemma3_text', vocab_size: 262208, hidden_size: 2560, intermediate_size: 10240,
      num_hidden_layers: 34, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256 };
    const vision = { model_type: 'siglip_vision_model', hidden_size: 1152, intermediate_size: 4304,
      num_hidden_layers: 27, num_attention_heads: 16, patch_size: 14, image_size: 896, num_channels: 3 };
    const gemma = (v) => est.estimate({ model: { config: { model_type: 'gemma3', text_config: text, vision_config: { ...vision, ...v } } } });
    const first = (r) => r.ok ? { ok: true, params: r.params.total } : { ok: false, ...r.errors[0] };
    return { good: first(gemma({})), channels: first(gemma({ num_channels: -13000 })), image: first(gemma({ image_size: 2 ** 40 })) };`);
  // Gemma 3 4B with its SigLIP tower: 4,300,079,472 parameters (google/gemma-3-4b-it, safetensors total).
  assert.equal(value.good.ok, true);
  assert.ok(Math.abs(value.good.params / 4.30e9 - 1) < 0.01, String(value.good.params));
  // Before: 1.36 B parameters, silently.
  assert.equal(value.channels.field, 'model.config.vision_config.num_channels');
  // Before: "internal error: component weights is not a valid size".
  assert.equal(value.image.field, 'model.config.vision_config.image_size');
  assert.doesNotMatch(value.image.message, /internal error/);
});

test('settings an engine or trainer would refuse get a warning even without a card', () => {
  const { value } = inChild(`
    return {
      tp3: est.estimate({ model: M, engine: 'vllm', gpus: 3, tensorParallel: 3 }).warnings,
      rank: est.estimate({ model: M, task: 'finetune', method: 'lora', loraRank: 65536 }).warnings,
      long: est.estimate({ model: M, seqLen: 1048576 }).warnings,
    };`);
  assert.ok(value.tp3.some((w) => /does not divide the 32 attention heads/.test(w)), value.tp3.join(' | '));
  assert.ok(value.rank.some((w) => /larger than the hidden size 4,096/.test(w)), value.rank.join(' | '));
  // transformers runs past the trained context (RoPE extrapolation) but the answer degrades: say so.
  assert.ok(value.long.some((w) => /longer than the model's context of 131,072/.test(w)), value.long.join(' | '));
});
