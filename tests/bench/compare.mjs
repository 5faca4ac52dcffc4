// Behaviour check for speed work: runs one corpus of requests (every preset
// under many settings, the measurement cases, pasted configs, invalid
// requests, inverse questions) through two builds of the module and reports
// every answer that differs byte for byte.
//   node tests/bench/compare.mjs OLD/llmmem.js NEW/llmmem.js
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { root } from '../node/helpers.mjs';

const require = createRequire(import.meta.url);
const [oldFile, newFile] = process.argv.slice(2).map((f) => resolve(f));
const a = await require(oldFile)();
const b = await require(newFile)();

const cases = JSON.parse(readFileSync(join(root, 'tests/data/measurement-cases.json'), 'utf8'));
const configs = JSON.parse(readFileSync(join(root, 'tests/data/model-configs.json'), 'utf8'));
const presets = JSON.parse(a.presetsJson()).map((p) => p.id);

const variants = [
  {}, { seqLen: 4096 }, { seqLen: 131072, batch: 8 }, { estimator: 'simple' },
  { engine: 'vllm' }, { engine: 'vllm', gpu: 'h100-sxm-80gb' }, { engine: 'vllm', gpus: 4, tensorParallel: 4, weights: 'fp8' },
  { engine: 'llama.cpp', weights: 'q4_k_m', kvCache: 'q8_0' }, { engine: 'llama.cpp', weights: 'q4_0', kvCache: 'q4_0', kvCacheV: 'q8_0', gpuLayers: 10 },
  { weights: 'int8' }, { weights: 'nf4' }, { kvCache: 'fp8', seqLen: 32768 },
  { task: 'finetune' }, { task: 'finetune', method: 'lora' }, { task: 'finetune', method: 'qlora-4bit', gradientCheckpointing: true },
  { task: 'finetune', method: 'qlora-8bit' }, { task: 'finetune', optimizer: 'adamw-8bit', gpus: 8, zeroStage: 3 },
  { task: 'finetune', method: 'lora', loraRank: 64, loraTargets: ['q_proj', 'v_proj'], modulesToSave: ['lm_head'] },
  { task: 'finetune', trainingPrecision: 'mixed-fp16', cpuOffload: 'optimizer', optimizer: 'sgd' },
  { task: 'finetune', estimator: 'simple', method: 'lora' },
];
const requests = [];
for (const id of presets) for (const v of variants) requests.push({ model: { preset: id }, ...v });
for (const c of cases) requests.push(c.request);
for (const c of configs) { requests.push({ model: { config: c }, seqLen: 8192 }); requests.push({ model: { configJson: JSON.stringify(c) } }); }
requests.push(
  {}, { model: {} }, { model: { preset: 'nope' } }, { model: { preset: 5 } }, { model: { params: 7e9 } }, { model: { params: 7e9 }, estimator: 'detailed' },
  { model: { params: -1 } }, { model: { preset: 'llama-3.1-8b' }, seqLen: 0 }, { model: { preset: 'llama-3.1-8b' }, seqLen: 1.5 },
  { model: { preset: 'llama-3.1-8b' }, seqLen: 1e12 }, { model: { preset: 'llama-3.1-8b' }, seqLen: NaN }, { model: { preset: 'llama-3.1-8b' }, batch: Infinity },
  { model: { preset: 'llama-3.1-8b' }, weights: 'bogus' }, { model: { preset: 'llama-3.1-8b' }, engine: 'x', task: 'y', optimizer: 3 },
  { model: { preset: 'llama-3.1-8b' }, gpus: 3, tensorParallel: 2 }, { model: { preset: 'llama-3.1-8b' }, gpuMemoryUtilization: 2 },
  { model: { preset: 'llama-3.1-8b' }, loraTargets: [] }, { model: { preset: 'llama-3.1-8b' }, gpu: 'nope' }, { model: { preset: 'llama-3.1-8b' }, gpuMemoryBytes: 5 },
  { model: { preset: 'llama-3.1-8b' }, seqLen: 16777216, batch: 1048576 }, { model: { config: { hidden_size: 4096 } } }, { model: { configJson: '{bad' } },
  { model: { configJson: '[' + '['.repeat(200) } }, { model: { config: { ...configs[0], num_key_value_heads: 7 } } },
);
const diffs = [];
const check = (label, x, y) => { if (x !== y) diffs.push({ label, old: x.slice(0, 400), new: y.slice(0, 400) }); };
for (const r of requests) { const t = JSON.stringify(r); check(t.slice(0, 160), a.estimateJson(t), b.estimateJson(t)); }
// The JS API over the same requests (the wrapper's own conversions included).
for (const r of requests) check('api ' + JSON.stringify(r).slice(0, 150), JSON.stringify(a.estimate(r)), JSON.stringify(b.estimate(r)));
check('api presets', JSON.stringify(a.presets()), JSON.stringify(b.presets()));
check('api gpus', JSON.stringify(a.gpus()), JSON.stringify(b.gpus()));
check('api formats', JSON.stringify(a.formats()), JSON.stringify(b.formats()));
const apiQuestions = (est) => [
  est.sweep({ model: { preset: 'llama-3.1-8b' } }, { axis: 'seqLen', to: 131072 }),
  est.sweep({ model: { preset: 'llama-3.1-8b' } }, 'seqLen'),
  est.maxSeqLen({ model: { preset: 'llama-3.1-8b' } }, 24e9),
  est.maxBatch({ model: { preset: 'llama-3.1-8b' }, engine: 'vllm' }, 80e9, 4096),
  est.bestFormat({ model: { preset: 'llama-3.1-8b' } }, 10e9),
  est.gpusNeeded({ model: { preset: 'llama-3.1-8b' }, task: 'finetune' }, 24e9),
  est.estimate(null), est.estimate(undefined), est.estimate({ model: { preset: 'llama-3.1-8b' }, seqLen: 10n }),
  est.estimate({ model: { preset: 'llama-3.1-8b' }, seqLen: -Infinity, name: 'caf\u00e9 \u2014 \ud83d\ude00 \ud800' }),
];
check('api inverse', JSON.stringify(apiQuestions(a)), JSON.stringify(apiQuestions(b)));
for (const t of ['', 'null', '[]', '{', '"x"', '{"model":{"preset":"llama-3.1-8b"},"seqLen":{"$nonfinite":"NaN"}}'])
  check('raw ' + t, a.estimateJson(t), b.estimateJson(t));
