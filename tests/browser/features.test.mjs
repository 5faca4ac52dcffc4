// The calculator page in headless Chromium (from file://): every feature of
// issue 6, with every request, page error and CSP violation recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allCells, openPage, pageUrl, rowCells } from './browser.mjs';
import { loadEstimator, root } from '../node/helpers.mjs';
import { inUnit } from '../../web/src/format.js';

const ready = (page) => page.waitForSelector('body[data-ready="true"]');
const charted = (page) => page.waitForSelector('.llmmem[data-charts="true"]');
const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
// TinyLlama 1.1B's config.json (hf.co/TinyLlama/TinyLlama-1.1B-Chat-v1.0): 1,100,048,384 parameters.
const TINYLLAMA = { model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 2048, intermediate_size: 5632,
  num_attention_heads: 32, num_hidden_layers: 22, num_key_value_heads: 4, vocab_size: 32000,
  max_position_embeddings: 2048, tie_word_embeddings: false, torch_dtype: 'bfloat16' };

async function withPage(hash, fn, options) {
  const b = await openPage(pageUrl + hash, options);
  try {
    await fn(b);
    assert.deepEqual(b.otherRequests(), [], 'no network request');
    assert.deepEqual(b.errors, [], 'no page error, no CSP violation');
  } finally {
    await b.close();
  }
}

test('the defaults are answered on load: Llama 3.1 8B, 4096 tokens, batch 1, before any user action', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    assert.match(await text(page, '#model-info'), /^Llama 3\.1 8B: 8\.03 B parameters$/);
    assert.equal(await page.$eval('#model-info', (e) => e.dataset.total), '8030261248');
    assert.match(await text(page, '#inference-table caption'), /4,096 tokens, batch 1/);
    assert.equal(await page.$$eval('#inference-table tbody tr[data-row]', (r) => r.length), 3);
    assert.equal(await page.$$eval('#finetune-table tbody tr[data-row]', (r) => r.length), 4);
    assert.deepEqual(await page.$$eval('#inference-table tbody tr[data-row]', (r) => r.map((x) => x.dataset.row)), ['bf16', 'int8', 'nf4']);
    // The page's numbers are the module's numbers.
    const est = await loadEstimator();
    const r = est.estimate({ model: { preset: 'llama-3.1-8b' }, seqLen: 4096, batch: 1, gpus: 1, gpu: 'h100-sxm-80gb', task: 'inference', engine: 'transformers', weights: 'bf16' });
    assert.equal((await rowCells(page, 'inference-table', 'bf16')).at(-1), Number((r.totalBytes / 1e9).toFixed(2)) + ' GB');
    assert.match(await text(page, '#summary'), /^Llama 3\.1 8B, bf16 inference, 4,096 tokens, batch 1: [\d.]+ GB per GPU; fits on 1 × H100 SXM 80GB/);
    const ms = await page.evaluate(() => performance.getEntriesByName('llmmem-first-tables')[0].startTime);
    // The time is a benchmark figure (make bench, 150 ms budget), not a test condition.
    console.log(`first tables at ${ms.toFixed(0)} ms after navigation`);
    assert.ok(Number.isFinite(ms), 'the page marks its first complete tables');
  });
});

test('each engine names its formats in the inference rows', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    const formats = {};
    for (const engine of ['transformers', 'vllm', 'llama.cpp']) {
      await page.selectOption('#engine', engine);
      formats[engine] = await page.$$eval('#inference-table tbody td.format', (c) => c.map((x) => x.textContent));
    }
    assert.deepEqual(formats, { transformers: ['bf16', 'int8', 'nf4'], vllm: ['bf16', 'fp8', 'awq-int4'], 'llama.cpp': ['f16', 'q8_0', 'q4_k_m'] });
    assert.equal(await page.isVisible('#ubatch'), true);
    assert.equal(await page.isVisible('#gmu'), false);
  });
});

