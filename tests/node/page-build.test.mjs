// The page's packed WebAssembly (web/build.mjs): what dist/index.html and the
// element carry must inflate to exactly the module's own binary (dist/llmmem.js),
// and the stream is never larger than zlib's best.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { root } from './helpers.mjs';
import { smallestGzip } from '../../web/build.mjs';

const moduleBinary = () => {
  const js = readFileSync(join(root, 'dist', 'llmmem.js'), 'utf8');
  const m = js.match(/wasmBinaryFile="data:application\/octet-stream;base64,([^"]+)"/);
  assert.ok(m, 'dist/llmmem.js holds its WebAssembly');
  return Buffer.from(m[1], 'base64');
};

for (const file of ['index.html', 'llm-memory-estimator.js']) {
  test(`dist/${file}'s packed WebAssembly inflates to the module's binary`, () => {
    const text = readFileSync(join(root, 'dist', file), 'utf8');
    // The one long base64 string literal of a gzip stream ("H4sI": 1f 8b 08), whatever the
    // minifier named its variable.
    const m = text.match(/"(H4sI[A-Za-z0-9+/=]{10000,})"/);
    assert.ok(m, 'a packed module');
    const packed = Buffer.from(m[1], 'base64');
    assert.deepEqual(packed.subarray(0, 2), Buffer.from([0x1f, 0x8b]), 'a gzip stream, as DecompressionStream("gzip") reads');
    assert.ok(gunzipSync(packed).equals(moduleBinary()));
  });
}

test('smallestGzip inflates back and is no larger than zlib at level 9', () => {
  const bytes = moduleBinary().subarray(0, 200000);
  const packed = smallestGzip(bytes);
  assert.ok(gunzipSync(packed).equals(bytes));
  assert.ok(packed.length <= gzipSync(bytes, { level: 9 }).length, `${packed.length} bytes`);
});
