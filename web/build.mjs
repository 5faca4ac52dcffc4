// Builds dist/:
//   dist/llmmem.js                the estimator module alone
//   dist/index.html               the whole calculator in one file (CSS, JS and the WASM
//                                 inlined as classic scripts: works from file://, makes no request)
//   dist/llm-memory-estimator.js  the <llm-memory-estimator> custom element, one script
//   dist/embed-example.html       a page that embeds it
//   node web/build.mjs <path to llmmem.js> <out dir>
// The page's code is web/src/ (ES modules), bundled by web/bundle.mjs. The core's
// schema (est.schema()) and the default state's answer are computed here with
// the module and written into the page as JSON data, not scripts.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { bundle } from './bundle.mjs';
import { prerender } from './src/prerender.js';
import { DEFAULT_HUB_ORIGIN, HUB_FILE_HOSTS } from './src/hub.js';

const here = dirname(fileURLToPath(import.meta.url));
const read = (name) => readFileSync(join(here, name), 'utf8');

/** Makes JS safe inside an inline <script>: no "</script" and no "<!--" can end or bend it. */
export function inlineScript(js) {
  return js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}

/** JSON for a <script type="application/json"> block: no '<', '>' or '&' to end or bend it. */
export function inlineJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * The Hub the page's lookup may reach (web/src/hub.js): the real one, or a
 * test's stand-in named by LLMMEM_HUB_ORIGIN at build time. The CSP's
 * connect-src opens that origin alone (and, for the real Hub, the hosts its
 * large files redirect to).
 */
export function hubOrigin(env = process.env) {
  const given = env.LLMMEM_HUB_ORIGIN;
  if (!given) return DEFAULT_HUB_ORIGIN;
  const origin = new URL(given).origin;
  if (origin !== given || !/^https?:$/.test(new URL(given).protocol)) throw new Error('LLMMEM_HUB_ORIGIN must be an http(s) origin, got ' + given);
  return origin;
}

const connectSources = (hub) => [hub, ...(hub === DEFAULT_HUB_ORIGIN ? HUB_FILE_HOSTS : [])].join(' ');

const sha256 = (text) => "'sha256-" + createHash('sha256').update(text, 'utf8').digest('base64') + "'";

/** dist/index.html: the page's template filled in, with a CSP that allows exactly its two scripts. */
function pageHtml({ moduleJs, appJs, ui, styleText, schema, snapshot, hub }) {
  const estimator = inlineScript(moduleJs);
  const app = inlineScript(appJs);
  // Only these exact scripts may run; nothing may be framed or posted, and only
  // the Hub lookup (on the user's action) may fetch.
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(estimator)} ${sha256(app)} 'wasm-unsafe-eval'`,
    `connect-src ${connectSources(hub)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return read('index.html')
    .replace('%CSP%', () => csp)
    .replace('%STYLE%', () => styleText.replace(/<\/style/gi, '<\\/style'))
    .replace('%UI%', () => ui)
    .replace('%SCHEMA%', () => inlineJson(schema))
    .replace('%SNAPSHOT%', () => inlineJson(snapshot))
    .replace('%ESTIMATOR%', () => estimator)
    .replace('%APP%', () => app);
}

/**
 * The sheet inside the element's shadow root: `rem` there would follow the host page's root font
 * size (a `* { font-size: 40px !important }` reaches it), so each length in rem becomes a
 * multiple of the element's own root size (--llmmem-rem, set in element.js). Media queries keep
 * rem, which there means the browser's initial size, not the page's.
 */
