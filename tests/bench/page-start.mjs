// Where the page's start-up time goes: navigation to the estimator ready
// (mark llmmem-estimator-ready) and to complete tables (body[data-ready]),
// median of N cold loads of dist/index.html from file://.
//   node tests/bench/page-start.mjs [N]
import { openPage, pageUrl } from '../browser/browser.mjs';

const n = +process.argv[2] || 7;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const rows = [];
for (let i = 0; i < n; i++) {
  const b = await openPage('about:blank');
  await b.page.addInitScript(() => {
    const mark = () => { if (document.body && document.body.dataset.ready === 'true' && !window.__ready) window.__ready = performance.now(); };
    new MutationObserver(mark).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'], childList: true });
  });
  await b.page.goto(process.env.PAGE_URL || pageUrl);
  await b.page.waitForFunction(() => window.__ready, null, { timeout: 30000 });
  rows.push(await b.page.evaluate(() => {
    const m = (name) => { const e = performance.getEntriesByName(name)[0]; return e ? e.startTime : NaN; };
    const nav = performance.getEntriesByType('navigation')[0];
    return { domContentLoaded: nav.domContentLoadedEventEnd, estimatorReady: m('llmmem-estimator-ready'), ready: window.__ready };
  }));
  await b.close();
}
const out = {};
for (const k of Object.keys(rows[0])) out[k] = +median(rows.map((r) => r[k])).toFixed(1);
console.log(JSON.stringify(out), JSON.stringify(rows.map((r) => Math.round(r.ready))));
