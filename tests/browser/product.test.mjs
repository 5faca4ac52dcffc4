// The page as a product: the answer first at every width, one byte unit in
// every text, inputs that take what people type, and every setting the core
// computes reachable and kept in the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, pageUrl } from './browser.mjs';

const charted = (page) => page.waitForSelector('.llmmem[data-charts="true"]');
const text = (page, sel) => page.$eval(sel, (e) => e.textContent);

async function withPage(hash, fn, options) {
  const b = await openPage(pageUrl + hash, options);
  try {
    await charted(b.page);
    await fn(b.page);
    assert.deepEqual(b.otherRequests(), [], 'no network request');
    assert.deepEqual(b.errors, [], 'no page error, no CSP violation');
  } finally {
    await b.close();
  }
}

/** Where each table's Total and Fits cells are, and how wide the page scrolls. */
const layout = (page) => page.evaluate(() => ({
  width: innerWidth, height: innerHeight, scroll: document.documentElement.scrollWidth,
  cells: [...document.querySelectorAll('tbody tr[data-row] td.total, tbody tr[data-row] td.fits')].map((c) => {
    const r = c.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  }),
}));

for (const width of [1280, 1024]) {
  test(`at ${width} px every table's Total and Fits cells are in view without scrolling sideways`, async () => {
    for (const hash of ['', '#v1&t=finetune&g=h100-sxm-80gb,rtx-4090', '#v1&e=vllm&g=rtx-4090&m=llama-3.1-70b']) {
      await withPage(hash, async (page) => {
        const l = await layout(page);
        assert.ok(l.scroll <= l.width, `page scrolls sideways: ${l.scroll} > ${l.width}`);
        assert.ok(l.cells.length >= 14, hash);
        for (const c of l.cells) assert.ok(c.left >= 0 && c.right <= l.width, `${hash}: cell at ${c.left}-${c.right} of ${l.width}`);
      }, { viewport: { width, height: 900 } });
    }
  });
}

test('at 360 px the first total is in the first screen, and nothing scrolls sideways', async () => {
  await withPage('', async (page) => {
    const l = await layout(page);
    assert.ok(l.scroll <= l.width, `${l.scroll} > ${l.width}`);
    assert.ok(l.cells[0].bottom <= l.height && l.cells[0].right <= l.width, JSON.stringify(l.cells[0]));
    assert.match(await text(page, '#summary'), /^Llama 3\.1 8B, bf16 inference, 4,096 tokens, batch 1: [\d.]+ GB per GPU/);
  }, { viewport: { width: 360, height: 740 } });
});

const RESULTS = ['#summary', '#inference-table', '#finetune-table', '#warnings', '#answers-list', '#inference-bars', '#chart-seqlen'];
const resultsText = (page) => Promise.all(RESULTS.map((s) => text(page, s))).then((t) => t.join('\n'));

test('one unit everywhere: GiB mode shows no GB quantity in results and formulas, GB mode no GiB or MiB', async () => {
  await withPage('#v1&e=llama.cpp&g=rtx-4090', async (page) => {
    await page.check('#show-formulas');
    assert.doesNotMatch(await resultsText(page), /\d (GiB|MiB)\b/);
    await page.check('#unit-gib');
    await page.waitForFunction(() => /GiB/.test(document.querySelector('#chart-seqlen').textContent));
    const t = await resultsText(page);
    assert.doesNotMatch(t, /\d (GB|MiB)\b/);
    assert.match(t, /\d GiB/);
    assert.match(await text(page, '#inference-table caption'), /GiB per GPU/);
  });
});

