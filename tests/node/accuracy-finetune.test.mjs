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

// Per category: the largest median and worst absolute relative error accepted.
const BOUNDS = {
  // Allocator peaks (active/allocated, later reserved) of torchtune recipes, as
  // reviewed on 2026-12-06 (targets, chunked loss, allocated vs reserved
  // metrics; three rows dropped). Largest misses: 167/170 (April 2024 runs whose
  // dtypes/loading differ from the stated setup), 146 +22% and 155 +17% (open in #17).
  'fine-tune (torchtune)': { median: 0.11, worst: 0.40 },
  // PEFT README: plain LoRA rows within 10%, Llama-2-70B QLoRA within 8%; the DeepSpeed ZeRO-3 CPU-offload
  // rows keep far more on the GPU than FSDP-style streaming (stage3_max_live_parameters): case 179
  // is -67.3% since the 2026-12-06 review of the cases (the estimator did not change; #17 models it).
  'fine-tune (PEFT)': { median: 0.10, worst: 0.68 },
  // max_memory_reserved under FSDP: the all-gather stream's cached blocks
  // are not reused by the compute stream; we model a 10% reserve only.
  'fine-tune (Answer.AI fsdp_qlora)': { median: 0.26, worst: 0.43 },
  // Vendor tables with unstated settings on variable-length datasets: the
  // same request is measured between 5.4 and 18 GB.
  'fine-tune (Unsloth / HF QLoRA)': { median: 0.22, worst: 0.75 },
  // The HF anatomy doc's runs, restated (eager attention, its CUDA context):
  // -22%…+2% (docs/finetune.md).
  'transformers full fine-tune (bert-large anatomy)': { median: 0.12, worst: 0.25 },
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
  assert.ok(all.median <= 0.22, `overall median ${(100 * all.median).toFixed(1)}%`);
});

test('the allocator-exact rows (high confidence) are within 25%', { skip: !hasCases() && 'no cases' }, async () => {
  const est = await loadEstimator();
  const cases = loadCases().filter((c) => c.request.task === 'finetune' && c.confidence === 'high');
  assert.ok(cases.length >= 5);
  for (const r of runCases(est, cases))
    assert.ok(Math.abs(r.error) <= 0.25, `case ${r.id}: ${(100 * r.error).toFixed(1)}%`);
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
