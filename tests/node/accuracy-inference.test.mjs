// The detailed inference estimator against published measurements
// (tests/data/measurement-cases.json: llama.cpp buffers, vLLM start-up logs,
// PyTorch peaks), through the built module. The bounds are what the
// estimator achieves, per category and compared quantity; a change that
// makes any of them worse fails here. docs/inference.md explains the outliers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEstimator } from './helpers.mjs';
import { loadCases, runCases, summarize, compareLabel, hasCases } from './measurements.mjs';

// [category, compare label, n, median bound, worst bound] (relative errors)
const BOUNDS = [
  // llama.cpp allocates exact buffers: weights and KV are exact byte counts.
  ['llama.cpp inference', 'weights', 10, 0.005, 0.04],   // gemma-7b (ollama): its token_embd is Q8_0, we assume Q6_K
  ['llama.cpp inference', 'kv_cache', 20, 0.001, 0.001],
  ['llama.cpp inference', 'activations', 7, 0.01, 0.20],  // Mistral on SYCL at n_ubatch 1024: +19.5%
  ['llama.cpp inference', 'total', 1, 0.02, 0.02],
  ['vLLM inference', 'weights', 12, 0.005, 0.18],          // Llama-3.1-405B-FP8: Meta quantizes the MLP only
  ['vLLM inference', 'kv_cache', 5, 0.002, 0.002],
  ['vLLM inference', 'activations', 3, 0.07, 0.11],
  ['transformers inference', 'total-overhead', 17, 0.005, 0.10],  // octocoder bnb-4bit: -9.5%
  ['transformers inference', 'weights+overhead', 1, 0.01, 0.01],
];

test('inference cases stay within the accuracy the docs state', { skip: !hasCases() }, async () => {
  const est = await loadEstimator();
  const cases = loadCases().filter((c) => / inference$/.test(c.category) && !c.category.includes('fine'));
  const results = runCases(est, cases);
  for (const r of results) assert.ok(r.report.ok, `case ${r.id}: ${JSON.stringify(r.report.errors)}`);
  const lines = [];
  for (const [category, label, n, median, worst] of BOUNDS) {
    const group = results.filter((r) => r.category === category && compareLabel(r.compare) === label);
    const s = summarize(group);
    lines.push(`${category} / ${label}: n ${s.n}, median ${(100 * s.median).toFixed(2)}%, p90 ${(100 * s.p90).toFixed(2)}%, worst ${(100 * s.worst).toFixed(2)}%`);
    assert.equal(s.n, n, `${category} / ${label}: case count`);
    assert.equal(s.failed, 0);
    assert.ok(s.median <= median, `${category} / ${label}: median ${s.median} > ${median}`);
    assert.ok(s.worst <= worst, `${category} / ${label}: worst ${s.worst} > ${worst}`);
  }
  console.log(lines.join('\n'));
});
