// The page's speed on the states it is used in (issue #19): the default
// state, a fine-tuning link, a vLLM link and a pasted config.json. For each,
// N cold loads of dist/index.html from file:// in headless Chromium, each in a
// fresh browser profile:
//   firstMs  navigation to the first complete tables (the build's answer for
//            the default state, the live estimator's for any other)
//   liveMs   navigation to the live WebAssembly estimator's tables
//            (body[data-ready]); a pasted config is pasted as soon as the
//            document is parsed, as a user's paste at the first moment
// then, on one loaded page per state, a full recompute after an input change
// (the context length edited): the tables at once and the charts and answers
// in the next frame, CPU time of both, median of 15 changes.
//   node tests/bench/page-states.mjs [N]   (also used by bench.mjs)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPage, pageUrl } from '../browser/browser.mjs';
import { root } from '../node/helpers.mjs';

// Llama 3.1 8B's config.json (the first of tests/data/model-configs.json), pasted as text.
const CONFIG_TEXT = JSON.stringify(JSON.parse(readFileSync(join(root, 'tests/data/model-configs.json'), 'utf8'))[0], null, 2);

export const STATES = [
  { id: 'default', label: 'default state', hash: '' },
  { id: 'finetune', label: 'fine-tuning link', hash: '#v1&m=qwen2.5-7b&t=finetune&s=8192&b=4&f=lora&r=64&gc=1&n=2&z=3&u=gib' },
  { id: 'vllm', label: 'vLLM link', hash: '#v1&m=llama-3.1-70b&s=8192&g=h100-sxm-80gb' },
  { id: 'config', label: 'pasted config.json', hash: '', config: CONFIG_TEXT },
];

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };

// Runs in the page before its scripts: records when the live tables are shown,
// and pastes the config (if any) as soon as the document is parsed.
export function initScript(config) {
  const mark = () => { if (document.body && document.body.dataset.ready === 'true' && !window.__llmmemReady) window.__llmmemReady = performance.now(); };
  new MutationObserver(mark).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'], childList: true });
  if (config) {
    document.addEventListener('DOMContentLoaded', () => {
      const area = document.getElementById('config');
      area.value = config;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }
}

async function coldLoad(state) {
  const b = await openPage('about:blank');
  try {
    await b.page.addInitScript(initScript, state.config || '');
    await b.page.goto(pageUrl + state.hash);
    await b.page.waitForFunction(() => window.__llmmemReady, null, { timeout: 60000 });
    const t = await b.page.evaluate(() => {
      const first = performance.getEntriesByName('llmmem-first-tables')[0];
      return { first: first ? first.startTime : window.__llmmemReady, live: window.__llmmemReady };
    });
    const requests = b.requests.filter((u) => u !== 'about:blank' && u.split('#')[0] !== pageUrl).length;
    return { ...t, requests };
  } finally {
    await b.close();
  }
}

// One input change: the tables (synchronous) and, in the next frame, the
// charts and answers; the time of both, without the wait for the frame.
export async function recomputes(page, n) {
  return page.evaluate((count) => new Promise((resolve) => {
    const input = document.getElementById('seqlen');
    const base = Number(String(input.value).replace(/[^0-9]/g, '')) || 4096;
    const out = [];
    const step = (i) => requestAnimationFrame(() => {
      const t0 = performance.now();
      input.value = String(base + 256 * ((i % 4) + 1));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const tables = performance.now() - t0;
      // Registered after the page's own frame callback: runs right after it.
      requestAnimationFrame((frameStart) => {
        out.push({ tables, total: tables + (performance.now() - frameStart) });
        if (i + 1 < count) step(i + 1); else resolve(out);
      });
    });
    step(0);
  }), n);
}

/** Cold loads and recomputes of every state; returns one row per state. */
export async function pageStates(loads = 20, changes = 15) {
  const rows = [];
  for (const state of STATES) {
    const cold = [];
    for (let i = 0; i < loads; i++) cold.push(await coldLoad(state));
    const b = await openPage('about:blank');
    let rec;
    try {
      await b.page.addInitScript(initScript, state.config || '');
      await b.page.goto(pageUrl + state.hash);
      await b.page.waitForFunction(() => window.__llmmemReady, null, { timeout: 60000 });
      await recomputes(b.page, 5);  // warm-up: the module's hot code tiers up
      rec = await recomputes(b.page, changes);
    } finally {
      await b.close();
    }
    rows.push({
      id: state.id, label: state.label, loads,
      firstMs: median(cold.map((c) => c.first)), liveMs: median(cold.map((c) => c.live)),
      liveMin: Math.min(...cold.map((c) => c.live)), liveMax: Math.max(...cold.map((c) => c.live)),
      requests: cold.reduce((a, c) => a + c.requests, 0),
      tablesMs: median(rec.map((r) => r.tables)), recomputeMs: median(rec.map((r) => r.total)),
    });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await pageStates(+process.argv[2] || 7, 15);
  for (const r of rows) console.log(JSON.stringify(r));
}
