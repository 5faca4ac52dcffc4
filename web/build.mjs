// Builds dist/: the estimator module (dist/llmmem.js) and the whole calculator
// in one file (dist/index.html) with CSS, JS and the WASM inlined as classic
// scripts, so that it works from file:// and makes no request at all.
//   node web/build.mjs <path to llmmem.js> <out dir>
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [moduleFile = 'build/wasm/wasm/llmmem.js', outDir = 'dist'] = process.argv.slice(2);
const read = (name) => readFileSync(join(here, name), 'utf8');

/** Makes JS safe inside an inline <script>: no "</script" and no "<!--" can end or bend it. */
export function inlineScript(js) {
  return js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}

const sha256 = (text) => "'sha256-" + createHash('sha256').update(text, 'utf8').digest('base64') + "'";

const estimator = inlineScript(readFileSync(moduleFile, 'utf8'));
const app = inlineScript(read('app.js'));
const style = read('style.css').replace(/<\/style/gi, '<\\/style');

// Only these exact scripts may run; nothing may be fetched, framed or posted.
const csp = [
  "default-src 'none'",
  `script-src ${sha256(estimator)} ${sha256(app)} 'wasm-unsafe-eval'`,
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const html = read('index.html')
  .replace('%CSP%', () => csp)
  .replace('%STYLE%', () => style)
  .replace('%ESTIMATOR%', () => estimator)
  .replace('%APP%', () => app);

mkdirSync(outDir, { recursive: true });
copyFileSync(moduleFile, join(outDir, 'llmmem.js'));
writeFileSync(join(outDir, 'index.html'), html);
console.log(`wrote ${join(outDir, 'index.html')} (${html.length} bytes) and ${join(outDir, 'llmmem.js')}`);