test('the model picker searches by name, family and size; selecting updates the counts', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    await page.fill('#model-search', 'qwen 72b');
    const options = await page.$$eval('#model option', (o) => o.map((x) => x.value));
    assert.deepEqual(options, ['qwen2.5-72b']);
    await page.fill('#model-search', 'mixtral');
    await page.selectOption('#model', 'mixtral-8x7b');
    const est = await loadEstimator();
    const mixtral = est.presets().find((p) => p.id === 'mixtral-8x7b');
    assert.equal(await page.$eval('#model-info', (e) => e.dataset.total), String(mixtral.params));
    assert.equal(await page.$eval('#model-info', (e) => e.dataset.active), String(mixtral.activeParams));
    assert.match(await text(page, '#model-info'), /^Mixtral 8x7B.*parameters, .* active$/i);
    assert.match(page.url(), /m=mixtral-8x7b/);
  });
});

test('a pasted or opened config.json shows its counts; a bad one an error naming the field', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    await page.fill('#config', JSON.stringify(TINYLLAMA));
    assert.equal(await page.$eval('#model-info', (e) => e.dataset.total), '1100048384');
    assert.match(await text(page, '#model-info'), /^Your config\.json: 1\.1 B parameters$/);
    const broken = { ...TINYLLAMA, num_key_value_heads: 5 };
    await page.fill('#config', JSON.stringify(broken));
    assert.equal(await page.isVisible('#error'), true);
    assert.match(await text(page, '#error'), /num_key_value_heads/);
    assert.equal(await page.getAttribute('#config', 'aria-invalid'), 'true');
    await page.fill('#config', '');
    await page.setInputFiles('#config-file', { name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(TINYLLAMA)) });
    await page.waitForFunction(() => document.querySelector('#model-info').dataset.total === '1100048384');
    assert.equal(await page.isVisible('#error'), false);
  });
});

// Issue "Unbreakable, all the way" item 2: a crafted 1 MiB config.json froze the tab 19 s on
// paste and 28 s on each later keystroke (a per-layer list searched once per layer).
test('a crafted 1 MiB config.json answers at once, on paste and on the next keystroke', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    const layers = 10000;
    const mllama = { ...TINYLLAMA, num_hidden_layers: layers, cross_attention_layers: [] };
    for (let i = 0; JSON.stringify(mllama).length < 1000000; i++) mllama.cross_attention_layers.push(i % layers);
    // A valid one too: TinyLlama padded to 1 MiB with a field no estimate reads.
    const padded = { ...TINYLLAMA, _comment: 'x'.repeat(1000000) };
    const pasteThenType = (t) => {
      const box = document.querySelector('#config');
      const seq = document.querySelector('#seqlen');
      const t0 = performance.now();
      box.value = t;
      box.dispatchEvent(new Event('input', { bubbles: true }));
      const t1 = performance.now();
      seq.value = seq.value === '8192' ? '4096' : '8192';
      seq.dispatchEvent(new Event('input', { bubbles: true }));
      return [t1 - t0, performance.now() - t1];
    };
    const crafted = await page.evaluate(pasteThenType, JSON.stringify(mllama));
    // Too many cross-attention layers for the model: an error naming the field, not a hang.
    assert.match(await page.textContent('#error'), /cross_attention_layers/);
    const valid = await page.evaluate(pasteThenType, JSON.stringify(padded));
    assert.equal(await page.$eval('#model-info', (e) => e.dataset.total), '1100048384');
    console.log(`1 MiB config, paste / keystroke: crafted ${crafted.map(Math.round).join(' / ')} ms, valid ${valid.map(Math.round).join(' / ')} ms`);
    for (const ms of [...crafted, ...valid]) assert.ok(ms < 3000, `${crafted} ${valid}`);
  });
});

test('GB and GiB are labelled and toggle', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    const est = await loadEstimator();
    const r = est.estimate({ model: { preset: 'llama-3.1-8b' }, seqLen: 4096, gpu: 'h100-sxm-80gb', task: 'finetune', method: 'full', optimizer: 'adamw', loraRank: 16, loraTargets: 'all-linear', gradientCheckpointing: false, zeroStage: 0, gpus: 1, batch: 1 });
    assert.equal((await rowCells(page, 'finetune-table', 'full')).at(-1), Number((r.totalBytes / 1e9).toFixed(2)) + ' GB');
    await page.check('#unit-gib');
    assert.equal((await rowCells(page, 'finetune-table', 'full')).at(-1), Number((r.totalBytes / 2 ** 30).toFixed(2)) + ' GiB');
    assert.match(await text(page, '#unit-note'), /GiB = 2\^30 bytes/);
    assert.match(page.url(), /u=gib/);
  });
});

