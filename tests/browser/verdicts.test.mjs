// Verdicts a person can act on: each row's verdict is the core's report.fit on
// the chosen card; where a row does not fit, the page says why and offers the
// core's plan (est.plan) with an Apply button that changes the state and link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, pageUrl } from './browser.mjs';

const ready = (page) => page.waitForSelector('body[data-ready="true"]');
const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
const fits = (page, table, row) => page.$$eval(`#${table} tr[data-row="${row}"] td.fits span`, (s) => s.map((x) => x.textContent));
const note = (page, table, row) => text(page, `#${table} tr[data-row="${row}"] + tr.note`);

async function withPage(hash, fn, options) {
  const b = await openPage(pageUrl + hash, options);
  try {
    await ready(b.page);
    await fn(b.page);
    assert.deepEqual(b.otherRequests(), [], 'no network request');
    assert.deepEqual(b.errors, [], 'no page error, no CSP violation');
  } finally {
    await b.close();
  }
}

test('vLLM on an RTX 4090: "does not fit" names max_model_len; Apply sets the max model length and the row fits', async () => {
  await withPage('#v1&e=vllm&g=rtx-4090', async (page) => {
    assert.deepEqual(await fits(page, 'inference-table', 'bf16'), ['does not fit on 1 × RTX 4090']);
    const why = await note(page, 'inference-table', 'bf16');
    assert.match(why, /max_model_len 131,072 is larger than the [\d,]+ tokens the KV cache can hold/);
    assert.match(why, /fits on 1 × RTX 4090 with max model length [\d,]+/);
    assert.doesNotMatch(why, /maxModelLen/, 'no API field names');
    assert.match(await text(page, '#launch-command'), /^vllm serve meta-llama\/Llama-3\.1-8B --max-model-len 131072 --gpu-memory-utilization 0\.9 -tp 1$/);
    await page.click('#inference-table tr[data-row="bf16"] + tr.note button.apply');
    assert.deepEqual(await fits(page, 'inference-table', 'bf16'), ['fits on 1 × RTX 4090']);
    const len = (await page.evaluate(() => location.hash)).match(/&ml=(\d+)/);
    assert.ok(len, (await page.evaluate(() => location.hash)));
    assert.equal(await page.inputValue('#max-model-len'), len[1]);
    // The launch line and the log line to compare with follow the estimate.
    assert.match(await text(page, '#launch-command'), new RegExp('--max-model-len ' + len[1] + ' '));
    assert.match(await text(page, '#launch-log'), /^Available KV cache memory: [\d.]+ GiB\nGPU KV cache size: [\d,]+ tokens$/);
    assert.match(await text(page, '#summary'), /bf16 inference, 4,096 tokens, batch 1: [\d.]+ GB per GPU; fits on 1 × RTX 4090/);
  });
});

// Since #17 (FSDP's root unit, the caching allocator's reserve) 8 × H100 with ZeRO-3 alone is
// not enough; torchtune's llama3_1/70B_full.yaml offloads to the CPU too (fsdp_cpu_offload: True).
test('Llama 3.1 70B full fine-tuning: the plan is ZeRO-3, gradient checkpointing and CPU offload on H100s; Apply makes it fit', async () => {
  await withPage('#v1&m=llama-3.1-70b&t=finetune', async (page) => {
    assert.deepEqual(await fits(page, 'finetune-table', 'full'), ['does not fit on 1 × H100 SXM 80GB']);
    const why = await note(page, 'finetune-table', 'full');
    assert.match(why, /needs [\d.]+ GB per GPU; H100 SXM 80GB has [\d.]+ GB usable/);
    const n = why.match(/fits on (\d) × H100 SXM 80GB with ZeRO-3, gradient checkpointing and optimizer states and parameters offloaded to the CPU/);
    assert.ok(n, why);
    await page.click('#finetune-table tr[data-row="full"] + tr.note button.apply');
    assert.deepEqual(await fits(page, 'finetune-table', 'full'), [`fits on ${n[1]} × H100 SXM 80GB`]);
    assert.match((await page.evaluate(() => location.hash)), new RegExp(`&gc=1&n=${n[1]}&z=3&co=optimizer`));
    assert.equal(await page.isChecked('#checkpointing'), true);
    assert.equal(await page.inputValue('#zero'), '3');
    assert.match(await text(page, '#launch-command'), new RegExp(`per_device_train_batch_size=1, max_seq_length=4096, gradient_checkpointing=True, .*DeepSpeed ZeRO stage 3 on ${n[1]} GPUs, offload to CPU`));
  });
});

test('llama.cpp: the launch line and the log line to compare with', async () => {
  await withPage('#v1&e=llama.cpp&g=rtx-4090&kv=q8_0', async (page) => {
    assert.equal(await text(page, '#launch-command'), 'llama-server -m Llama-3.1-8B-F16.gguf -c 4096 -ngl 999 -ctk q8_0 -ctv q8_0');
    assert.match(await text(page, '#launch-log'), /^llama_kv_cache: CUDA0 KV buffer size = [\d.]+ MiB/);
  });
});

test('warnings sit under the row they concern; those of every row once under the table', async () => {
  await withPage('#v1&e=vllm&g=rtx-4090', async (page) => {
    const rowWarnings = await page.$$eval('#inference-table tr.note .warnings li', (l) => l.map((x) => x.textContent));
    assert.ok(rowWarnings.some((w) => /claims [\d.]+ GB/.test(w)), rowWarnings.join(' | '));
    const shared = await page.$$eval('#warnings li', (l) => l.map((x) => x.textContent));
    for (const w of shared) assert.ok(!rowWarnings.includes(w), w);
    for (const row of await page.$$(`#inference-table tr.note`)) {
      const items = await row.$$eval(".warnings li", (l) => l.map((x) => x.textContent));
      assert.equal(new Set(items).size, items.length, "no repeats under a row");
    }
  });
});
