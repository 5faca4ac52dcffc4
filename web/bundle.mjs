// The page's tiny bundler: web/src/*.js are ES modules (Node's tests import
// them as they are); a page from file:// can run only classic scripts. This
// turns an entry module and what it imports into ONE classic script: each
// module, in dependency order, becomes a function scope returning its exports,
// and each `import { a, b as c } from './x.js'` becomes `const { a, b: c } = x`.
// Only the forms web/src uses are accepted; anything else fails the build.
// Comments are left out of the result: dist/index.html has a size budget
// (tests/bench/bench.mjs) and the sources are where they are read.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/** acorn: from node_modules, else Debian's (as tests/lint/lint.mjs finds it). */
function acorn() {
  const require = createRequire(import.meta.url);
  try {
    return require('acorn');
  } catch {
    return require('/usr/share/nodejs/acorn');
  }
}

const IMPORT = /^import\s*\{([^}]*)\}\s*from\s*'(\.\/[\w.-]+\.js)';[ \t]*$/gm;
const EXPORT = /^export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)/gm;

const scopeName = (file) => 'module_' + basename(file, '.js').replace(/[^\w]/g, '_');

/** The relative files a module imports, in the order it names them. */
function importsOf(source) {
  return [...source.matchAll(IMPORT)].map((m) => m[2]);
}

/** The entry and everything it imports, each after what it needs; a cycle fails. */
export function moduleOrder(entry) {
  const order = [];
  const state = new Map(); // file -> 'visiting' | 'done'
  (function visit(file) {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') throw new Error('bundle: import cycle through ' + file);
    state.set(file, 'visiting');
    for (const dep of importsOf(readFileSync(file, 'utf8'))) visit(join(dirname(file), dep));
    state.set(file, 'done');
    order.push(file);
  })(entry);
  return order;
}

/** One module as a function scope: imports read from earlier scopes, exports returned. */
function wrapModule(file) {
  const source = readFileSync(file, 'utf8');
  const exports = [...source.matchAll(EXPORT)].map((m) => m[1]);
  const body = source
    .replace(IMPORT, (_, names, dep) => 'const {' + names.replace(/\s+as\s+/g, ': ') + '} = ' + scopeName(dep) + ';')
    .replace(/^export\s+/gm, '');
  const left = body.match(/^\s*(import|export)\b.*$/m);
  if (left) throw new Error(`bundle: ${basename(file)}: unsupported form: ${left[0].trim()}`);
  return `const ${scopeName(file)} = (function () {\n'use strict';\n${body}\nreturn { ${exports.join(', ')} };\n})();`;
}

/**
 * The script without its comments (acorn finds them, so strings and regexes are
 * safe); a line that held only a comment goes with it. A syntax error throws.
 */
export function stripComments(js, filename) {
  const cuts = [];
  try {
    acorn().parse(js, { ecmaVersion: 'latest', sourceType: 'script', onComment: (block, text, start, end) => cuts.push([start, end]) });
  } catch (e) {
    throw new Error(`bundle: ${filename}: ${e.message}`);
  }
  let out = '';
  let at = 0;
  for (let [start, end] of cuts) {
    const lineStart = js.lastIndexOf('\n', start - 1) + 1;
    if (/^[ \t]*$/.test(js.slice(lineStart, start)) && lineStart >= at && js[end] === '\n') [start, end] = [lineStart, end + 1];
    out += js.slice(at, start);
    at = end;
  }
  return out + js.slice(at);
}

/**
 * The entry module and its imports as one classic script (an IIFE).
 * @param {string} entry path of the entry module
 * @param {Object<string, *>} constants names the modules read as globals, with their values (as JSON)
 */
export function bundle(entry, constants = {}) {
  const names = Object.keys(constants).map((k) => `const ${k} = ${JSON.stringify(constants[k])};`);
  const js = ['(function () {', "'use strict';", ...names, ...moduleOrder(entry).map(wrapModule), '})();'].join('\n');
  return stripComments(js, basename(entry) + ' (bundled)');
}
