// Shared by the Node tests: the built module and the project's data files.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// LLMMEM_SHARED_DIR names the checkout's shared/ from a worktree elsewhere (as for CMake).
export const sharedDir = process.env.LLMMEM_SHARED_DIR || join(root, '..', 'shared');
const require = createRequire(import.meta.url);

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