check('presets', a.presetsJson(), b.presetsJson());
check('gpus', a.gpusJson(), b.gpusJson());
const base = { model: { preset: 'llama-3.1-8b' }, seqLen: 4096 };
const questions = [
  { op: 'formats' }, { op: 'nope' }, {}, { op: 'sweep', request: base, axis: 'seqLen', to: 131072 },
  { op: 'sweep', request: base, axis: 'batch', from: 1, to: 64, points: 10 }, { op: 'sweep', request: base, axis: 'x', to: 5 },
  { op: 'maxSeqLen', request: base, budgetBytes: 24e9 }, { op: 'maxBatch', request: base, budgetBytes: 80e9 },
  { op: 'bestFormat', request: base, budgetBytes: 10e9 }, { op: 'bestFormat', request: { ...base, engine: 'llama.cpp' }, budgetBytes: 6e9, candidates: ['q8_0', 'q4_k_m', 'zzz'] },
  { op: 'gpusNeeded', request: { model: { preset: presets[presets.length - 1] } }, gpuBytes: 80e9 }, { op: 'gpusNeeded', request: { ...base, task: 'finetune' }, gpuBytes: 24e9 },
  { op: 'sweep', request: { model: { preset: 'nope' } }, axis: 'seqLen', to: 5 },
];
for (const id of presets) questions.push({ op: 'sweep', request: { model: { preset: id }, engine: 'vllm' }, axis: 'seqLen', to: 65536, points: 17 });
for (const q of questions) { const t = JSON.stringify(q); check(t.slice(0, 160), a.inverseJson(t), b.inverseJson(t)); }

console.log(`${requests.length} requests, ${questions.length} questions: ${diffs.length} differ`);
for (const d of diffs.slice(0, 10)) console.log(JSON.stringify(d, null, 1));
process.exit(diffs.length ? 1 : 0);
