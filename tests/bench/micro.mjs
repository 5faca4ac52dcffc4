// Quick speed figures of the built module in Node (no browser, no accuracy):
//   node tests/bench/micro.mjs [path/to/llmmem.js]
// start-up (module instantiation, first presets(), first estimate()), one
// estimate() through the JS API and through estimateJson, a pasted
// config.json, and a 1,000-point context sweep.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { root } from '../node/helpers.mjs';

const require = createRequire(import.meta.url);
const file = resolve(process.argv[2] ?? join(root, 'dist', 'llmmem.js'));
const REQ = { model: { preset: 'llama-3.1-8b' }, seqLen: 4096, batch: 1 };
const CONFIG = JSON.parse(readFileSync(join(root, 'tests/data/model-configs.json'), 'utf8'))[0];

// CPU time of this process, not wall time: the machine may be shared.
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function timeIt(fn, minMs = 400) {
  const batches = [];
  let calls = 1;
  const start = performance.now();
  while (performance.now() - start < minMs || batches.length < 5) {
    const t0 = cpuMs();
    for (let i = 0; i < calls; i++) fn(i);
    const dt = cpuMs() - t0;
    if (dt < 5) { calls *= 2; continue; }
    batches.push((dt * 1000) / calls);
  }
  // The fastest batch: slower ones met other load.
  return Math.min(...batches);
}

let t0 = performance.now();
const est = await require(file)();
const loadMs = performance.now() - t0;
t0 = performance.now();
const presets = est.presets();
const presetsMs = performance.now() - t0;
t0 = performance.now();
est.estimate(REQ);
const firstEstimateMs = performance.now() - t0;

const text = JSON.stringify(REQ);
// Warm-up: V8 runs WASM in its baseline tier until hot functions tier up.
timeIt((i) => est.estimate({ ...REQ, seqLen: 4096 + (i & 7) }), 800);
const rawUs = timeIt(() => est.estimateJson(text));
const estimateUs = timeIt((i) => est.estimate({ ...REQ, seqLen: 4096 + (i & 7) }));
const simpleUs = timeIt((i) => est.estimate({ ...REQ, estimator: 'simple', seqLen: 4096 + (i & 7) }));
const configUs = timeIt(() => est.estimate({ model: { config: CONFIG }, seqLen: 4096 }));
const range = { axis: 'seqLen', from: 512, to: 512 + 999 * 128, points: 1000 };
const s = est.sweep(REQ, range);
if (!s.ok || s.x.length !== 1000) throw new Error('sweep failed: ' + JSON.stringify(s).slice(0, 200));
const sweepMs = timeIt(() => est.sweep(REQ, range), 1000) / 1000;
const presetsUs = timeIt(() => est.presets());

const out = {
  loadMs: +loadMs.toFixed(1), firstPresetsMs: +presetsMs.toFixed(1), presets: presets.length,
  firstEstimateMs: +firstEstimateMs.toFixed(2),
  estimateJsonUs: +rawUs.toFixed(1), estimateUs: +estimateUs.toFixed(1), simpleUs: +simpleUs.toFixed(1),
  configUs: +configUs.toFixed(1), sweep1000Ms: +sweepMs.toFixed(2), presetsUs: +presetsUs.toFixed(1),
};
console.log(JSON.stringify(out));
