// The estimator against measured figures of 2025-2026 families
// (shared/reference/new-family-cases.json: vLLM start-up logs and llama.cpp
// buffers for hybrid recurrent, sliding-window, MLA and MXFP4 models, each
// posed as a contract request with the model's config.json). Each case's bound
// is what the estimator achieves; the comment says why where it is not tight.
// Skipped, saying so, without ../shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadEstimator, readJson, sharedDir } from './helpers.mjs';
import { runCases } from './measurements.mjs';

const file = join(sharedDir, 'reference/new-family-cases.json');

// case id -> worst relative error allowed
const BOUNDS = {
  // vLLM: Qwen3-Next (TP 2) and Qwen3.6-35B-A3B (fp8 KV, fp32 GDN state): one
  // request's pages in the hybrid pool, reconstructed from the logged pool,
  // block size and concurrency (parts/vllm_pages.hpp).
  9107: 0.001,
  9109: 0.001,
  // gpt-oss-120b, vLLM's own KV requirement at max_model_len: the sliding
  // layers' blocks follow max_num_batched_tokens, which we size as window + 16.
  9105: 0.01,
  // gpt-oss-120b posed as batch x the logged capacity: vLLM's log charges the
  // 18 sliding layers the full length, the estimate their window (-50%).
  9101: 0.5,
  // gpt-oss-120b weights on an H100 (Marlin MXFP4 repack): -7.9%, not
  // investigated in this change.
  9103: 0.08,
  // llama.cpp buffers: exact byte counts (KV, SWA, recurrent state).
  9111: 0.0001,
  9113: 0.0001,
  9115: 0.0001,
  9119: 0.0001,
  9121: 0.0001,
  // llama.cpp partial offload of Qwen3.6-27B (q4_K_S, 26 of 65 layers): +4.2%,
  // not investigated in this change.
  9117: 0.05,
};

test('new-family cases stay within their bounds', { skip: !existsSync(file) && 'shared/reference not found' }, async () => {
  const est = await loadEstimator();
  const results = runCases(est, readJson(file));
  assert.deepEqual(results.map((r) => r.id).sort(), Object.keys(BOUNDS).map(Number).sort());
  const lines = [];
  for (const r of results) {
    assert.ok(r.report.ok, `case ${r.id}: ${JSON.stringify(r.report.errors)}`);
    lines.push(`${r.id} ${r.category} / ${r.compare}: ${(100 * r.error).toFixed(3)}%`);
    assert.ok(Math.abs(r.error) <= BOUNDS[r.id], `case ${r.id}: error ${r.error} beyond ${BOUNDS[r.id]}`);
  }
  console.log(lines.join('\n'));
});