export function elementStyle(styleText) {
  return styleText.replace(/(@media[^{]*\{)|(\d*\.?\d+)rem\b/g, (m, media, n) => (media ? m : `calc(${n} * var(--llmmem-rem))`));
}

/**
 * Bytes as the smallest gzip stream we can make: zopfli's (the Makefile installs it), which
 * searches deflate's matches exhaustively, 5% under zlib's level 9 for the module's binary
 * (266.3 against 281.3 KB on this build); zlib's where zopfli is missing. DecompressionStream
 * reads either; the stream is checked to inflate to the same bytes.
 */
export function smallestGzip(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'llmmem-gzip-'));
  let packed;
  try {
    const file = join(dir, 'module.wasm');
    writeFileSync(file, bytes);
    packed = execFileSync('zopfli', ['--i15', '-c', file], { maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    console.warn('web/build.mjs: zopfli is not installed; the WebAssembly is gzipped by zlib (about 5% larger)');
    packed = gzipSync(bytes, { level: 9 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!gunzipSync(packed).equals(bytes)) throw new Error('smallestGzip: the stream does not inflate to the module');
  return packed;
}

/**
 * The module for a page: its WebAssembly gzip-compressed inside it (base64 text of the raw
 * binary defeats gzip: the page was 349 KB gzipped, the binary itself 219 KB), inflated with the
 * browser's DecompressionStream (no request, nothing for a CSP to allow beyond
 * 'wasm-unsafe-eval') and compiled as soon as the script runs (in the browser's background
 * threads, while the page finishes loading); createEstimator() then
 * instantiates the compiled module (Emscripten's instantiateWasm hook). dist/llmmem.js, for Node
 * and for scripts, stays as Emscripten wrote it. (Measured instead: LZMA, 177 KB against gzip's
 * 233 KB for the binary, but a JavaScript decoder took 40 ms of CPU where DecompressionStream
 * takes a few.)
 */
export function packedModule(moduleJs) {
  const prefix = 'wasmBinaryFile="data:application/octet-stream;base64,';
  const start = moduleJs.indexOf(prefix);
  if (start < 0) throw new Error('packedModule: the module has no inlined WebAssembly');
  const end = moduleJs.indexOf('"', start + prefix.length);
  const wasm = Buffer.from(moduleJs.slice(start + prefix.length, end), 'base64');
  const packed = smallestGzip(wasm).toString('base64');
  const inflate = [
    '(function () {',
    '  var inner = createEstimator;',
    `  var packed = "${packed}";`,
    '  var compiled = null;',
    '  function compile() {',
    '    if (!compiled) {',
    '      var bytes;',
    '      if (typeof Uint8Array.fromBase64 === "function") bytes = Uint8Array.fromBase64(packed);',
    '      else {',
    '        var text = atob(packed);',
    '        bytes = new Uint8Array(text.length);',
    '        for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);',
    '      }',
    "      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));",
    '      compiled = new Response(stream).arrayBuffer().then(function (binary) { return WebAssembly.compile(binary); });',
    '    }',
    '    return compiled;',
    '  }',
    '  try { compile(); } catch (e) { compiled = null; }',
    '  createEstimator = function (options) {',
    '    options = options || {};',
    '    if (options.wasmBinary || options.instantiateWasm) return inner(options);',
    '    return new Promise(function (resolve, reject) {',
    '      compile().then(function (module) {',
    '        options.instantiateWasm = function (imports, receive) {',
    '          WebAssembly.instantiate(module, imports).then(function (instance) { receive(instance, module); }, reject);',
    '          return {};',
    '        };',
    '        inner(options).then(resolve, reject);',
    '      }, reject);',
    '    });',
    '  };',
    '})();',
  ].join('\n');
  return moduleJs.slice(0, start + prefix.length) + moduleJs.slice(end) + '\n' + inflate;
}

/** The custom element: the module, then the markup, sheet and schema as constants of the page code. */
async function elementJs({ moduleJs, ui, styleText, schema, hub }) {
  return '// <llm-memory-estimator>: llmmem as a custom element (generated by web/build.mjs).\n' + await minified([
    '(function () {',
    moduleJs,
    bundle(join(here, 'src', 'element.js'), { LLMMEM_UI: ui, LLMMEM_STYLE: elementStyle(styleText), LLMMEM_SCHEMA: schema, LLMMEM_HUB: hub }),
    '})();',
  ].join('\n'));
}

/**
 * A script as terser writes it (Debian's terser, which make's set-up installs): local names
 * shortened, whitespace, comments and dead code dropped; its top-level names (createEstimator)
 * kept. The page's code goes 24.9 -> 19.8 KB gzipped and Emscripten's glue around the
 * WebAssembly 11.0 -> 7.9 KB. Where terser is missing the script stays as written, with a
 * warning. dist/llmmem.js, the library for Node and scripts, is not minified.
 */
export async function minified(js) {
  let terser;
  try {
    terser = createRequire(import.meta.url)('terser');
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
    console.warn('web/build.mjs: terser is not installed (NODE_PATH=/usr/share/nodejs); the page\'s scripts are not minified');
    return js;
  }
  return (await terser.minify(js, { compress: true, mangle: true, format: { comments: false } })).code;
}

async function main() {
  const [moduleFile = 'build/wasm/wasm/llmmem.js', outDir = 'dist'] = process.argv.slice(2);
  const est = await createRequire(import.meta.url)(resolve(moduleFile))();
  const parts = { moduleJs: packedModule(readFileSync(moduleFile, 'utf8')), ui: read('ui.html').trim(), styleText: read('style.css'), schema: est.schema(), hub: hubOrigin() };
  const appJs = await minified(bundle(join(here, 'src', 'page.js'), { LLMMEM_HUB: parts.hub }));
  const html = pageHtml({ ...parts, moduleJs: await minified(parts.moduleJs), appJs, snapshot: prerender(est) });
  mkdirSync(outDir, { recursive: true });
  copyFileSync(moduleFile, join(outDir, 'llmmem.js'));
  writeFileSync(join(outDir, 'index.html'), html);
  writeFileSync(join(outDir, 'llm-memory-estimator.js'), await elementJs(parts));
  writeFileSync(join(outDir, 'embed-example.html'), read('embed-example.html'));
  const gz = gzipSync(html, { level: 9 }).length;
  console.log(`wrote ${join(outDir, 'index.html')} (${html.length} bytes, ${gz} gzipped), llmmem.js, llm-memory-estimator.js, embed-example.html`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
