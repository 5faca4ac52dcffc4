// The custom element on other people's pages (issue "Unbreakable, all the
// way"): a strict CSP, Trusted Types, a clobbered window.LLMMEM_TAG, attribute
// storms, removal, and a host rule that forces font sizes. Each host page is
// served over http by a tiny local server, with its CSP as a response header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../node/helpers.mjs';
import { openPage } from './browser.mjs';

const STRICT = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'";
const READY = (tag = 'llm-memory-estimator') => `document.querySelector('${tag}')?.shadowRoot?.querySelector('.llmmem[data-ready="true"]')`;

/** Host pages: path -> {csp, body, scripts}; each script is served as its own file. */
const PAGES = {
  '/strict.html': { csp: STRICT, body: '<llm-memory-estimator model="llama-3.2-1b"></llm-memory-estimator>' },
  '/tt.html': { csp: STRICT + "; require-trusted-types-for 'script'", body: '<llm-memory-estimator></llm-memory-estimator>' },
  '/tt-list.html': { csp: STRICT + "; require-trusted-types-for 'script'; trusted-types llmmem", body: '<llm-memory-estimator></llm-memory-estimator>' },
  '/clobber.html': { csp: STRICT, body: '<a id="LLMMEM_TAG" href="#"></a><llm-memory-estimator></llm-memory-estimator>' },
  '/fonts.html': { csp: STRICT + "; style-src 'unsafe-inline'", body: '<style>* { font-size: 40px !important; line-height: 3 !important }</style><llm-memory-estimator></llm-memory-estimator>' },
  '/plain.html': { csp: STRICT, body: '<llm-memory-estimator></llm-memory-estimator>' },
};

let server;
let base;

before(async () => {
  const element = readFileSync(join(root, 'dist', 'llm-memory-estimator.js'));
  server = createServer((req, res) => {
    const page = PAGES[req.url];
    if (req.url === '/llm-memory-estimator.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(element);
    } else if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.csp });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>host</title></head><body>${page.body}<script src="/llm-memory-estimator.js"></script></body></html>`);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((r) => server.close(r)));

/**
 * Opens a host page and waits for the element's estimator to answer. Polled from here, not with
 * waitForFunction: when its first check fails, Playwright polls inside the page with eval, which
 * these hosts' CSP (no 'unsafe-eval') refuses; on a loaded machine the test then failed.
 */
async function openHost(path, ready = READY()) {
  const b = await openPage(base + path);
  const deadline = Date.now() + 30000;
  while (!(await b.page.evaluate(`Boolean(${ready})`))) {
    if (Date.now() > deadline) throw new Error(`${path}: the element did not answer within 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return b;
}

test('under a strict CSP (no inline styles) the element renders styled', async () => {
  const b = await openHost('/strict.html');
  try {
    const host = b.page.locator('llm-memory-estimator');
    assert.match(await host.locator('#model-info').textContent(), /^Llama 3\.2 1B/);
    // The sheet applies: the root's custom properties and a table's layout come from it.
    const accent = await host.locator('.llmmem').evaluate((e) => getComputedStyle(e).getPropertyValue('--accent').trim());
    assert.equal(accent, '#2456c7');
    assert.equal(await b.page.evaluate(() => document.querySelector('llm-memory-estimator').shadowRoot.adoptedStyleSheets.length), 1);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('under Trusted Types the element renders, through a policy named llmmem', async () => {
  for (const path of ['/tt.html', '/tt-list.html']) {
    const b = await openHost(path);
    try {
      assert.match(await b.page.locator('llm-memory-estimator').locator('#model-info').textContent(), /\S/, path);
      assert.deepEqual(b.errors, [], path);
    } finally {
      await b.close();
    }
  }
});

test('an <a id="LLMMEM_TAG"> on the host page does not stop the element being defined', async () => {
  const b = await openHost('/clobber.html');
  try {
    assert.ok(await b.page.evaluate(() => !!customElements.get('llm-memory-estimator')));
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('10,000 setAttribute calls finish quickly and fire few change events', async () => {
  const b = await openHost('/plain.html');
  try {
    const r = await b.page.evaluate(async () => {
      const el = document.querySelector('llm-memory-estimator');
      let events = 0;
      el.addEventListener('change', () => { events++; });
      const t0 = performance.now();
      for (let i = 0; i < 10000; i++) el.setAttribute('seq-len', String(1024 + i));
      const loop = performance.now() - t0;
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      await new Promise((res) => setTimeout(res, 200));
      return { loop, total: performance.now() - t0, events, state: el.state.seqLen };
    });
    assert.ok(r.loop < 1000, `the loop took ${r.loop} ms`);
    assert.ok(r.total < 3000, `settling took ${r.total} ms`);
    assert.ok(r.events >= 1 && r.events <= 3, `${r.events} change events`);
    assert.equal(r.state, 1024 + 9999);
  } finally {
    await b.close();
  }
});

test('a removed element fires no change; put back, it applies what changed meanwhile', async () => {
  const b = await openHost('/plain.html');
  try {
    const r = await b.page.evaluate(async () => {
      const el = document.querySelector('llm-memory-estimator');
      const frames = () => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(res, 100))));
      let events = 0;
      el.addEventListener('change', () => { events++; });
      el.setAttribute('batch', '2');
      el.remove();
      el.setAttribute('batch', '3');
      await frames();
      const whileRemoved = events;
      document.body.appendChild(el);
      await frames();
      return { whileRemoved, after: events, batch: el.state.batch };
    });
    assert.equal(r.whileRemoved, 0);
    assert.equal(r.after, 1);
    assert.equal(r.batch, 3);
  } finally {
    await b.close();
  }
});

test('a host rule * { font-size: 40px !important } does not reach inside', async () => {
  const sizes = async (path) => {
    const b = await openHost(path);
    try {
      const host = b.page.locator('llm-memory-estimator');
      const size = (sel) => host.locator(sel).first().evaluate((e) => getComputedStyle(e).fontSize);
      assert.deepEqual(b.errors, []);
      return [await size('.llmmem'), await size('#inference-table td'), await size('h2')];
    } finally {
      await b.close();
    }
  };
  const plain = await sizes('/plain.html');
  assert.equal(plain[0], '16px');
  assert.deepEqual(await sizes('/fonts.html'), plain);
});