test('context takes 8k (8,192) and 32K; a parameter count takes 70b; an invalid value marks its field and the stale results', async () => {
  await withPage('', async (page) => {
    await page.fill('#seqlen', '8k');
    assert.match(await text(page, '#inference-table caption'), /8,192 tokens/);
    assert.match((await page.evaluate(() => location.hash)), /&s=8192/);
    await page.fill('#seqlen', '32K');
    assert.match((await page.evaluate(() => location.hash)), /&s=32768/);
    await page.fill('#params', '70b');
    assert.match((await page.evaluate(() => location.hash)), /^#v1&p=70&/);
    await page.fill('#seqlen', '8x');
    assert.equal(await page.getAttribute('#seqlen', 'aria-invalid'), 'true');
    assert.match(await text(page, '#seqlen-error'), /^Context: enter a whole number/);
    assert.equal(await page.isVisible('#stale'), true);
    assert.equal(await page.$eval('.llmmem', (e) => e.classList.contains('stale')), true);
    await page.fill('#seqlen', '1M');
    assert.equal(await page.isVisible('#stale'), false);
    assert.equal(await page.$$eval('.field-error', (e) => e.length), 0);
    assert.match((await page.evaluate(() => location.hash)), /&s=1048576/);
  });
});

test('training precision, CPU offload and a card given by its memory survive a reload through the link', async () => {
  let url;
  await withPage('', async (page) => {
    await page.selectOption('#task', 'finetune');
    await page.selectOption('#precision', 'fp32');
    await page.selectOption('#offload', 'optimizer');
    await page.fill('#gpu-memory', '48 GiB');
    url = (await page.evaluate(() => location.hash));
    assert.match(url, /&pr=fp32&co=optimizer&cm=51539607552$/);
    assert.match(await text(page, '#finetune-table tr[data-row="full"] td.fits'), /× your card/);
  });
  await withPage(url, async (page) => {
    assert.equal(await page.inputValue('#precision'), 'fp32');
    assert.equal(await page.inputValue('#offload'), 'optimizer');
    assert.equal(await page.inputValue('#gpu-memory'), '48 GiB');
    assert.match(await text(page, '#finetune-table tr[data-row="full"] td.fits'), /× your card/);
    assert.match(await text(page, '#launch-command'), /precision: fp32/);
  });
});

test('every format of the engine is reachable: gpt-oss on llama.cpp in mxfp4', async () => {
  await withPage('#v1&m=gpt-oss-20b&e=llama.cpp', async (page) => {
    await page.selectOption('#weights', 'mxfp4');
    assert.deepEqual(await page.$$eval('#inference-table tbody tr[data-row]', (r) => r.map((x) => x.dataset.row)), ['f16', 'q8_0', 'q4_k_m', 'mxfp4']);
    assert.match((await page.evaluate(() => location.hash)), /&w=mxfp4/);
    assert.match(await text(page, '#launch-command'), /-MXFP4\.gguf/);
    await page.fill('#gpu-layers', '10');
    assert.match((await page.evaluate(() => location.hash)), /&gl=10/);
    assert.match(await text(page, '#launch-command'), /-ngl 10/);
  });
});

test('sections have headings; messages use the page\'s words, not API field names', async () => {
  await withPage('#v1&e=vllm&g=rtx-4090&t=finetune', async (page) => {
    const headings = await page.$$eval('h2', (h) => h.map((x) => x.textContent));
    for (const h of ['Results', 'Inputs', 'Launch it', 'What fits', 'Memory by component']) assert.ok(headings.includes(h), headings.join(' | '));
    const shown = await resultsText(page);
    assert.doesNotMatch(shown, /\b(maxModelLen|trainingPrecision|gradientCheckpointing|zeroStage|maxNumBatchedTokens|gpuMemoryBytes)\b/);
  });
});

// Issue "The page as a product", item 5: accuracy on the page, from make bench's figures
// (core/data/accuracy.json through est.schema()), and a range with every fine-tuning total.
test('each table says what it was measured against; fine-tuning totals show their range', async () => {
  await withPage('#v1&e=vllm&t=finetune', async (page) => {
    const acc = await page.evaluate(() => createEstimator().then((est) => est.schema().accuracy));
    const vllm = acc.inference.find((r) => r.engine === 'vllm');
    const all = acc.finetune.find((b) => b.trainer === '*' && b.method === '*');
    const pct = (x) => (100 * x).toFixed(x < 0.1 ? 1 : 0) + '%';
    const inf = await text(page, '#inference-accuracy');
    assert.match(inf, new RegExp(`${vllm.n} published measurements of vLLM .*median error ${pct(vllm.medianAbs).replace('.', '\\.')}`));
    assert.match(await text(page, '#finetune-accuracy'), new RegExp(`${all.n} published training runs.*median error ${pct(all.medianAbs).replace('.', '\\.')}`));
    // Every fine-tuning total carries "low–high GB" around it.
    const cells = await page.$$eval('#finetune-table tbody tr[data-row] td.total', (tds) => tds.map((td) => [td.firstChild.textContent, td.querySelector('.range')?.textContent]));
    assert.equal(cells.length, 4);
    for (const [total, range] of cells) {
      const m = range.match(/^([\d.]+)–([\d.]+) GB$/);
      assert.ok(m, range);
      const t = parseFloat(total);
      assert.ok(+m[1] <= t && t <= +m[2], `${range} around ${total}`);
    }
    // The link opens the table behind the notes and leaves the state in the hash alone.
    const hash = await page.evaluate(() => location.hash);
    await page.click('#inference-accuracy a');
    assert.equal(await page.$eval('#accuracy', (d) => d.open), true);
    assert.equal(await page.evaluate(() => location.hash), hash);
    assert.ok((await page.$$('#accuracy-table tbody tr')).length >= 5);
  });
});

// The page updates its results in place (web/src/dom.js morph: only the texts and attributes
// that changed). Changed step by step, through every kind of change that adds or removes rows,
// columns, verdict notes, cards and answers, it must show exactly what a fresh load of its
// link shows.
test('a page changed step by step shows exactly what a fresh load of its final link shows', async () => {
  const SHOWN = ['#summary', '#inference-table', '#finetune-table', '#warnings', '#answers-list', '#inference-bars', '#finetune-bars', '#chart-seqlen', '#chart-batch', '#settings', '#launch-command'];
  const shown = (page) => page.evaluate((sels) => sels.map((s) => document.querySelector(s).outerHTML), SHOWN);
  const settled = async (page) => {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await charted(page);
  };
  let hash;
  let stepped;
  await withPage('', async (page) => {
    const steps = [
      () => page.fill('#seqlen', '32k'),
      () => page.selectOption('#engine', 'vllm'),
      () => page.selectOption('#model', 'llama-3.1-70b'),
      () => page.check('#show-formulas'),
      () => page.selectOption('#task', 'finetune'),
      () => page.selectOption('#method', 'full'),
      () => page.fill('#batch', '8'),
      async () => { await page.selectOption('#gpu-add', 'rtx-4090'); await page.click('#gpu-add-button'); },
      () => page.check('#unit-gib'),
      () => page.selectOption('#engine', 'llama.cpp'),
      () => page.selectOption('#model', 'qwen2.5-0.5b'),
      () => page.fill('#seqlen', '2048'),
    ];
    for (const step of steps) { await step(); await settled(page); }
    hash = await page.evaluate(() => location.hash);
    stepped = await shown(page);
  });
  assert.match(hash, /m=qwen2\.5-0\.5b/);
  await withPage(hash, async (page) => {
    // The formulas checkbox is a view setting, not part of the link.
    if (!(await page.isChecked('#show-formulas'))) { await page.check('#show-formulas'); await settled(page); }
    const fresh = await shown(page);
    SHOWN.forEach((sel, i) => assert.equal(stepped[i], fresh[i], sel));
  });
});
