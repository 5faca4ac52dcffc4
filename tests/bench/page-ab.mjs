// Two builds of the page side by side, interleaved (the shared 2-core host's
// speed drifts by up to 2x within minutes, so only interleaved runs compare):
// the live estimator's tables after a cold load from file://, and a full
// recompute after the context length is edited (tables, then the charts and
// answers in the next frame), measured as tests/bench/page-states.mjs does.
//   node tests/bench/page-ab.mjs A.html B.html ['#v1&...'] [rounds]
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { openPage } from '../browser/browser.mjs';
import { initScript, median, recomputes } from './page-states.mjs';

const [fileA, fileB, hash = '', roundsArg] = process.argv.slice(2);
if (!fileA || !fileB) {
  console.error('usage: node tests/bench/page-ab.mjs A.html B.html [hash] [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg) || 6;

/** One cold load: ms to the live tables; then 20 recomputes (after 5 to warm up): medians. */
async function run(file) {
  const b = await openPage('about:blank');
  try {
    await b.page.addInitScript(initScript, '');
    await b.page.goto(pathToFileURL(resolve(file)).href + hash);
    await b.page.waitForFunction(() => window.__llmmemReady, null, { timeout: 60000 });
    const live = await b.page.evaluate(() => window.__llmmemReady);
    await recomputes(b.page, 5);
    const rec = await recomputes(b.page, 20);
    return { live, tables: median(rec.map((r) => r.tables)), total: median(rec.map((r) => r.total)) };
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
