// Headless Chromium (Debian's) driven by playwright-core, with every request,
// page error and Content-Security-Policy violation recorded.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from '../node/helpers.mjs';

export const pageUrl = pathToFileURL(join(root, 'dist', 'index.html')).href;

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Opens a fresh browser; returns {page, requests, errors, close}. */
export async function openPage(url = pageUrl, options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'llmmem-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: options.viewport || { width: 1280, height: 900 },
  });
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
    });
  });
  await page.goto(url);
  return {
    page,
    requests,
    errors,
    /** Requests other than the page's own document. */
    otherRequests: () => requests.filter((u) => u.split('#')[0] !== url.split('#')[0]),
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

/** The label and the byte cells of a table row (components, then the total), as text. */
export async function rowCells(page, tableId, rowKey) {
  // A fine-tuning total's measured range (span.range) is not part of its value.
  return page.$$eval(`#${tableId} tbody tr[data-row="${rowKey}"] > :not(.format):not(.fits)`,
    (cells) => cells.map((c) => [...c.childNodes].filter((n) => !(n.classList && n.classList.contains('range'))).map((n) => n.textContent).join('').trim()));
}

/** Every cell of a table row, as text (format and fit verdict included). */
export async function allCells(page, tableId, rowKey) {
  return page.$$eval(`#${tableId} tbody tr[data-row="${rowKey}"] > *`, (cells) => cells.map((c) => c.textContent.trim()));
}
