// Model files opened on the page (issue 18, part 4): a .gguf and a .safetensors
// built here (a real header and tensor table, then sparse zeros so the files
// are hundreds of MB to GB), chosen in the file input. The page must read only
// their headers (File.slice), show the exact tensor bytes, and the tables must
// use them. The exact figures come from tests/data/model-files.mjs, which
// computes them from ggml.c's block sizes and the shapes, not from the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPage, pageUrl } from './browser.mjs';
import { loadEstimator } from '../node/helpers.mjs';
import { bytesNumber } from '../../web/src/format.js';
import { llamaGguf, safetensorsHeader } from '../data/model-files.mjs';

const ready = (page) => page.waitForSelector('body[data-ready="true"]');

/** A file of `size` bytes: `header`, then a hole (a sparse file: nothing is written past the header). */
function sparseFile(dir, name, header, size) {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

async function withFiles(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'llmmem-files-'));
  const b = await openPage(pageUrl);
  try {
    await ready(b.page);
    // Every slice the page takes of a file, by size.
    await b.page.evaluate(() => {
      window.slices = [];
      const slice = Blob.prototype.slice;
      Blob.prototype.slice = function (start, end) {
        window.slices.push({ size: this.size, start, end });
        return slice.apply(this, arguments);
      };
    });
    await fn(b, dir);
    assert.deepEqual(b.otherRequests(), [], 'no network request');
    assert.deepEqual(b.errors, [], 'no page error, no CSP violation');
  } finally {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a 205 MB .gguf: its header alone is read, its exact tensor bytes and architecture drive the llama.cpp table', async () => {
  // A llama-like model (4 layers, hidden 2048, 16 heads, 4 KV heads, FFN 5632, 32,000 tokens)
  // with llama.cpp's Q4_K_M tensor types.
  const g = llamaGguf({ layers: 4, hidden: 2048, heads: 16, kvHeads: 4, ffn: 5632, vocab: 32000 });
  assert.ok(g.fileBytes > 100e6);
  await withFiles(async ({ page }, dir) => {
    const path = sparseFile(dir, 'test-llama-Q4_K_M.gguf', g.header, g.fileBytes);
    await page.setInputFiles('#model-file', path);
    await page.waitForSelector('#model-file-info .file-weights');
    // Only the header was read: every slice starts at 0 and stops at 1 MiB.
    const slices = await page.evaluate(() => window.slices);
    assert.ok(slices.length >= 1);
    for (const s of slices) assert.ok(s.start === 0 && s.end <= 1 << 20, JSON.stringify(s));
    assert.equal(await page.$eval('#model-file-info .file-weights', (e) => e.dataset.bytes), String(g.tensorBytes));
    const name = await page.$eval('#model-file-info .file-name', (e) => e.textContent);
    assert.match(name, /GGUF v3 · architecture llama · q4_k_m · 39 tensors/);
    const types = await page.$$eval('#model-file-info .file-types tr', (rows) => rows.map((r) => r.textContent));
    assert.deepEqual(types.slice(1, 2), ['q4_K21110,002,176']);
    // The model is the file's: its metadata as a config counts the tensor table's parameters.
    await page.waitForSelector('#inference-table tbody tr[data-row="q4_k_m"]');
    assert.equal(await page.$eval('#model-info', (e) => e.dataset.total), String(g.params));
    assert.equal(await page.$eval('#engine', (e) => e.value), 'llama.cpp');
    // The file's row uses its bytes: the weights cell is the module's answer for that request.
    const row = '#inference-table tbody tr[data-row="q4_k_m"]';
    assert.match(await page.$eval(row, (r) => r.textContent), /your file/);
    const title = await page.$eval(row + ' td[title^="the files"]', (td) => td.title);
    assert.match(title, /^the files' tensors: 205,123,584 B/);
    assert.equal(g.tensorBytes, 205123584);
    const est = await loadEstimator();
    const info = est.readModelFile(g.header, 'x.gguf', g.fileBytes);
    const r = est.estimate({ ...info.request, seqLen: 4096 });
    assert.equal(r.ok, true);
    const cell = await page.$eval(row + ' td[title^="the files"] .num', (e) => e.textContent);
    assert.equal(cell, bytesNumber(r.components.find((c) => c.id === 'weights').bytes, 'gb'));
    // Another model forgets the file.
    await page.selectOption('#model', 'llama-3.1-8b');
    await page.waitForFunction(() => document.querySelector('#model-file-info').hidden);
  });
});

