// The page from file://, in headless Chromium: it answers, follows typing,
// shows readable errors, and makes no network request at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, pageUrl, rowCells } from './browser.mjs';

// The page opens on Llama 3.1 8B at 4096 tokens; these two tests reach the seed
// article's setting (a parameter count, 2048 tokens) through the link state.
test('from file:// the page shows the seed table for 7B and makes no request', async () => {
  const b = await openPage(pageUrl + '#v1&p=7&s=2048');
  try {
    await b.page.waitForSelector('body[data-ready="true"]');
    // Seed article (shared/seeds/001): Full 87.4, LoRA 18.1, QLoRA 8-bit 11.1, QLoRA 4-bit 7.6 GB.
    const totals = {};
    for (const key of ['full', 'lora', 'qlora-8bit', 'qlora-4bit']) totals[key] = (await rowCells(b.page, 'finetune-table', key)).at(-1);
    assert.deepEqual(totals, { full: '87.4 GB', lora: '18.1 GB', 'qlora-8bit': '11.1 GB', 'qlora-4bit': '7.6 GB' });
    assert.deepEqual(await rowCells(b.page, 'inference-table', 'bf16'),
      ['16-bit', '14', '1.4', '1.4', '2', '18.8 GB']);
    assert.deepEqual(b.otherRequests(), []);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('typing a parameter count updates the tables; bad input shows an error', async () => {
  const b = await openPage(pageUrl + '#v1&s=2048');
  try {
    await b.page.waitForSelector('body[data-ready="true"]');
    await b.page.fill('#params', '70');
    // 70B full fine-tuning under the article's rules: 140 + 140 + 560 + 14 + 2 = 856 GB.
    assert.equal((await rowCells(b.page, 'finetune-table', 'full')).at(-1), '856 GB');
    await b.page.fill('#params', 'seven');
    assert.equal(await b.page.isVisible('#error'), true);
    assert.match(await b.page.textContent('#error'), /Parameters/);
    await b.page.fill('#params', '7');
    assert.equal(await b.page.isVisible('#error'), false);
    assert.deepEqual(b.otherRequests(), []);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