test('fit verdicts name the cards, each from the core\'s fit with the card in the request', async () => {
  await withPage('#v1&m=llama-3.1-70b&g=h100-sxm-80gb,rtx-4090', async ({ page }) => {
    await ready(page);
    const fits = await page.$$eval('#inference-table tr[data-row="bf16"] td.fits span', (s) => s.map((x) => x.textContent));
    assert.deepEqual(fits, ['does not fit on 1 × H100 SXM 80GB', 'does not fit on 1 × RTX 4090']);
    // Under the row: why, and what would make it fit on each card.
    const note = await text(page, '#inference-table tr[data-row="bf16"] + tr.note');
    assert.match(note, /needs [\d.]+ GB per GPU; H100 SXM 80GB has [\d.]+ GB usable/);
    assert.match(note, /fits on \d × H100 SXM 80GB/);
    assert.match(note, /RTX 4090 has [\d.]+ GB usable.*(fits|does not fit) on (\d|up to \d) × RTX 4090/);
    await page.selectOption('#model', 'llama-3.2-1b');
    const small = await page.$$eval('#inference-table tr[data-row="bf16"] td.fits span', (s) => s.map((x) => x.textContent));
    assert.deepEqual(small, ['fits on 1 × H100 SXM 80GB', 'fits on 1 × RTX 4090']);
    // Adding and removing cards by the list.
    await page.selectOption('#gpu-add', 'a100-sxm-80gb');
    await page.click('#gpu-add-button');
    assert.equal(await page.$$eval('#gpu-list li', (l) => l.length), 3);
    await page.click('#gpu-list li:first-child button');
    assert.equal(await page.$$eval('#gpu-list li', (l) => l.length), 2);
    assert.match(page.url(), /g=rtx-4090,a100-sxm-80gb/);
  });
});

test('charts exist with accessible names and follow the inputs', async () => {
  await withPage('', async ({ page }) => {
    await charted(page);
    for (const name of ['Inference memory by component', 'Fine-tuning memory by component', 'Memory against context length', 'Memory against batch size'])
      assert.equal(await page.getByRole('img', { name, exact: true }).count(), 1, name);
    const desc = await page.$eval('#chart-seqlen svg desc', (d) => d.textContent);
    assert.match(desc, /Per-GPU memory from .* GB at context \(tokens\) 1 to .* GB at 131072\. Lines: H100 SXM 80GB/);
    assert.equal(await page.$$eval('#inference-bars svg rect', (r) => r.length) >= 9, true);
    assert.equal(await page.$$eval('#chart-batch svg line.cap', (r) => r.length), 1);
  });
});

test('the inverse answers come from the core, asked with the card in the request', async () => {
  await withPage('', async ({ page }) => {
    await charted(page);
    const est = await loadEstimator();
    const req = { model: { preset: 'llama-3.1-8b' }, seqLen: 4096, batch: 1, gpus: 1, gpu: 'h100-sxm-80gb', task: 'inference', engine: 'transformers', weights: 'bf16' };
    const answers = await page.$$eval('#answers-list dd', (d) => d.map((x) => x.textContent));
    const questions = await page.$$eval('#answers-list dt', (d) => d.map((x) => x.textContent));
    assert.match(questions[0], /Longest context on 1 × H100 SXM 80GB/);
    // Llama 3.1 8B's whole 131,072-token context fits an H100: the answer stops at the model's maximum.
    const seq = est.maxSeqLen(req);
    assert.deepEqual([seq.value, seq.capped], [131072, true]);
    assert.equal(answers[0], "131,072 tokens (the model's maximum)");
    assert.equal(answers[1], est.maxBatch(req).value.toLocaleString('en-US'));
    assert.equal(answers[2], est.bestFormat(req).value);
    assert.equal(answers[3], est.gpusNeeded(req, undefined, 1024).value + ' × H100 SXM 80GB');
  });
});

test('vLLM: the answers assume the max model length they need, as the row verdicts do', async () => {
  await withPage('#v1&e=vllm&g=rtx-4090', async ({ page }) => {
    await charted(page);
    const est = await loadEstimator();
    const req = { model: { preset: 'llama-3.1-8b' }, seqLen: 4096, batch: 1, gpus: 1, gpu: 'rtx-4090', task: 'inference', engine: 'vllm', weights: 'bf16' };
    const seq = est.maxSeqLen(req);
    assert.ok(seq.changes && seq.changes.maxModelLen, JSON.stringify(seq));
    const answers = await page.$$eval('#answers-list dd', (d) => d.map((x) => x.textContent));
    assert.ok(answers.includes(seq.value.toLocaleString('en-US') + ' tokens, with max model length ' + seq.changes.maxModelLen.toLocaleString('en-US')), answers.join(' | '));
  });
});