// TinyLlama-1.1B (hf.co/TinyLlama/TinyLlama-1.1B-Chat-v1.0): 22 layers, hidden 2048, 32 heads,
// 4 KV heads, FFN 5632, 32,000 tokens: 1,100,048,384 parameters. Norms stored in F32 here, so
// the file's bytes (2 B a weight, 4 B a norm value) differ from 2 B × parameters.
const TINY = { model_type: 'llama', hidden_size: 2048, intermediate_size: 5632, num_attention_heads: 32, num_hidden_layers: 22,
  num_key_value_heads: 4, vocab_size: 32000, max_position_embeddings: 2048, tie_word_embeddings: false, torch_dtype: 'bfloat16' };

function tinyTensors() {
  const t = { 'model.embed_tokens.weight': ['BF16', [32000, 2048], 2], 'model.norm.weight': ['F32', [2048], 4], 'lm_head.weight': ['BF16', [32000, 2048], 2] };
  for (let i = 0; i < 22; i++) {
    const p = 'model.layers.' + i + '.';
    Object.assign(t, {
      [p + 'self_attn.q_proj.weight']: ['BF16', [2048, 2048], 2], [p + 'self_attn.k_proj.weight']: ['BF16', [256, 2048], 2],
      [p + 'self_attn.v_proj.weight']: ['BF16', [256, 2048], 2], [p + 'self_attn.o_proj.weight']: ['BF16', [2048, 2048], 2],
      [p + 'mlp.gate_proj.weight']: ['BF16', [5632, 2048], 2], [p + 'mlp.up_proj.weight']: ['BF16', [5632, 2048], 2],
      [p + 'mlp.down_proj.weight']: ['BF16', [2048, 5632], 2],
      [p + 'input_layernorm.weight']: ['F32', [2048], 4], [p + 'post_attention_layernorm.weight']: ['F32', [2048], 4],
    });
  }
  return t;
}

test('a 2.2 GB .safetensors with its config.json: the transformers row uses the file\'s exact bytes', async () => {
  const s = safetensorsHeader(tinyTensors());
  const norms = (22 * 2 + 1) * 2048;
  assert.equal(s.tensorBytes, (1100048384 - norms) * 2 + norms * 4);
  await withFiles(async ({ page }, dir) => {
    const st = sparseFile(dir, 'model.safetensors', s.header, s.fileBytes);
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify(TINY));
    await page.setInputFiles('#model-file', [cfg, st]);
    await page.waitForSelector('#model-file-info .file-used');
    const slices = await page.evaluate(() => window.slices);
    for (const sl of slices.filter((x) => x.size > 1e9)) assert.ok(sl.start === 0 && sl.end <= 1 << 20, JSON.stringify(sl));
    assert.equal(await page.$eval('#model-file-info .file-read[data-kind="safetensors"] .file-weights', (e) => e.dataset.bytes), String(s.tensorBytes));
    assert.equal(await page.$eval('#model-file-info .file-used', (e) => e.dataset.bytes), String(s.tensorBytes));
    await page.waitForFunction(() => document.querySelector('#model-info').dataset.total === '1100048384');
    const row = '#inference-table tbody tr[data-row="bf16"]';
    assert.match(await page.$eval(row, (r) => r.textContent), /your file/);
    const title = await page.$eval(row + ' td[title^="the files"]', (td) => td.title);
    assert.ok(title.startsWith("the files' tensors: " + s.tensorBytes.toLocaleString('en-US') + ' B'), title);
    // The 8-bit row is still the format's estimate.
    assert.doesNotMatch(await page.$eval('#inference-table tbody tr[data-row="int8"]', (r) => r.textContent), /your file/);
  });
});

test('a .gguf dropped on the drop box, or on the config box, is read as a model file', async () => {
  const g = llamaGguf({ layers: 2, hidden: 512, heads: 8, kvHeads: 2, ffn: 1536, vocab: 1000 });
  for (const target of ['#model-file-drop', '#config']) {
    await withFiles(async ({ page }) => {
      await page.evaluate(({ header, size, target }) => {
        const bytes = new Uint8Array(size);
        bytes.set(header);
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], 'dropped.gguf'));
        document.querySelector(target).dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, { header: Array.from(g.header), size: g.fileBytes, target });
      await page.waitForSelector('#model-file-info .file-weights');
      assert.equal(await page.$eval('#model-file-info .file-weights', (e) => e.dataset.bytes), String(g.tensorBytes));
      await page.waitForFunction((n) => document.querySelector('#model-info').dataset.total === n, String(g.params));
      assert.match(await page.$eval('#inference-table tbody tr[data-row="q4_k_m"]', (r) => r.textContent), /your file/);
    });
  }
});
