// Shared by the Node tests: the built module and the project's data files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = join(root, '..', 'shared');
const require = createRequire(import.meta.url);

export const moduleFile = join(root, 'dist', 'llmmem.js');

/**
 * Runs `body` (an async function's source, with `est` and `M` in scope) in a child process
 * with a time limit, so a hang or an abort fails the test instead of the test run.
 */
export function inChild(body, timeoutMs = 20000) {
  const src = `const est = await require(${JSON.stringify(moduleFile)})();
const M = { preset: 'llama-3.1-8b' };
const out = await (async () => { ${body} })();
process.stdout.write(JSON.stringify(out === undefined ? null : out));`;
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', `(async () => { ${src} })().catch((e) => { console.error('THREW', e); process.exit(3); });`],
    { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  assert.equal(r.signal, null, `killed (${r.signal}): hang or runaway; stderr: ${r.stderr.slice(0, 500)}`);
  assert.equal(r.status, 0, `exit ${r.status}; stderr: ${r.stderr.slice(0, 800)}`);
  return { value: JSON.parse(r.stdout || 'null'), stderr: r.stderr };
}

let estimatorPromise;
/** The built dist/llmmem.js, loaded the way the contract says: require() then await. */
export function loadEstimator() {
  estimatorPromise ??= require(join(root, 'dist', 'llmmem.js'))();
  return estimatorPromise;
}

/** A CSV with a header row; '#' lines are comments; no quoting (our own files). */
export function readCsv(path) {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l && !l.startsWith('#'));
  const header = lines.shift().split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
export const hasShared = () => existsSync(join(sharedDir, 'reference'));

export function component(report, id) {
  if (id === 'total') return report.totalBytes;
  const c = report.components.find((x) => x.id === id);
  return c ? c.bytes : 0;
}
