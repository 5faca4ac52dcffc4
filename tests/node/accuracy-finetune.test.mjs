// The detailed fine-tuning estimator against the published fine-tuning
// measurements (tests/data/measurement-cases.json; shared/reference/
// measurements.md says what each figure is). The bounds are what the model
// achieves today, per source: they guard against regressions, and
// docs/finetune.md explains where and why each source is off. No constant of
// the estimator is fitted to a row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEstimator } from './helpers.mjs';
import { hasCases, loadCases, runCases, summarize } from './measurements.mjs';

// Per category: the largest median and worst absolute relative error accepted
// (what the model achieves since #17, with a small margin).
const BOUNDS = {
  // Allocator peaks (active/allocated, later reserved) of torchtune recipes. Largest misses:
  // 146 +52% (405B QLoRA: even weights + checkpointed inputs + logits exceed the figure),
  // 167/170 -33%/-27% (April 2024 FSDP runs on variable-length data: reserved far above),
  // 143/145/149/155 +17…24% (compiled runs: the requests cannot say compile).
  'fine-tune (torchtune)': { median: 0.06, worst: 0.55 },
  // PEFT README: plain LoRA rows within 10%; DeepSpeed ZeRO-3 CPU-offload rows: T0_3B (173) +1%
  // with ZeRO-3's reduce_bucket_size gradient bucket (5e8 fp32 elements), mt0-xxl / bloomz-7b1
  // (176/179) still -30/-40% (their 250k-vocabulary runs hold more than is modelled). Llama-2-70B
  // QLoRA on 2 GPUs (181/184, nvidia-smi) -16/-14%: sharded QLoRA keeps its norms, embeddings and
  // residual in bf16 (TRL skips PEFT's kbit preparation under FSDP / ZeRO-3); what else those runs
  // hold is not modelled.
  'fine-tune (PEFT)': { median: 0.10, worst: 0.42 },
  // max_memory_reserved under FSDP: the allocated peaks are right (8.16 / 8.85 GiB against the
  // published 8.28 / 9.16); the root unit stays gathered under CPU offload too (196/197/199/200);
  // the reserved floor left by FSDP's wrapping (185: -28%, 187: -12%) is not modelled.
  'fine-tune (Answer.AI fsdp_qlora)': { median: 0.10, worst: 0.33 },
  // Vendor tables with unstated settings on variable-length datasets: the
  // same request is measured between 5.4 and 18 GB. Requests with Unsloth's defaults are read as
  // unsloth (offloaded checkpoints, 16-bit embeddings): its own rows within 19%, the HF FA2 rows
  // of the same request 30-67% under (203/206/209).
  'fine-tune (Unsloth / HF QLoRA)': { median: 0.21, worst: 0.69 },
  // The HF anatomy doc's runs (eager attention, its CUDA context, torch 1.x: gradients kept by
  // zero_grad(), read from their fp32 / fp16 AMP regime): within 9%.
  'transformers full fine-tune (bert-large anatomy)': { median: 0.05, worst: 0.10 },
};

test('fine-tuning cases stay within the per-source error bounds', { skip: !hasCases() && 'no cases' }, async () => {
  const est = await loadEstimator();
  const cases = loadCases().filter((c) => c.request.task === 'finetune');
  assert.ok(cases.length >= 50, `only ${cases.length} fine-tuning cases`);
  const results = runCases(est, cases);
  for (const r of results) assert.ok(Number.isFinite(r.error), `case ${r.id}: ${JSON.stringify(r.report.errors)}`);
  const categories = [...new Set(results.map((r) => r.category))];
  for (const cat of categories) {
    const s = summarize(results.filter((r) => r.category === cat));
    const b = BOUNDS[cat];
    assert.ok(b, `no bound for category ${cat}`);
    const line = `${cat}: n ${s.n}, median ${(100 * s.median).toFixed(1)}%, p90 ${(100 * s.p90).toFixed(1)}%, worst ${(100 * s.worst).toFixed(1)}%`;
    assert.ok(s.median <= b.median, line);
    assert.ok(s.worst <= b.worst, line);
  }
  const all = summarize(results);
  assert.ok(all.median <= 0.12, `overall median ${(100 * all.median).toFixed(1)}%`);
  const confident = summarize(results.filter((r) => r.confidence !== 'low'));
  assert.ok(confident.median <= 0.065, `medium and high confidence median ${(100 * confident.median).toFixed(1)}%`);
});

test('the allocator-exact rows (high confidence) are within 20%', { skip: !hasCases() && 'no cases' }, async () => {
  const est = await loadEstimator();
  const cases = loadCases().filter((c) => c.request.task === 'finetune' && c.confidence === 'high');
  assert.ok(cases.length >= 5);
  for (const r of runCases(est, cases))
    assert.ok(Math.abs(r.error) <= 0.20, `case ${r.id}: ${(100 * r.error).toFixed(1)}%`);
});

test('every fine-tuning report has the six required components and sums exactly', async () => {
  const est = await loadEstimator();
  const r = est.estimate({ model: { preset: 'llama-3.1-8b' }, task: 'finetune', method: 'qlora-4bit', gpus: 2, zeroStage: 3 });
  assert.equal(r.ok, true);
  for (const id of ['weights', 'kv_cache', 'activations', 'gradients', 'optimizer', 'overhead'])
    assert.ok(r.components.some((c) => c.id === id), id);
  assert.equal(r.totalBytes, r.components.reduce((s, c) => s + c.bytes, 0));
  assert.equal(r.params.trainable, 41943040);  // PEFT: Llama-3-8B, r=16, all-linear
});

test('every fine-tuning report gives the three readings and a range that holds the total', async () => {
  const est = await loadEstimator();
  for (const c of loadCases().filter((x) => x.request.task === 'finetune')) {
    const r = est.estimate(c.request);
    assert.equal(r.ok, true, `case ${c.id}`);
    const overhead = r.components.find((x) => x.id === 'overhead').bytes;
    const reserve = r.components.find((x) => x.id === 'allocator_reserve').bytes;
    assert.equal(r.memory.deviceBytes, r.totalBytes, `case ${c.id}`);
    assert.equal(r.memory.reservedBytes, r.totalBytes - overhead, `case ${c.id}`);
    assert.equal(r.memory.allocatedBytes, r.totalBytes - overhead - reserve, `case ${c.id}`);
    assert.ok(r.range && r.range.lowBytes <= r.totalBytes && r.totalBytes <= r.range.highBytes, `case ${c.id}`);
    assert.match(r.settings.trainer, /^(hf-trainer|torchtune|accelerate-fsdp|fsdp-qlora|deepspeed|unsloth|plain-pytorch)\b/);
  }
  // Inference reports keep their shape: no readings, no range.
  const inf = est.estimate({ model: { preset: 'llama-3.1-8b' } });
  assert.equal(inf.memory, undefined);
  assert.equal(inf.range, undefined);
});
