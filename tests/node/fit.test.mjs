// Verdicts a person can act on (report.fit, plan, and the inverse questions
// with a card): every answer is checked against estimate() itself, over every
// preset × engine × a dozen cards, and the cases of the issue that asked for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEstimator } from './helpers.mjs';

// Consumer, workstation, datacenter NVIDIA generations, AMD, and two Apple tiers.
const CARDS = ['rtx-4090', 'rtx-3090', 'rtx-5090', 'l4', 't4', 'a100-sxm-40gb', 'h100-sxm-80gb',
  'h200-141gb', 'b200', 'mi300x', 'm4-max-128gb', 'm2-ultra-192gb'];
const ENGINES = ['transformers', 'vllm', 'llama.cpp'];

const reasons = (r) => (r.fit ? r.fit.reasons.map((x) => x.id) : []);
// The request with an inverse answer's value applied (and its assumed maxModelLen).

test('fit is present exactly when a card is named, and never says ok above the usable memory', async () => {
  const est = await loadEstimator();
  const gpus = Object.fromEntries(est.gpus().map((g) => [g.id, g]));
  for (const p of est.presets()) {
    const model = { preset: p.id };
    assert.equal(est.estimate({ model }).fit, undefined);
    for (const engine of ENGINES) {
      for (const gpu of CARDS) {
        const r = est.estimate({ model, engine, gpu });
        assert.equal(r.ok, true, `${p.id} ${engine} ${gpu}`);
        assert.equal(r.fit.usableBytes, gpus[gpu].usableBytes);
        if (r.totalBytes > r.fit.usableBytes) assert.equal(r.fit.ok, false, `${p.id} ${engine} ${gpu}`);
        assert.equal(r.fit.ok, r.fit.reasons.length === 0);
        for (const x of r.fit.reasons) assert.ok(x.message.length > 20 && !/undefined|NaN/.test(x.message), x.message);
      }
    }
    const custom = est.estimate({ model, gpuMemoryBytes: 24e9 });
    assert.equal(custom.fit.usableBytes, 24e9);
  }
});

test('maxSeqLen and maxBatch with a card: fit.ok at the answer and not one beyond', async () => {
  const est = await loadEstimator();
  for (const p of est.presets()) {
    for (const engine of ENGINES) {
      for (const gpu of CARDS) {
        const req = { model: { preset: p.id }, engine, gpu, seqLen: 4096 };
        for (const [method, field] of [['maxSeqLen', 'seqLen'], ['maxBatch', 'batch']]) {
          const a = est[method](req);
          const label = `${p.id} ${engine} ${gpu} ${method} = ${a.value}`;
          assert.equal(a.ok, true, label);
          const fixed = a.changes && a.changes.maxModelLen;
          const with_ = (v) => ({ ...req, [field]: v, ...(fixed ? { maxModelLen: field === 'seqLen' ? v : fixed } : {}) });
          if (a.value > 0) assert.equal(est.estimate(with_(a.value)).fit.ok, true, label);
          else assert.equal(est.estimate(with_(1)).fit.ok, false, label);
          if (a.value > 0 && !a.capped) {
            const beyond = est.estimate(with_(a.value + 1));
            assert.equal(beyond.fit.ok, false, label);
            assert.deepEqual(reasons(beyond).slice(0, 1), [a.binding], label);
          }
          if (a.capped) assert.equal(a.value, a.limit, label);
        }
      }
    }
  }
});

test('gpusNeeded with a card: a count the engine can use, at which fit.ok holds, and no smaller one', async () => {
  const est = await loadEstimator();
  for (const p of est.presets()) {
    for (const engine of ENGINES) {
      for (const gpu of CARDS) {
        const req = { model: { preset: p.id }, engine, gpu };
        const onCards = (n) => ({ ...req, gpus: n, ...(engine === 'vllm' ? { tensorParallel: n } : {}) });
        const a = est.gpusNeeded(req, undefined, 64);
        const label = `${p.id} ${engine} ${gpu} needs ${a.value}`;
        assert.equal(a.ok, true, label);
        const upTo = a.value === null ? 16 : a.value - 1;
        for (let n = 1; n <= upTo; n++) assert.equal(est.estimate(onCards(n)).fit.ok, false, `${label}: ${n} fits`);
        if (a.value !== null) {
          const r = est.estimate(onCards(a.value));
          assert.equal(r.fit.ok, true, label);
          assert.equal(r.totalBytes, a.perGpuBytes, label);
        }
      }
    }
  }
});

test('plan: estimate with its changes fits; no change is proposed where the request already fits', async () => {
  const est = await loadEstimator();
  for (const p of est.presets()) {
    for (const engine of ENGINES) {
      for (const gpu of CARDS) {
        for (const task of ['inference', 'finetune']) {
          if (task === 'finetune' && engine !== 'transformers') continue;
          const req = { model: { preset: p.id }, engine, task, gpu };
          const plan = est.plan(req, { maxGpus: 8 });
          const label = `${p.id} ${engine} ${task} ${gpu}: ${plan.summary}`;
          const as = est.estimate(req);
          if (as.fit.ok) {
            assert.equal(plan.ok, true, label);
            assert.deepEqual(plan.changes, {}, label);
            continue;
          }
          assert.equal(plan.binding, as.fit.reasons[0].id, label);
          if (!plan.ok) continue;
          const r = est.estimate({ ...req, ...plan.changes });
          assert.equal(r.fit.ok, true, label);
          assert.equal(r.totalBytes, plan.totalBytes, label);
          assert.ok(plan.gpus <= 8, label);
        }
      }
    }
  }
});

