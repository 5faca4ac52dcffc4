// The measurement cases (tests/data/measurement-cases.json, compiled from
// shared/reference/measurements.csv: published GPU-memory figures, each
// posed as a contract request) and how a report is compared with them.
// Used by the accuracy tests and by `make bench`.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, root } from './helpers.mjs';

const REQUIRED = ['weights', 'kv_cache', 'activations', 'gradients', 'optimizer', 'overhead'];

/** Every case: our compiled copy plus any measured-*.json we add under tests/data. */
export function loadCases() {
  const cases = readJson(join(root, 'tests/data/measurement-cases.json'));
  const dir = join(root, 'tests/data');
  for (const f of readdirSync(dir).filter((n) => /^measured-.*\.json$/.test(n))) cases.push(...readJson(join(dir, f)));
  return cases;
}

function componentBytes(report, id) {
  const c = report.components.find((x) => x.id === id);
  if (c) return c.bytes;
  if (REQUIRED.includes(id)) throw new Error(`report lacks required component ${id}`);
  return 0;  // an id the report lacks counts 0 (measurements.md)
}

/** The estimate's figure for a case's `compare` (measurements.md, "compare says..."). */
export function estimatedFor(report, compare) {
  if (compare === 'total') return report.totalBytes;
  if (typeof compare === 'string') return componentBytes(report, compare);
  if (Array.isArray(compare)) return compare.reduce((s, id) => s + componentBytes(report, id), 0);
  if (compare && Array.isArray(compare.total_minus))
    return compare.total_minus.reduce((s, id) => s - componentBytes(report, id), report.totalBytes);
  throw new Error('unknown compare: ' + JSON.stringify(compare));
}

/** Runs every case; returns [{id, category, estimator, expected, estimated, error}] (error = relative). */
export function runCases(est, cases, estimator = 'detailed') {
  return cases.map((c) => {
    const req = { ...c.request, estimator };
    if (estimator === 'simple') delete req.engine;
    const report = est.estimate(req);
    if (!report.ok) return { ...c, estimator, report, estimated: NaN, error: NaN };
    const estimated = estimatedFor(report, c.compare);
    return { ...c, estimator, report, estimated, error: (estimated - c.expected_bytes) / c.expected_bytes };
  });
}

/** A category's compare kind: the component for single ids, else "total". */
export function compareLabel(compare) {
  return typeof compare === 'string' ? compare : Array.isArray(compare) ? compare.join('+') : 'total-overhead';
}

/** n, median, p90 and worst absolute relative error of a list of results. */
export function summarize(results) {
  const errs = results.map((r) => Math.abs(r.error)).filter((e) => Number.isFinite(e)).sort((a, b) => a - b);
  const q = (p) => (errs.length ? errs[Math.min(errs.length - 1, Math.ceil(p * errs.length) - 1)] : NaN);
  return { n: results.length, failed: results.length - errs.length, median: q(0.5), p90: q(0.9), worst: errs.at(-1) ?? NaN };
}

export const hasCases = () => existsSync(join(root, 'tests/data/measurement-cases.json'));
