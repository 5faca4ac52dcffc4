// The model picker over the whole catalog (issue 18): search by name, family,
// size and Hugging Face id, and a visible "no match" state instead of a list of
// unrelated models ("llama 4" used to list Yi-34B).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, pageUrl } from './browser.mjs';
import { loadEstimator } from '../node/helpers.mjs';

const ready = (page) => page.waitForSelector('body[data-ready="true"]');

async function search(page, query) {
  await page.fill('#model-search', query);
  return {
    ids: await page.$$eval('#model option', (o) => o.map((x) => x.value)),
    none: await page.$eval('#model-none', (e) => (e.hidden ? '' : e.textContent)),
  };
}

test('the model search finds by name, family, size and Hugging Face id, and says when nothing matches', async () => {
  const est = await loadEstimator();
  const presets = est.presets();
  const b = await openPage(pageUrl);
  try {
    const { page } = b;
    await ready(page);
    // The whole catalog is listed before a search.
    assert.equal(await page.$$eval('#model option', (o) => o.length), presets.length);

    // A full Hugging Face id of a variant finds its preset; a partial id its family.
    let r = await search(page, 'meta-llama/Llama-3.1-8B-Instruct');
    assert.deepEqual(r.ids, ['llama-3.1-8b']);
    assert.equal(r.none, '');
    r = await search(page, 'Qwen/Qwen3');
    const qwen3 = presets.filter((p) => p.hfId.toLowerCase().startsWith('qwen/qwen3')).map((p) => p.id);
    assert.ok(qwen3.length >= 15, qwen3.join(' '));
    assert.deepEqual(r.ids, qwen3);
    assert.ok(r.ids.includes('qwen3-coder-480b-a35b-instruct') && r.ids.includes('qwen3-next-80b-a3b-instruct'));
    assert.ok(!r.ids.some((id) => id.startsWith('qwen2')));
    r = await search(page, 'deepseek-ai/DeepSeek-V3.2');
    assert.deepEqual(r.ids, ['deepseek-v3.2']);

    // Name and family words, and a size.
    r = await search(page, 'gemma 27b');
    assert.deepEqual(r.ids.sort(), ['gemma-2-27b', 'gemma-3-27b']);
    r = await search(page, '70B');
    assert.ok(r.ids.length >= 5 && r.ids.every((id) => /70b/.test(id)), r.ids.join(' '));
    r = await search(page, 'kimi');
    assert.deepEqual(r.ids.sort(), ['kimi-k2-instruct', 'kimi-linear-48b-a3b-instruct']);
    r = await search(page, 'phi 4 mini');
    assert.deepEqual(r.ids.sort(), ['phi-4-mini-instruct', 'phi-4-mini-reasoning']);

    // Llama 4 by its name and by an Instruct variant's Hugging Face id (no Yi, no Llama 3.1 405B).
    r = await search(page, 'llama 4');
    assert.deepEqual(r.ids.sort(), ['llama-4-maverick-17b-128e-instruct', 'llama-4-scout-17b-16e']);
    r = await search(page, 'meta-llama/Llama-4-Scout-17B-16E-Instruct');
    assert.deepEqual(r.ids, ['llama-4-scout-17b-16e']);
    // A model not in the catalog (ERNIE 4.5 has only its 0.3B): the page says so.
    r = await search(page, 'ernie 4.5 21b');
    assert.deepEqual(r.ids, []);
    assert.match(r.none, /No model in the catalog matches .ernie 4\.5 21b.\. Paste its config\.json/);
    assert.equal(await page.isVisible('#model-none'), true);
    r = await search(page, 'baidu/ERNIE-4.5-21B-A3B-PT');
    assert.deepEqual(r.ids, []);
    assert.notEqual(r.none, '');
    // Matches again hide the message.
    r = await search(page, 'smollm3');
    assert.deepEqual(r.ids, ['smollm3-3b']);
    assert.equal(await page.isVisible('#model-none'), false);

    assert.deepEqual(b.otherRequests(), [], 'no network request');
    assert.deepEqual(b.errors, [], 'no page error, no CSP violation');
  } finally {
    await b.close();
  }
});