test('"Show the formulas" shows each component\'s formula', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    assert.equal(await page.$$eval('.formula', (f) => f.length), 0);
    await page.check('#show-formulas');
    const formulas = await page.$$eval('#inference-table tr[data-row="bf16"] .formula', (f) => f.map((x) => x.textContent));
    assert.equal(formulas.length, 4);
    const est = await loadEstimator();
    const r = est.estimate({ model: { preset: 'llama-3.1-8b' }, seqLen: 4096, batch: 1, gpus: 1, gpu: 'h100-sxm-80gb', task: 'inference', engine: 'transformers', weights: 'bf16' });
    // The core's formulas, with their byte quantities in the page's unit (GB here).
    assert.deepEqual(formulas, ['weights', 'kv_cache', 'activations', 'overhead'].map((id) => inUnit(r.components.find((c) => c.id === id).formula, 'gb')));
    assert.ok(formulas.every((f) => f.length > 0));
    await page.uncheck('#show-formulas');
    assert.equal(await page.$$eval('.formula', (f) => f.length), 0);
  });
});

test('the state round-trips through the URL hash; reload restores everything', async () => {
  let url;
  let cells;
  await withPage('', async ({ page }) => {
    await ready(page);
    await page.selectOption('#model', 'qwen2.5-7b');
    await page.selectOption('#engine', 'vllm');
    await page.fill('#seqlen', '8192');
    await page.fill('#batch', '4');
    await page.selectOption('#task', 'finetune');
    await page.selectOption('#method', 'lora');
    await page.fill('#lora-rank', '64');
    await page.check('#checkpointing');
    await page.selectOption('#zero', '3');
    await page.fill('#gpu-count', '2');
    await page.check('#unit-gib');
    url = page.url();
    assert.match(url, /#v1&m=qwen2\.5-7b&t=finetune&e=vllm&s=8192&b=4&f=lora&r=64&gc=1&n=2&z=3&u=gib$/);
    cells = await page.$$eval('table tbody', (t) => t.map((x) => x.textContent));
    await page.click('#copy-link');
    assert.equal(await page.inputValue('#link-text'), url);
  });
  await withPage(url.slice(url.indexOf('#')), async ({ page }) => {
    await ready(page);
    assert.equal(await page.inputValue('#model'), 'qwen2.5-7b');
    assert.equal(await page.inputValue('#engine'), 'vllm');
    assert.equal(await page.inputValue('#seqlen'), '8192');
    assert.equal(await page.inputValue('#lora-rank'), '64');
    assert.equal(await page.isChecked('#checkpointing'), true);
    assert.equal(await page.isChecked('#unit-gib'), true);
    assert.deepEqual(await page.$$eval('table tbody', (t) => t.map((x) => x.textContent)), cells);
    assert.equal(await page.isVisible('#notice'), false);
  });
});

test('a hostile hash falls back to defaults with a notice rendered as text', async () => {
  for (const hash of ['#v1&m=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&s=NaN&b=1e999', '#<script>alert(1)</script>',
    '#v1&m=' + 'x'.repeat(5000), '#v1&m=no-such-model&g=no-such-card']) {
    await withPage(hash, async ({ page }) => {
      let dialogs = 0;
      page.on('dialog', (d) => { dialogs++; d.dismiss(); });
      await ready(page);
      assert.equal(await page.isVisible('#notice'), true, hash);
      assert.equal(await page.$$eval('#notice *', (e) => e.length), 0);
      assert.equal(await page.$$eval('img', (e) => e.length), 0);
      assert.match(await text(page, '#model-info'), /^Llama 3\.1 8B/);
      assert.equal(await page.inputValue('#seqlen'), '4096');
      assert.equal(dialogs, 0);
    });
  }
});

test('hostile inputs are rendered as text, give clear errors, and leave the page usable', async () => {
  await withPage('', async ({ page }) => {
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; d.dismiss(); });
    await ready(page);
    const scripts = await page.$$eval('script', (s) => s.length);
    const hostile = [
      '<script>alert(1)</script>',
      '{"model_type": "<img src=x onerror=alert(1)>", "hidden_size": 4096}',
      JSON.stringify({ ...TINYLLAMA, hidden_size: 1e308, num_hidden_layers: 1e300 }),
      JSON.stringify({ ...TINYLLAMA, hidden_size: 'NaN' }),
      '['.repeat(100000),
      '{"a":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5001),
    ];
    for (const h of hostile) {
      await page.fill('#config', h);
      assert.equal(await page.isVisible('#error'), true, h.slice(0, 40));
      assert.ok((await text(page, '#error')).length > 0);
      assert.equal(await page.$$eval('#error img, #error script', (e) => e.length), 0);
    }
    await page.evaluate(() => {
      const t = document.querySelector('#config');
      t.value = 'x'.repeat(10 * 1024 * 1024);
      t.dispatchEvent(new Event('input', { bubbles: true }));
    });
    assert.match(await text(page, '#error'), /config\.json: the text is 10,485,760 characters/);
    for (const p of ['1e400', 'NaN', '-7', '<b>7</b>']) {
      await page.fill('#params', p);
      assert.match(await text(page, '#error'), /Parameters/);
    }
    await page.fill('#seqlen', '99999999999');
    assert.match(await text(page, '#error'), /Context/);
    await page.fill('#seqlen', '4096');
    await page.fill('#config', '');
    await page.selectOption('#model', 'llama-3.1-8b');
    assert.equal(await page.isVisible('#error'), false);
    assert.match(await text(page, '#model-info'), /^Llama 3\.1 8B/);
    assert.equal(await page.$$eval('script', (s) => s.length), scripts);
    assert.equal(dialogs, 0);
  });
});

