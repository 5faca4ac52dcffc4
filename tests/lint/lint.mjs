// The house rules that a reviewer would otherwise check by eye (docs/architecture.md):
//   - every C++ file of core/, wasm/ and tests/ is clang-format clean (.clang-format);
//   - no C++ function in core/ or wasm/ and no JS function in web/ or wasm/ is longer
//     than MAX_FUNCTION lines; no file in core/ is longer than MAX_CORE_FILE lines.
//   node tests/lint/lint.mjs            check (exit 1 with a list of what breaks a rule)
//   node tests/lint/lint.mjs --report   also list the longest functions
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_FUNCTION = 120;
export const MAX_CORE_FILE = 600;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function walk(dir, test) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, test));
    else if (test(name)) out.push(p);
  }
  return out.sort();
}
const isCpp = (n) => /\.(cpp|hpp|h|cc)$/.test(n);
const isJs = (n) => /\.(js|mjs)$/.test(n);

/** Source with comments, strings and character literals blanked (newlines kept). */
export function blankCpp(src) {
  let out = '';
  for (let i = 0; i < src.length; ) {
    const c = src[i];
    const d = src[i + 1];
    if (c === '/' && d === '/') {
      while (i < src.length && src[i] !== '\n') { out += ' '; i++; }
    } else if (c === '/' && d === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (; i < stop; i++) out += src[i] === '\n' ? '\n' : ' ';
    } else if (c === 'R' && d === '"' && !/[A-Za-z0-9_]/.test(src[i - 1] || '')) {
      const open = src.indexOf('(', i);
      const delim = ')' + src.slice(i + 2, open) + '"';
      const end = src.indexOf(delim, open);
      const stop = end < 0 ? src.length : end + delim.length;
      out += '""';
      for (i += 2; i < stop; i++) out += src[i] === '\n' ? '\n' : ' ';
    } else if (c === '"' || (c === "'" && !/[0-9A-Fa-f]/.test(src[i - 1] || ''))) {
      out += c;
      for (i++; i < src.length && src[i] !== c; i++) {
        if (src[i] === '\\') { out += ' '; i++; }
        out += src[i] === '\n' ? '\n' : ' ';
      }
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * C++ function bodies at namespace or class scope, with their line spans: each `{`
 * is classified by the declaration before it (namespace, class, function or
 * initializer); lambdas and blocks count in the function that holds them.
 */
export function cppFunctions(src) {
  const text = blankCpp(src);
  const found = [];
  const stack = []; // {kind, line, name}
  let line = 1;
  let declStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    const inFunction = stack.some((s) => s.kind === 'function' || s.kind === 'other');
    if (c === '{') {
      let kind = 'other';
      let name = '';
      if (!inFunction) {
        const decl = text.slice(declStart, i).trim();
        const flat = decl.replace(/\s+/g, ' ');
        if (/^(inline )?namespace\b/.test(flat) || /^extern "/.test(flat)) kind = 'namespace';
        else if (/(^|[\s>])(class|struct|union|enum)\b[^()=]*$/.test(flat)) kind = 'class';
        else if (/\)[^()]*$/.test(flat) && !/=\s*$/.test(flat) && !/^(if|for|while|switch)\b/.test(flat)) {
          // A constructor's member initializer `x_{...}` after `) :` opens no body.
          if (/\)\s*:[^{]*[A-Za-z0-9_>]\s*$/.test(flat) && !/\)\s*:[^{]*\)\s*$/.test(flat)) kind = 'other';
          else kind = 'function';
          const m = flat.match(/([A-Za-z_~][A-Za-z0-9_:~<>]*(?:operator\S*)?)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)[^()]*$/);
          name = m ? m[1] : flat.slice(0, 60);
        }
      }
      const startLine = line - (text.slice(declStart, i).match(/\n/g) || []).length + leadingNewlines(text, declStart, i);
      stack.push({ kind, line: kind === 'function' ? startLine : line, name });
      declStart = i + 1;
    } else if (c === '}') {
      const top = stack.pop();
      if (top && top.kind === 'function') found.push({ name: top.name, start: top.line, lines: line - top.line + 1 });
      declStart = i + 1;
    } else if (c === ';' && !inFunction) {
      declStart = i + 1;
    } else if (c === '#' && !inFunction && /^\s*$/.test(text.slice(text.lastIndexOf('\n', i - 1) + 1, i))) {
      // A preprocessor line ends any declaration before it.
      const eol = text.indexOf('\n', i);
      i = (eol < 0 ? text.length : eol) - 1;
      declStart = i + 1;
    }
  }
  return found;
}

