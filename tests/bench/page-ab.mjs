// Two builds of the page side by side, interleaved (the shared 2-core host's
// speed drifts by up to 2x within minutes, so only interleaved runs compare):
// the live estimator's tables after a cold load from file://, and a full
// recompute after the context length is edited (tables, then the charts and
// answers in the next frame), as tests/bench/page-states.mjs measures them.
//   node tests/bench/page-ab.mjs A.html B.html ['#v1&...'] [rounds]
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { openPage } from '../browser/browser.mjs';

const [fileA, fileB, hash = '', roundsArg] = process.argv.slice(2);
if (!fileA || !fileB) {
  console.error('usage: node tests/bench/page-ab.mjs A.html B.html [hash] [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg) || 6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function markReady() {
  new MutationObserver(() => {
    if (document.body && document.body.dataset.ready === 'true' && !window.__ready) window.__ready = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'], childList: true });
}

/** One cold load: ms to the live tables; then 20 recomputes (after 5 to warm up): medians. */
async function run(file) {
  const b = await openPage('about:blank');
  try {
    await b.page.addInitScript(markReady);
    await b.page.goto(pathToFileURL(resolve(file)).href + hash);
    await b.page.waitForFunction(() => window.__ready, null, { timeout: 60000 });
    const live = await b.page.evaluate(() => window.__ready);
    const rec = await b.page.evaluate((count) => new Promise((done) => {
      const input = document.getElementById('seqlen');
      const base = Number(String(input.value).replace(/[^0-9]/g, '')) || 4096;
      const out = [];
      const step = (i) => requestAnimationFrame(() => {
        const t0 = performance.now();
        input.value = String(base + 256 * ((i % 4) + 1));
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const tables = performance.now() - t0;
        requestAnimationFrame((frame) => {
          out.push([tables, tables + performance.now() - frame]);
          if (i + 1 < count) step(i + 1); else done(out.slice(5));
        });
      });
      step(0);
    }), 25);
    return { live, tables: median(rec.map((r) => r[0])), total: median(rec.map((r) => r[1])) };
  } finally {
    await b.close();
  }
}

const results = [[], []];
for (let k = 0; k < rounds; k++) for (const i of [0, 1]) results[i].push(await run([fileA, fileB][i]));
[fileA, fileB].forEach((f, i) => {
  const r = results[i];
  console.log(`${f}: live tables ${median(r.map((x) => x.live)).toFixed(0)} ms, recompute ${median(r.map((x) => x.total)).toFixed(1)} ms ` +
    `(tables ${median(r.map((x) => x.tables)).toFixed(1)}); recomputes ${r.map((x) => x.total.toFixed(1)).join(' ')}`);
});