test('at 360 px wide nothing scrolls sideways', async () => {
  await withPage('', async ({ page }) => {
    await charted(page);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(scroll <= client, `scrollWidth ${scroll} > ${client}`);
  }, { viewport: { width: 360, height: 800 } });
});

test('dark and light themes: the system preference and the toggle', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    const bg = () => page.$eval('.llmmem', (e) => getComputedStyle(e).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await bg(), 'rgb(20, 20, 23)');
    await page.selectOption('#theme', 'light');
    assert.equal(await bg(), 'rgb(251, 251, 250)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.selectOption('#theme', 'dark');
    assert.equal(await bg(), 'rgb(20, 20, 23)');
  });
});

test('keyboard: Tab reaches every control, in reading order; tables and labels are real', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    const seen = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      seen.push(await page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.name || document.activeElement.tagName)));
    }
    for (const id of ['unit-gb', 'show-formulas', 'theme', 'copy-link', 'model-search', 'model', 'config', 'params', 'task', 'seqlen', 'batch', 'engine', 'weights', 'method', 'optimizer', 'lora-rank', 'checkpointing', 'zero', 'gpu-add', 'gpu-add-button', 'gpu-count', 'tp'])
      assert.ok(seen.includes(id), `Tab reaches ${id}: ${seen.join(' ')}`);
    assert.ok(seen.indexOf('model-search') < seen.indexOf('seqlen'));
    // Arrow keys from the search box into the list select a model.
    await page.focus('#model-search');
    await page.fill('#model-search', 'gemma 27b');
    await page.keyboard.press('ArrowDown');
    assert.match(await text(page, '#model-info'), /^Gemma/);
    // Every control has a label; the tables have row and column headers.
    const unlabeled = await page.$$eval('input:not([type=hidden]), select, textarea', (els) => els.filter((e) => !e.labels.length && !e.getAttribute('aria-label') && !e.hidden).map((e) => e.id));
    assert.deepEqual(unlabeled, []);
    assert.equal(await page.$$eval('#finetune-table th[scope=row]', (t) => t.length), 4);
    assert.ok(await page.$$eval('#finetune-table th[scope=col]', (t) => t.length) >= 7);
    assert.equal(await page.getAttribute('#summary', 'aria-live'), 'polite');
    // Results are updated in place (only the changed texts): the live regions say so whole.
    assert.equal(await page.getAttribute('#summary', 'aria-atomic'), 'true');
    assert.equal(await page.getAttribute('#answers-list', 'aria-atomic'), 'true');
  });
});

