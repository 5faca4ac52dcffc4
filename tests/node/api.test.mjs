// The contract's JS API: require()-able factory, plain objects, never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEstimator, root } from './helpers.mjs';

test('presets() and gpus() return the catalogs', async () => {
  const est = await loadEstimator();
  const presets = est.presets();
  assert.ok(presets.length >= 120, `${presets.length} presets`);
  const llama = presets.find((p) => p.id === 'llama-3.1-8b');
  // model-configs.md worked example: 8,030,261,248 parameters.
  assert.equal(llama.params, 8030261248);
  assert.equal(llama.activeParams, 8030261248);
  const gpus = est.gpus();
  assert.ok(gpus.length > 0);
  for (const g of gpus) assert.ok(g.id && g.name && Number.isSafeInteger(g.memoryBytes));
});

test('every preset has the fields the page searches: family, Hugging Face id, model type, counts', async () => {
  const est = await loadEstimator();
  const presets = est.presets();
  const ids = new Set();
  const repos = new Set();
  for (const p of presets) {
    assert.match(p.id, /^[a-z0-9][a-z0-9.-]*$/, p.id);
    assert.ok(p.name && p.family && p.modelType, p.id);
    assert.match(p.hfId, /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, p.id);
    assert.ok(Number.isSafeInteger(p.params) && p.params > 0 && p.activeParams > 0 && p.activeParams <= p.params, p.id);
    assert.ok(p.source.length > 10, p.id);
    ids.add(p.id);
    repos.add(p.hfId.toLowerCase());
  }
  assert.equal(ids.size, presets.length, 'ids are unique');
  assert.equal(repos.size, presets.length, 'Hugging Face ids are unique');
  // Qwen/Qwen3-Next-80B-A3B-Instruct: 81,324,862,720 in its checkpoint less the 1,650,471,424 of its MTP block.
  const next = presets.find((p) => p.id === 'qwen3-next-80b-a3b-instruct');
  assert.equal(next.hfId, 'Qwen/Qwen3-Next-80B-A3B-Instruct');
  assert.equal(next.family, 'Qwen');
  assert.equal(next.params, 81324862720 - 1650471424);
});

test('estimate() never throws, whatever it is given', async () => {
  const est = await loadEstimator();
  const circular = {};
  circular.self = circular;
  const inputs = [undefined, null, 42, 'text', [], {}, circular, { model: { params: 10n ** 10n } },
    { model: { params: NaN } }, { model: { params: Infinity } }, { model: { params: 7e9 }, batch: -1 },
    { model: { params: 7e9 }, seqLen: '2048' }, { model: { preset: '<script>alert(1)</script>' } },
    { model: { configJson: '{'.repeat(100000) } }, { model: { config: null } }, { model: { params: 7e9 }, gpus: 1e300 }];
  for (const input of inputs) {
    const r = est.estimate(input);
    assert.equal(typeof r, 'object');
    if (r.ok) continue;
    assert.ok(Array.isArray(r.errors) && r.errors.length > 0);
    for (const e of r.errors) assert.ok(typeof e.field === 'string' && typeof e.message === 'string');
  }
});

test('NaN and negative values name the field', async () => {
  const est = await loadEstimator();
  assert.deepEqual(est.estimate({ model: { params: 7e9 }, seqLen: NaN }).errors,
    [{ field: 'seqLen', message: 'seqLen must be a positive integer (got NaN)' }]);
  assert.deepEqual(est.estimate({ model: { params: 7e9 }, batch: -1 }).errors,
    [{ field: 'batch', message: 'batch must be a positive integer (got -1)' }]);
  // BigInt is read as the number it holds.
  assert.equal(est.estimate({ model: { params: 7000000000n }, estimator: 'simple' }).ok, true);
});

test('the README gives the catalog size presets() has, wherever it names it', async () => {
  const est = await loadEstimator();
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const named = [...readme.matchAll(/(\d+) (?:built-in|catalog) models|(\d+) models\n|shows the (\d+),/g)].map((m) => Number(m[1] || m[2] || m[3]));
  assert.ok(named.length >= 3, `found ${named}`);
  for (const n of named) assert.equal(n, est.presets().length);
});
