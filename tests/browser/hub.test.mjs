// The optional Hugging Face lookup (issue 18, part 5), against a local
// stand-in for the Hub: the page built with LLMMEM_HUB_ORIGIN naming it (so its
// CSP opens that origin alone) and served over http from it. It must ask
// nothing before the user presses Fetch; then only the repository's
// config.json, its index or a weight file's header by range requests; a token
// goes in the Authorization header and nowhere else. A copy opened from disk
// says it is offline and never connects. The stand-in answers as the Hub's
// resolve URLs do (https://huggingface.co/docs/hub/api: /{repo}/resolve/main/{file};
// 206 with Content-Range for a Range request).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPage, pageUrl } from './browser.mjs';
import { root } from '../node/helpers.mjs';
import { llamaGguf, safetensorsHeader } from '../data/model-files.mjs';

const ready = (page) => page.waitForSelector('body[data-ready="true"]');

// A small llama (2 layers, hidden 512, 8 heads, 2 KV heads, FFN 1536, 1,000 tokens) in bf16.
const SMALL = { model_type: 'llama', hidden_size: 512, intermediate_size: 1536, num_attention_heads: 8, num_hidden_layers: 2,
  num_key_value_heads: 2, vocab_size: 1000, max_position_embeddings: 4096, tie_word_embeddings: false, torch_dtype: 'bfloat16' };
const SMALL_PARAMS = 2 * 1000 * 512 + 512 + 2 * (512 * 512 * 2 + 2 * 128 * 512 + 3 * 512 * 1536 + 2 * 512);

function smallTensors() {
  const t = { 'model.embed_tokens.weight': ['BF16', [1000, 512], 2], 'model.norm.weight': ['BF16', [512], 2], 'lm_head.weight': ['BF16', [1000, 512], 2] };
  for (let i = 0; i < 2; i++) {
    const p = 'model.layers.' + i + '.';
    Object.assign(t, {
      [p + 'self_attn.q_proj.weight']: ['BF16', [512, 512], 2], [p + 'self_attn.k_proj.weight']: ['BF16', [128, 512], 2],
      [p + 'self_attn.v_proj.weight']: ['BF16', [128, 512], 2], [p + 'self_attn.o_proj.weight']: ['BF16', [512, 512], 2],
      [p + 'mlp.gate_proj.weight']: ['BF16', [1536, 512], 2], [p + 'mlp.up_proj.weight']: ['BF16', [1536, 512], 2],
      [p + 'mlp.down_proj.weight']: ['BF16', [512, 1536], 2],
      [p + 'input_layernorm.weight']: ['BF16', [512], 2], [p + 'post_attention_layernorm.weight']: ['BF16', [512], 2],
    });
  }
  return t;
}

