// The page's choices are the core's: each engine's KV-cache types, formats and
// the bounds of the number inputs come from est.schema() (dist/llmmem.js read
// here under Node), and a KV-cache type the new engine lacks becomes 'auto'
// with a visible note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, pageUrl } from './browser.mjs';
import { loadEstimator } from '../node/helpers.mjs';

const schema = (await loadEstimator()).schema();
const engine = (id) => schema.engines.find((e) => e.id === id);
const values = (page, sel) => page.$$eval(`${sel} option`, (o) => o.map((x) => x.value));

async function withPage(hash, fn) {
  const b = await openPage(pageUrl + hash);
  try {
    await b.page.waitForSelector('body[data-ready="true"]');
    await fn(b.page);
    assert.deepEqual(b.otherRequests(), [], 'no network request');
    assert.deepEqual(b.errors, [], 'no page error, no CSP violation');
  } finally {
    await b.close();
  }
}

test('the KV-cache select offers exactly the engine\'s types: fp8 for vLLM, q8_0 for llama.cpp', async () => {
  await withPage('', async (page) => {
    const offered = {};
    for (const { id } of schema.engines) {
      await page.selectOption('#engine', id);
      offered[id] = await values(page, '#kv');
      assert.deepEqual(offered[id], engine(id).kvCache, id);
      // Every format of the engine, most bits first; the table's rows among them.
      const weights = await values(page, '#weights');
      assert.deepEqual(weights.slice().sort(), engine(id).weights.slice().sort(), id);
      const bits = weights.map((w) => schema.weights.find((x) => x.id === w).bits);
      assert.deepEqual(bits, bits.slice().sort((a, b) => b - a), id);
    }
    assert.ok(offered.vllm.includes('fp8') && !offered.vllm.includes('q8_0'), offered.vllm.join(' '));
    assert.ok(offered['llama.cpp'].includes('q8_0') && !offered['llama.cpp'].includes('fp8'), offered['llama.cpp'].join(' '));
    assert.deepEqual(await values(page, '#engine'), schema.fields.engine.values);
    assert.deepEqual(await values(page, '#optimizer'), schema.fields.optimizer.values);
    assert.deepEqual(await values(page, '#method'), schema.fields.method.values);
    assert.deepEqual(await page.$$eval('#finetune-table tbody tr[data-row]', (r) => r.map((x) => x.dataset.row)), schema.fields.method.values);
    for (const [id, field] of [['seqlen', 'seqLen'], ['batch', 'batch'], ['gpu-count', 'gpus'], ['tp', 'tensorParallel'], ['ubatch', 'ubatch']])
      assert.equal(await page.getAttribute('#' + id, 'max'), String(schema.fields[field].max), id);
  });
});

test('switching to an engine without the chosen KV-cache type falls back to auto, visibly', async () => {
  await withPage('#v1&e=llama.cpp&kv=q8_0', async (page) => {
    assert.equal(await page.inputValue('#kv'), 'q8_0');
    assert.equal(await page.isVisible('#kv-note'), false);
    await page.selectOption('#engine', 'vllm');
    assert.equal(await page.inputValue('#kv'), 'auto');
    assert.equal(await page.isVisible('#kv-note'), true);
    assert.match(await page.textContent('#kv-note'), /q8_0 is not offered by vllm; using auto/);
    assert.doesNotMatch(page.url(), /kv=/);
    await page.selectOption('#kv', 'fp8');
    assert.equal(await page.isVisible('#kv-note'), false);
    assert.match(page.url(), /e=vllm&kv=fp8/);
  });
  // A link that asks for a type its engine lacks says so in the notice.
  await withPage('#v1&e=vllm&kv=q4_0', async (page) => {
    assert.equal(await page.inputValue('#kv'), 'auto');
    assert.match(await page.textContent('#notice'), /KV cache q4_0 is not offered by vllm; using auto/);
  });
});
