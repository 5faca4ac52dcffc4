// A pasted config.json is parsed once (core/model/config_cache.cpp) and a
// preset is built when first asked for (core/catalog/catalog.cpp): neither may
// change an answer. Each answer of a module that has seen other configs and
// presets first must equal the answer of a fresh module that sees only it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root, readJson } from './helpers.mjs';

const require = createRequire(import.meta.url);
const fresh = () => require(join(root, 'dist', 'llmmem.js'))();
const CONFIGS = readJson(join(root, 'tests/data/model-configs.json')).slice(0, 7);

test('the same config.json text, asked again after others (more than the cache keeps), gets the answer a fresh module gives', async () => {
  const est = await fresh();
  const texts = CONFIGS.map((c) => JSON.stringify(c));
  // 0..6 then 0 again: the first has left a four-entry cache by then.
  const order = [0, 1, 0, 2, 3, 4, 5, 6, 0, 6, 1];
  for (const [k, i] of order.entries()) {
    const req = { model: { configJson: texts[i] }, seqLen: 2048 + 512 * k, batch: 1 + (k % 3) };
    const expected = (await fresh()).estimate(req);
    assert.ok(expected.ok, CONFIGS[i].name + ': ' + JSON.stringify(expected.errors));
    assert.deepEqual(est.estimate(req), expected, `${CONFIGS[i].name} (call ${k})`);
  }
});

test('a config object and the same config as text are told apart, and each names its own field', async () => {
  const est = await fresh();
  const bad = { model_type: 'llama', hidden_size: -1, num_hidden_layers: 2 };
  const asText = est.estimate({ model: { configJson: JSON.stringify(bad) } });
  const asObject = est.estimate({ model: { config: bad } });
  const again = est.estimate({ model: { configJson: JSON.stringify(bad) } });
  assert.equal(asText.ok, false);
  assert.ok(asText.errors.some((e) => e.field.startsWith('model.configJson')), JSON.stringify(asText.errors));
  assert.ok(asObject.errors.every((e) => !e.field.startsWith('model.configJson')), JSON.stringify(asObject.errors));
  assert.ok(asObject.errors.some((e) => e.field === 'model.config.hidden_size'), JSON.stringify(asObject.errors));
  // The errors are replayed, not lost, when the answer comes from the cache.
  assert.deepEqual(again, asText);
  assert.deepEqual(est.estimate({ model: { config: bad } }), asObject);
});

test('a preset asked for before the whole list answers as it does after, and the list is whole', async () => {
  const early = await fresh();
  const reqs = ['deepseek-v3', 'qwen2.5-7b', 'gemma-3-27b'].map((preset) => ({ model: { preset }, seqLen: 8192, engine: 'vllm', weights: 'bf16' }));
  const first = reqs.map((r) => early.estimate(r));
  assert.equal(early.estimate({ model: { preset: 'no-such-model' } }).errors[0].field, 'model.preset');
  const late = await fresh();
  const list = late.presets();
  assert.deepEqual(early.presets(), list);
  assert.ok(list.length >= 50, 'presets: ' + list.length);
  reqs.forEach((r, i) => {
    assert.ok(first[i].ok, JSON.stringify(first[i].errors));
    assert.deepEqual(first[i], late.estimate(r));
  });
});