/** The stand-in Hub: files by repo and name ({body} whole, or {header, size} served by ranges), every request recorded. */
function standIn(files, pageHtml) {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url, range: req.headers.range || '', auth: req.headers.authorization || '' });
    if (req.url === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(pageHtml());
    }
    const m = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(req.url);
    const file = m && files[m[1]] && files[m[1]][decodeURIComponent(m[2])];
    if (file && file.token && req.headers.authorization !== 'Bearer ' + file.token) {
      res.writeHead(401);
      return res.end('Access to this model is restricted');
    }
    if (!file) {
      res.writeHead(404);
      return res.end('Entry not found');
    }
    if (file.body !== undefined) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(file.body);
    }
    if (file.ignoresRange) {
      // A server that ignores Range: 200 and the whole file, streamed until the client goes.
      res.writeHead(200, { 'Content-Length': file.size });
      file.sent = 0;
      const chunk = Buffer.alloc(1 << 16);
      const more = () => {
        while (file.sent < file.size && !res.destroyed) {
          const part = file.sent < file.header.length ? Buffer.from(file.header.subarray(file.sent, file.sent + chunk.length)) : chunk;
          const n = Math.min(part.length, file.size - file.sent);
          file.sent += n;
          if (!res.write(part.subarray(0, n))) return res.once('drain', more);
        }
        res.end();
      };
      return more();
    }
    const r = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || '');
    if (!r) {
      res.writeHead(400);
      return res.end('the test serves weight files by ranges only');
    }
    const start = Number(r[1]), end = Math.min(Number(r[2]), file.size - 1);
    const out = Buffer.alloc(end - start + 1);
    Buffer.from(file.header).copy(out, 0, start, Math.min(file.header.length, end + 1));
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${file.size}`, 'Content-Length': out.length });
    res.end(out);
  });
  return { server, requests };
}

test('the Hub lookup: nothing before Fetch, then config.json and the weights\' header by ranges; a token only in its header', async () => {
  const st = safetensorsHeader(smallTensors());
  assert.equal(st.tensorBytes, SMALL_PARAMS * 2);
  const gguf = llamaGguf({ layers: 2, hidden: 512, heads: 8, kvHeads: 2, ffn: 1536, vocab: 1000 });
  const files = {
    'acme/small': { 'config.json': { body: JSON.stringify(SMALL) }, 'model.safetensors': { header: st.header, size: st.fileBytes } },
    'acme/gated': { 'config.json': { body: JSON.stringify(SMALL), token: 'hf_secret' } },
    'acme/sharded': { 'config.json': { body: JSON.stringify(SMALL) },
      'model.safetensors.index.json': { body: JSON.stringify({ metadata: { total_size: 16060522496 }, weight_map: { 'lm_head.weight': 'model-00002-of-00002.safetensors', 'model.embed_tokens.weight': 'model-00001-of-00002.safetensors' } }) } },
    'acme/no-ranges': { 'config.json': { body: JSON.stringify(SMALL) }, 'model.safetensors': { header: st.header, size: 400e6, ignoresRange: true } },
    'acme/huge-config': { 'config.json': { body: JSON.stringify({ ...SMALL, padding: 'x'.repeat(20 << 20) }) } },
    'acme/small-GGUF': { 'sub/small-Q4_K_M.gguf': { header: gguf.header, size: gguf.fileBytes } },
  };
  const dir = mkdtempSync(join(tmpdir(), 'llmmem-hub-'));
  let html = '';
  const { server, requests } = standIn(files, () => html);
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const origin = 'http://127.0.0.1:' + server.address().port;
  let b = null;
  try {
    execFileSync(process.execPath, ['web/build.mjs', 'build/wasm/wasm/llmmem.js', dir], { cwd: root, env: { ...process.env, LLMMEM_HUB_ORIGIN: origin }, stdio: 'pipe' });
    html = readFileSync(join(dir, 'index.html'), 'utf8');
    assert.match(html, new RegExp(`connect-src ${origin.replace(/\./g, '\\.')};`), 'the CSP opens the stand-in alone');
    b = await openPage(origin + '/index.html');
    const { page } = b;
    await ready(page);
    await page.click('#hub summary');
    assert.deepEqual(requests.map((r) => r.url), ['/index.html'], 'nothing asked of the Hub before Fetch');

    // A bad id is refused in words, without a request.
    await page.fill('#hub-id', 'not a model id');
    await page.click('#hub-fetch');
    assert.match(await page.$eval('#hub-status', (e) => e.textContent), /org\/model/);
    assert.equal(await page.$eval('#hub-id', (e) => e.getAttribute('aria-invalid')), 'true');
    assert.equal(requests.length, 1);

    // config.json whole, no index (404), then model.safetensors by one range of at most 1 MiB.
    await page.fill('#hub-id', 'acme/small');
    await page.click('#hub-fetch');
    await page.waitForSelector('#model-file-info .file-used');
    assert.deepEqual(requests.slice(1).map((r) => [r.url, r.range, r.auth]), [
      ['/acme/small/resolve/main/config.json', '', ''],
      ['/acme/small/resolve/main/model.safetensors.index.json', '', ''],
      ['/acme/small/resolve/main/model.safetensors', 'bytes=0-1048575', ''],
    ]);
    assert.equal(await page.$eval('#model-file-info .file-used', (e) => e.dataset.bytes), String(st.tensorBytes));
    await page.waitForFunction((n) => document.querySelector('#model-info').dataset.total === String(n), SMALL_PARAMS);
    assert.match(await page.$eval('#hub-status', (e) => e.textContent), /Read from acme\/small: config\.json, model\.safetensors/);

    // A sharded repository: its index's total_size is the weights.
    await page.fill('#hub-id', 'https://huggingface.co/acme/sharded');
    await page.click('#hub-fetch');
    await page.waitForFunction(() => (document.querySelector('#model-file-info .file-used') || {}).dataset?.bytes === '16060522496');

    // A server that ignores Range: the page takes the header and hangs up; the 400 MB are not sent.
    await page.fill('#hub-id', 'acme/no-ranges');
    await page.click('#hub-fetch');
    await page.waitForFunction(() => /Read from acme\/no-ranges/.test(document.querySelector('#hub-status').textContent));
    assert.equal(await page.$eval('#model-file-info .file-read[data-kind="safetensors"] .file-weights', (e) => e.dataset.bytes), String(st.tensorBytes));
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(files['acme/no-ranges']['model.safetensors'].sent < 100e6, 'sent ' + files['acme/no-ranges']['model.safetensors'].sent);

    // A config.json past 16 MiB is refused in words, without reading it all.
    await page.fill('#hub-id', 'acme/huge-config');
    await page.click('#hub-fetch');
    await page.waitForFunction(() => /larger than 16 MiB/.test(document.querySelector('#hub-status').textContent));

    // One GGUF file of a repository: its header alone, read by range; the engine becomes llama.cpp.
    await page.fill('#hub-id', 'acme/small-GGUF/sub/small-Q4_K_M.gguf');
    await page.click('#hub-fetch');
    await page.waitForFunction((n) => (document.querySelector('#model-file-info .file-weights') || {}).dataset?.bytes === String(n), gguf.tensorBytes);
    assert.equal(await page.$eval('#engine', (e) => e.value), 'llama.cpp');
    assert.deepEqual(requests.at(-1), { url: '/acme/small-GGUF/resolve/main/sub/small-Q4_K_M.gguf', range: 'bytes=0-1048575', auth: '' });

    // A gated model: 401 in words; with a token, the token is sent and kept nowhere else.
    await page.fill('#hub-id', 'acme/gated');
    await page.click('#hub-fetch');
    await page.waitForFunction(() => /401/.test(document.querySelector('#hub-status').textContent));
    assert.match(await page.$eval('#hub-status', (e) => e.textContent), /token/);
    await page.fill('#hub-token', 'hf_secret');
    await page.click('#hub-fetch');
    await page.waitForFunction(() => /Read from acme\/gated/.test(document.querySelector('#hub-status').textContent));
    assert.equal(requests.find((r) => r.url === '/acme/gated/resolve/main/config.json' && r.auth).auth, 'Bearer hf_secret');
    const kept = await page.evaluate(() => location.href + JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie);
    assert.doesNotMatch(kept, /hf_secret/);
    assert.ok(requests.every((r) => r.url === '/index.html' || r.url.startsWith('/acme/')), 'the stand-in alone was asked');
    // Chromium logs each 404 and 401 the stand-in sent; anything else is a failure.
    assert.deepEqual(b.errors.filter((e) => !/Failed to load resource: the server responded with a status of 40[14]/.test(e)), [], 'no page error, no CSP violation');
  } finally {
    if (b) await b.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the saved copy opened from disk says it is offline and connects nowhere', async () => {
  const html = readFileSync(join(root, 'dist', 'index.html'), 'utf8');
  // The real Hub and the hosts its large files redirect to (*.hf.co), nothing else.
  assert.match(html, /connect-src https:\/\/huggingface\.co https:\/\/\*\.hf\.co;/);
  const b = await openPage(pageUrl);
  try {
    await ready(b.page);
    await b.page.click('#hub summary');
    assert.equal(await b.page.$eval('#hub-fetch', (e) => e.disabled), true);
    assert.equal(await b.page.$eval('#hub-id', (e) => e.disabled), true);
    assert.match(await b.page.$eval('#hub-status', (e) => e.textContent), /offline/);
    assert.deepEqual(b.otherRequests(), [], 'no network request');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