test('the embed example: the custom element renders, takes attributes and fires change', async () => {
  const url = pathToFileURL(join(root, 'dist', 'embed-example.html')).href;
  const b = await openPage(url);
  try {
    const host = b.page.locator('llm-memory-estimator');
    await b.page.waitForFunction(() => document.querySelector('llm-memory-estimator').shadowRoot?.querySelector('.llmmem[data-ready="true"]'));
    // Playwright's locators pierce the open shadow root.
    assert.match(await host.locator('#model-info').textContent(), /^Qwen2\.5 7B/);
    assert.equal(await host.locator('#seqlen').inputValue(), '8192');
    await b.page.waitForFunction(() => document.querySelector('#last').textContent !== 'none yet');
    assert.match(await b.page.textContent('#last'), /^qwen2\.5-7b, 16-bit bf16: [\d.]+ GB \((fits on 1|needs \d+) × RTX 4090\)$/);
    await b.page.evaluate(() => document.querySelector('llm-memory-estimator').addEventListener('change', (e) => { window.lastDetail = e.detail; }));
    await host.locator('#batch').fill('3');
    const d = await (await b.page.waitForFunction(() => window.lastDetail && window.lastDetail.state.batch === 3 && window.lastDetail)).jsonValue();
    assert.equal(d.state.batch, 3);
    assert.equal(d.inference.length, 3);
    assert.equal(d.finetune.length, 4);
    assert.ok(Number.isSafeInteger(d.inference[0].totalBytes));
    assert.equal(await host.locator('#copy-link').isVisible(), false);
    // A later attribute change applies.
    // (coalesced: it applies in the next frame)
    await b.page.evaluate(() => document.querySelector('llm-memory-estimator').setAttribute('model', 'llama-3.2-1b'));
    await host.locator('#model-info', { hasText: /^Llama 3\.2 1B/ }).waitFor();
    const accent = await host.locator('.llmmem').evaluate((e) => getComputedStyle(e).getPropertyValue('--accent').trim());
    assert.equal(accent, '#0a7d5a');
    assert.deepEqual(b.requests.filter((u) => !u.startsWith(pathToFileURL(join(root, 'dist')).href)), []);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('the iframe snippet: the page framed with sandbox="allow-scripts" takes its state from the hash', async () => {
  const { mkdtempSync, copyFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'llmmem-iframe-'));
  try {
    copyFileSync(join(root, 'dist', 'index.html'), join(dir, 'index.html'));
    writeFileSync(join(dir, 'host.html'), '<!doctype html><title>host</title>' +
      '<iframe src="index.html#v1&m=llama-3.1-70b&s=8192" title="GPU memory estimator" style="width:100%;height:1400px;border:0" sandbox="allow-scripts"></iframe>');
    const b = await openPage(pathToFileURL(join(dir, 'host.html')).href);
    try {
      const frame = b.page.frameLocator('iframe');
      await frame.locator('body[data-ready="true"]').waitFor();
      assert.match(await frame.locator('#model-info').textContent(), /^Llama 3\.1 70B/);
      assert.equal(await frame.locator('#seqlen').inputValue(), '8192');
      assert.deepEqual(b.requests.filter((u) => !u.startsWith(pathToFileURL(dir).href)), []);
      assert.deepEqual(b.errors, []);
    } finally {
      await b.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an input change recomputes the tables synchronously, in the same frame', async () => {
  await withPage('', async ({ page }) => {
    await ready(page);
    const ms = await page.evaluate(() => {
      const input = document.querySelector('#seqlen');
      const times = [];
      const captions = [];
      for (const v of ['8192', '16384', '2048', '4096']) {
        const t0 = performance.now();
        input.value = v;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        times.push(performance.now() - t0);
        captions.push(document.querySelector('#inference-table caption').textContent);
      }
      return { ms: Math.min(...times), captions };
    });
    // Timing is reported (make bench holds the budget); the test checks that each input
    // event has already updated the tables when its handler returns.
    console.log(`tables recomputed in ${ms.ms.toFixed(1)} ms`);
    assert.deepEqual(ms.captions.map((c) => c.match(/([\d,]+) tokens/)[1]), ['8,192', '16,384', '2,048', '4,096']);
    assert.match(await text(page, '#inference-table caption'), /4,096 tokens/);
  });
});
