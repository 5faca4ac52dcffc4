// Every config.json of shared/reference/new-configs (2025-2026 families) pasted
// as text, as a user would: accepted, with the checkpoint's parameter count
// (params.checkpoint: the model plus the multi-token-prediction layers it
// stores) within 2% of index.json's exact tensor sum (or, without one, the
// contributor's arithmetic from the config). (The KV cache per layer kind is
// checked in tests/unit/new_families_test.cpp.)
// Third-party files: read from shared/, skipped when it is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasShared, loadEstimator, readJson, sharedDir } from './helpers.mjs';

const dir = join(sharedDir, 'reference', 'new-configs');

test('each new-configs model is accepted with its checkpoint count within 2%', { skip: !hasShared() && 'shared/ not found' }, async () => {
  const est = await loadEstimator();
  const index = readJson(join(dir, 'index.json'));
  assert.ok(index.entries.length >= 9);
  for (const e of index.entries) {
    const text = readFileSync(join(dir, e.file), 'utf8');
    const r = est.estimate({ model: { configJson: text }, seqLen: 32768 });
    assert.equal(r.ok, true, e.file + ': ' + JSON.stringify(r.errors));
    const want = e.exact_total_if_known ?? e.computed_total_from_config;
    const got = r.params.checkpoint;
    assert.ok(Math.abs(got / want - 1) <= 0.02, `${e.file}: ${got} against ${want}`);
    assert.ok(r.params.total <= got);
  }
});
