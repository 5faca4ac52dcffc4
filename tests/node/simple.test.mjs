// The built module against the seed article's tables (the same CSV the C++
// tests read: tests/data/seed-tables.csv, source cited there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadEstimator, readCsv, root, component } from './helpers.mjs';

test('the module reproduces every figure of the seed tables, in whole bytes', async () => {
  const est = await loadEstimator();
  const rows = readCsv(join(root, 'tests/data/seed-tables.csv'));
  assert.ok(rows.length >= 40);
  for (const row of rows) {
    const req = { model: { params: Number(row.params) }, estimator: 'simple', task: row.task, optimizer: row.optimizer };
    if (row.method) req.method = row.method;
    const report = est.estimate(req);
    assert.equal(report.ok, true, `${row.id}: ${JSON.stringify(report.errors)}`);
    const expected = Math.round(Number(row.expected_gb) * 1e9);
    assert.equal(component(report, row.component), expected, `${row.id} ${row.component}`);
  }
});

test("the issue's command prints 87400000000", () => {
  const out = execFileSync(process.execPath, ['-e',
    "require('./dist/llmmem.js')().then(e => console.log(e.estimate({model:{params:7e9}, estimator:'simple', task:'finetune', method:'full'}).totalBytes))"],
  { cwd: root, encoding: 'utf8' });
  assert.equal(out.trim(), '87400000000');
});

test('sizes are plain integer numbers and the total is their sum', async () => {
  const est = await loadEstimator();
  const r = est.estimate({ model: { params: 13e9 }, task: 'finetune', method: 'lora', batch: 3, seqLen: 1000 });
  assert.equal(r.ok, true);
  let sum = 0;
  for (const c of r.components) {
    assert.equal(typeof c.bytes, 'number');
    assert.ok(Number.isSafeInteger(c.bytes) && c.bytes >= 0, `${c.id}: ${c.bytes}`);
    sum += c.bytes;
  }
  assert.equal(r.totalBytes, sum);
});