function leadingNewlines(text, from, to) {
  const m = text.slice(from, to).match(/^\s*/)[0];
  return (m.match(/\n/g) || []).length;
}

/** JS functions (declarations, expressions, arrows, methods) with their line spans, via acorn. */
export function jsFunctions(src) {
  const require = createRequire(import.meta.url);
  let acorn;
  try {
    acorn = require('acorn');
  } catch {
    acorn = require('/usr/share/nodejs/acorn');
  }
  const ast = acorn.parse(src, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true });
  const found = [];
  (function visit(node, name) {
    if (!node || typeof node.type !== 'string') return;
    if (/Function/.test(node.type)) {
      const n = (node.id && node.id.name) || name || '(anonymous)';
      found.push({ name: n, start: node.loc.start.line, lines: node.loc.end.line - node.loc.start.line + 1 });
    }
    for (const key of Object.keys(node)) {
      if (key === 'loc') continue;
      const v = node[key];
      let childName;
      if (node.type === 'VariableDeclarator' && key === 'init') childName = node.id && node.id.name;
      if ((node.type === 'Property' || node.type === 'MethodDefinition') && key === 'value') childName = node.key && (node.key.name || node.key.value);
      if (node.type === 'AssignmentExpression' && key === 'right') childName = src.slice(node.left.start, node.left.end);
      if (Array.isArray(v)) v.forEach((c) => visit(c, undefined));
      else if (v && typeof v === 'object') visit(v, childName);
    }
  })(ast);
  return found;
}

function main() {
  const report = process.argv.includes('--report');
  const problems = [];
  const rel = (p) => relative(root, p);

  const cppFiles = ['core', 'wasm', 'tests'].flatMap((d) => walk(join(root, d), isCpp));
  const clangFormat = ['clang-format-14', 'clang-format'].find((b) => {
    try { execFileSync(b, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
  });
  if (!clangFormat) problems.push('clang-format (14) is not installed');
  else {
    try {
      execFileSync(clangFormat, ['--dry-run', '-Werror', `--style=file`, ...cppFiles], { cwd: root, stdio: 'pipe' });
    } catch (e) {
      const files = new Set([...String(e.stderr).matchAll(/^(\S+?):\d+:\d+: error/gm)].map((m) => rel(m[1])));
      problems.push(`clang-format: ${files.size} file(s) differ from .clang-format: ${[...files].join(', ')} ` +
        `(fix: ${clangFormat} -i <files>)`);
    }
  }

  const all = [];
  for (const f of ['core', 'wasm'].flatMap((d) => walk(join(root, d), isCpp))) {
    const src = readFileSync(f, 'utf8');
    for (const fn of cppFunctions(src)) all.push({ file: rel(f), ...fn });
    const lines = src.split('\n').length - (src.endsWith('\n') ? 1 : 0);
    if (rel(f).startsWith('core') && lines > MAX_CORE_FILE)
      problems.push(`${rel(f)}: ${lines} lines (at most ${MAX_CORE_FILE} in core/)`);
  }
  for (const f of ['web', 'wasm'].flatMap((d) => walk(join(root, d), isJs))) {
    for (const fn of jsFunctions(readFileSync(f, 'utf8'))) all.push({ file: rel(f), ...fn });
  }
  for (const fn of all)
    if (fn.lines > MAX_FUNCTION)
      problems.push(`${fn.file}:${fn.start}: function ${fn.name} is ${fn.lines} lines (at most ${MAX_FUNCTION})`);

  if (report) {
    all.sort((a, b) => b.lines - a.lines);
    for (const fn of all.slice(0, 25)) console.log(`${String(fn.lines).padStart(5)}  ${fn.file}:${fn.start}  ${fn.name}`);
  }
  console.log(`lint: ${cppFiles.length} C++ files formatted-checked, ${all.length} functions measured`);
  if (problems.length) {
    for (const p of problems) console.error('  ' + p);
    console.error(`lint: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log('lint: ok');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
