// Seed corpora for the fuzzers, from the project's own data: every catalog
// model as a config.json, every measurement case as a request, and the real
// config.json files of ../shared when present.
//   node tests/fuzz/make-corpus.mjs <out dir>
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { llamaGguf, safetensorsHeader } from '../data/model-files.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = process.argv[2] || join(root, 'build/fuzz/corpus');
const configs = join(out, 'config');
const requests = join(out, 'estimate');
const questions = join(out, 'inverse');
mkdirSync(configs, { recursive: true });
mkdirSync(requests, { recursive: true });
mkdirSync(questions, { recursive: true });

const models = JSON.parse(readFileSync(join(root, 'core/data/models.json'), 'utf8'));
models.forEach((m, i) => {
  writeFileSync(join(configs, `model-${i}.json`), JSON.stringify(m));
  writeFileSync(join(requests, `preset-${i}.json`), JSON.stringify({ model: { preset: m.id }, task: i % 2 ? 'finetune' : 'inference' }));
});
// Inverse questions and plans over a few presets, each op with and without a card.
const ops = [
  { op: 'maxSeqLen', budgetBytes: 24e9 }, { op: 'maxBatch', budgetBytes: 80e9, limit: 4096 },
  { op: 'bestFormat', budgetBytes: 10e9 }, { op: 'gpusNeeded', gpuBytes: 24e9, limit: 64 },
  { op: 'sweep', axis: 'seqLen', from: 1, to: 131072, points: 9 }, { op: 'plan', gpu: 'rtx-4090', maxGpus: 8 },
];
models.slice(0, 6).forEach((m, i) => ops.forEach((q, j) => {
  const request = { model: { preset: m.id }, engine: ['transformers', 'vllm', 'llama.cpp'][(i + j) % 3], ...(j % 2 ? { gpu: 'h100-sxm-80gb' } : {}) };
  writeFileSync(join(questions, `q-${i}-${j}.json`), JSON.stringify({ ...q, request }));
}));
const cases = JSON.parse(readFileSync(join(root, 'tests/data/measurement-cases.json'), 'utf8'));
cases.forEach((c) => writeFileSync(join(requests, `case-${c.id}.json`), JSON.stringify(c.request)));
const real = join(root, '..', 'shared', 'reference', 'real-configs');
if (existsSync(real))
  for (const f of readdirSync(real).filter((n) => n.endsWith('.json') && n !== 'index.json')) copyFileSync(join(real, f), join(configs, f));
else console.log(`${real} not found: the config corpus has no real-world config.json files (skipped)`);
const regressions = join(root, 'tests/fuzz/regressions');
for (const f of readdirSync(regressions)) {
  copyFileSync(join(regressions, f), join(f.startsWith('config') ? configs : requests, f));
}
// Model file headers: GGUF (whole, and cut short) and safetensors / index.json.
const ggufs = join(out, 'gguf');
const sts = join(out, 'safetensors');
mkdirSync(ggufs, { recursive: true });
mkdirSync(sts, { recursive: true });
[{}, { layers: 1, hidden: 512, heads: 8, kvHeads: 8, vocab: 32 }].forEach((shape, i) => {
  const g = llamaGguf(shape);
  writeFileSync(join(ggufs, `llama-${i}.gguf`), g.header);
  writeFileSync(join(ggufs, `llama-${i}-cut.gguf`), g.header.subarray(0, g.header.length >> 1));
});
const st = safetensorsHeader({
  'model.embed_tokens.weight': ['BF16', [32, 16], 2], 'model.layers.0.mlp.down_proj.weight': ['F8_E4M3', [16, 16], 1],
  'model.layers.0.mlp.down_proj.weight_scale_inv': ['F32', [1, 1], 4], 'experts.gate_up_proj_blocks': ['U8', [2, 4, 16], 1],
  'experts.gate_up_proj_scales': ['U8', [2, 4], 1], 'w.weight_scale': ['F8_E4M3', [4], 1],
});
writeFileSync(join(sts, 'mixed.safetensors'), st.header);
writeFileSync(join(sts, 'index.json'), JSON.stringify({ metadata: { total_size: 16060522496 }, weight_map: { 'a.weight': 'model-00001-of-00002.safetensors', 'b.weight': 'model-00002-of-00002.safetensors' } }));
console.log(`seed corpora in ${out}: ${readdirSync(configs).length} configs, ${readdirSync(requests).length} requests, ${readdirSync(questions).length} questions`);