test('the cases of the issue: what vLLM, llama.cpp and the trainers would really do', async () => {
  const est = await loadEstimator();
  const M = { preset: 'llama-3.1-8b' };
  // vLLM refuses Llama 3.1 8B on an RTX 4090 at its default max_model_len 131,072 ("max seq
  // len 131072 is larger than the maximum number of tokens that can be stored in KV cache").
  const r4090 = est.estimate({ model: M, engine: 'vllm', gpu: 'rtx-4090' });
  assert.equal(r4090.fit.ok, false);
  assert.deepEqual(reasons(r4090), ['max_model_len']);
  assert.match(r4090.fit.reasons[0].message, /131,072 is larger than the [0-9,]+ tokens .* refuses to start/);
  const plan4090 = est.plan({ model: M, engine: 'vllm' }, { gpu: 'rtx-4090' });
  assert.equal(plan4090.ok, true);
  assert.deepEqual(Object.keys(plan4090.changes), ['maxModelLen']);
  assert.equal(plan4090.gpus, 1);
  assert.ok(plan4090.changes.maxModelLen >= 4096 && plan4090.changes.maxModelLen <= r4090.vllm.kvCapacityTokens);
  assert.match(plan4090.summary, /^fits on 1 × NVIDIA GeForce RTX 4090 with maxModelLen [0-9,]+$/);

  // 70B fp8 on one H100: the pool holds a few thousand tokens, not 131,072; the longest
  // context and the largest batch agree with that pool.
  const q70 = { model: { preset: 'llama-3.1-70b' }, engine: 'vllm', weights: 'fp8', gpu: 'h100-sxm-80gb' };
  const r70 = est.estimate(q70);
  assert.deepEqual(reasons(r70), ['max_model_len']);
  const longest = est.maxSeqLen(q70);
  assert.ok(longest.value > 4096 && longest.value < 16384, JSON.stringify(longest));
  const atLongest = est.estimate({ ...q70, seqLen: longest.value, maxModelLen: longest.changes.maxModelLen });
  assert.ok(atLongest.fit.ok && atLongest.vllm.kvCapacityTokens >= longest.value);
  assert.equal(est.maxBatch({ ...q70, maxModelLen: 4096, seqLen: 4096 }).value,
    Math.floor(est.estimate({ ...q70, maxModelLen: 4096, seqLen: 4096 }).vllm.kvCapacityTokens / 4096));

  // 405B on H100s: 10 cards do not divide 128 heads; bf16 needs 16, fp8 fits on 8.
  const q405 = { model: { preset: 'llama-3.1-405b' }, engine: 'vllm', gpu: 'h100-sxm-80gb' };
  const ten = est.estimate({ ...q405, gpus: 10, tensorParallel: 10 });
  assert.ok(reasons(ten).includes('tensor_parallel'));
  assert.equal(est.gpusNeeded(q405).value, 16);
  const plan8 = est.plan(q405, { maxGpus: 8 });
  assert.equal(plan8.ok, true);
  assert.equal(plan8.gpus, 8);
  assert.equal(plan8.changes.weights, 'fp8');

  // 70B full fine-tuning: 8 cards with ZeRO-3 and checkpointing are not enough once FSDP's
  // root unit and the caching allocator's reserve are counted (#17); it takes CPU offload, as
  // torchtune's llama3_1/70B_full.yaml does (fsdp_cpu_offload: True, "it will OOM, even on 8xA100").
  const plan70 = est.plan({ model: { preset: 'llama-3.1-70b' }, task: 'finetune' }, { gpu: 'h100-sxm-80gb', maxGpus: 8 });
  assert.equal(plan70.ok, true);
  assert.equal(plan70.changes.cpuOffload, 'optimizer+params');
  assert.equal(plan70.changes.zeroStage, 3);
  assert.equal(plan70.changes.gradientCheckpointing, true);
  assert.match(plan70.summary, /^fits on \d × NVIDIA H100 SXM 80GB with ZeRO-3, gradient checkpointing and optimizer states and parameters offloaded to the CPU$/);

  // vLLM on Apple silicon, fp8 KV on llama.cpp, fp8 weights on a T4: refused with a reason.
  assert.deepEqual(reasons(est.estimate({ model: M, engine: 'vllm', gpu: 'm4-max-128gb', maxModelLen: 8192 })), ['engine_hardware']);
  assert.deepEqual(reasons(est.estimate({ model: M, engine: 'llama.cpp', kvCache: 'fp8', gpu: 'rtx-4090' })), ['kv_cache_type']);
  assert.deepEqual(reasons(est.estimate({ model: M, weights: 'fp8', gpu: 't4' })), ['format_hardware']);
  // A context beyond the model's maximum gets a warning, never silence.
  const long = est.estimate({ model: M, seqLen: 1 << 20 });
  assert.ok(long.warnings.some((w) => /longer than the model's context of 131,072/.test(w)));
  // A plan needs a card.
  assert.equal(est.plan({ model: M }).errors[0].field, 'gpu');
});
