// The premise of the searches (core/api/inverse.cpp, may_fit_again): along the batch, and along
// the context length for every engine but vLLM, a request's per-GPU total never falls and a verdict
// of "does not fit" never turns back to "fits" as the value grows. maxBatch, maxSeqLen and the
// plan's smaller workloads then bisect to the exact edge without scanning above it; vLLM's context
// is scanned, since its profile run shrinks past 32K tokens (the one known dip). Seeded random
// requests over the schema's options (engines' own fields, trainers, offload, card or none), each
// walked along both axes on a grid of 2^(1/16) steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inChild } from './helpers.mjs';

const REQUESTS = 260;

test(`${REQUESTS} random requests: the total and the verdict are monotone along batch and context (vLLM's context aside)`, () => {
  const { value } = inChild(`
    let seed = 2026120701;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
    const maybe = (p) => rnd() < p;
    const schema = est.schema();
    const f = schema.fields;
    const presets = est.presets().map((p) => p.id);
    const gpus = est.gpus().map((g) => g.id);
    const engines = Object.fromEntries(schema.engines.map((e) => [e.id, e]));
    const request = () => {
      const r = { model: { preset: pick(presets) }, task: pick(['inference', 'inference', 'finetune']), batch: 1, seqLen: 1 };
      if (maybe(0.1)) r.estimator = 'simple';
      if (r.task === 'inference') {
        const e = engines[r.engine = pick(Object.keys(engines))];
        if (maybe(0.7)) r.weights = pick(e.weights);
        if (maybe(0.3)) r.kvCache = pick(e.kvCache);
        if (r.engine === 'llama.cpp') {
          if (maybe(0.3)) r.ubatch = pick([32, 512, 4096]);
          if (maybe(0.3)) r.gpuLayers = pick([0, 8, 40, 999]);
          if (maybe(0.2)) r.expertsOnCpu = true;
          if (maybe(0.2)) r.swaFull = true;
        }
        if (r.engine === 'vllm') {
          if (maybe(0.3)) r.gpuMemoryUtilization = pick([0.5, 0.9, 0.95]);
          if (maybe(0.3)) r.maxNumBatchedTokens = pick([512, 8192, 65536]);
          if (maybe(0.3)) r.maxNumSeqs = pick([8, 256, 1024]);
          if (maybe(0.2)) r.cudaGraphs = false;
        }
      } else {
        r.method = pick(f.method.values);
        r.optimizer = pick(f.optimizer.values);
        r.gradientCheckpointing = maybe(0.5);
        r.zeroStage = pick([0, 0, 1, 2, 3]);
        if (maybe(0.4)) r.trainer = pick(f.trainer.values);
        if (maybe(0.3)) r.trainingPrecision = pick(f.trainingPrecision.values);
        if (maybe(0.2)) r.cpuOffload = pick(f.cpuOffload.values);
        for (const b of ['chunkedLoss', 'compile', 'activationOffloading', 'useCache', 'emptyCacheEachStep']) if (maybe(0.1)) r[b] = maybe(0.5);
        if (maybe(0.3)) r.attention = pick(f.attention.values);
      }
      if (maybe(0.4)) { r.gpus = pick([1, 2, 4, 8]); if (r.task === 'inference') r.tensorParallel = r.gpus; }
      if (maybe(0.85)) r.gpu = pick(gpus);
      return r;
    };
    const bad = [];
    let walked = 0, points = 0;
    for (let i = 0; i < ${REQUESTS}; i++) {
      const base = request();
      for (const axis of ['batch', 'seqLen']) {
        if (axis === 'seqLen' && base.engine === 'vllm') continue;
        const other = axis === 'batch' ? 'seqLen' : 'batch';
        const r = { ...base, [other]: axis === 'batch' ? 1 + Math.floor(rnd() * 8192) : 1 + Math.floor(rnd() * 16) };
        let prev = null;
        walked++;
        for (let v = 1; v <= f[axis].max; v = Math.max(v + 1, Math.floor(v * 1.0443))) {
          const e = est.estimate({ ...r, [axis]: v });
          if (!e.ok) { prev = null; continue; }
          points++;
          const now = { v, total: e.totalBytes, fits: e.fit ? e.fit.ok : true, why: e.fit && !e.fit.ok ? e.fit.reasons.map((x) => x.id).join(',') : '' };
          if (prev && now.total < prev.total) bad.push({ what: axis + ': the total falls', r, from: prev, to: now });
          if (prev && now.fits && !prev.fits) bad.push({ what: axis + ': fits again', r, from: prev, to: now });
          if (!now.fits && now.total > 1e16) break;
          prev = now;
        }
      }
    }
    return { bad: bad.slice(0, 4), count: bad.length, walked, points };`, 240000);
  assert.equal(value.count, 0, JSON.stringify(value.bad, null, 1));
  // The walks must be real: most requests estimate, at many points each.
  assert.ok(value.points > value.walked * 20, `${value.points} points over ${value.walked} walks`);
});

test('vLLM\'s context is not monotone: a longer max_model_len shrinks the profile run past 32K tokens', () => {
  // The dip the searches still scan for (core/api/inverse.cpp may_fit_again): the same request at
  // 32,768 and at 32,769 tokens (max_model_len following the context, as maxSeqLen asks it).
  const { value } = inChild(`
    const at = (n) => est.estimate({ model: M, task: 'inference', engine: 'vllm', seqLen: n, maxModelLen: n, gpu: 'rtx-4090' });
    return [at(32768).totalBytes, at(40000).totalBytes];`);
  assert.ok(value[1] < value[0], JSON.stringify(value));
});
