// est.readModelFile under Node: the header readers of core/files through the
// module's API, fed the way the page feeds them (growing slices), and with
// input that is not a file at all. Exact figures come from
// tests/data/model-files.mjs (ggml.c block sizes × shapes), not from the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEstimator } from './helpers.mjs';
import { llamaGguf, safetensorsHeader } from '../data/model-files.mjs';
import { modelFromFiles } from '../../web/src/model-file.js';

const est = await loadEstimator();

/** Reads `bytes` as the page does: a small first slice, grown by needBytes (or doubled). */
function readGrowing(bytes, name, first = 64) {
  let size = Math.min(first, bytes.length);
  const sizes = [];
  for (;;) {
    sizes.push(size);
    const info = est.readModelFile(bytes.subarray(0, size), name, bytes.length);
    if (!info.needBytes) return { info, sizes };
    assert.ok(info.needBytes > size, `needBytes ${info.needBytes} after ${size}`);
    size = Math.min(bytes.length, Math.max(info.needBytes, 2 * size));
  }
}

test('a GGUF read in growing slices gives its exact tensor bytes, types and a request that estimates', () => {
  const g = llamaGguf({ layers: 3, hidden: 512, heads: 8, kvHeads: 2, ffn: 1536, vocab: 1000 });
  const file = new Uint8Array(g.fileBytes);
  file.set(g.header);
  const { info, sizes } = readGrowing(file, 'x.gguf');
  assert.equal(info.ok, true, JSON.stringify(info.errors));
  assert.ok(sizes.length > 2 && sizes[sizes.length - 1] < 2 * g.dataOffset, String(sizes));
  assert.equal(info.weightsBytes, g.tensorBytes);
  assert.equal(info.parameters, g.params);
  assert.equal(info.tensorCount, g.tensors);
  assert.equal(info.headerBytes, g.dataOffset);
  assert.equal(info.fileBytes, g.fileBytes);
  assert.deepEqual(info.byType.map((t) => t.type), ['q4_K', 'q6_K', 'f32']);
  const r = est.estimate({ ...info.request, seqLen: 1024 });
  assert.equal(r.ok, true);
  assert.equal(r.params.total, g.params);
  assert.match(r.components[0].formula, new RegExp("^the files' tensors: " + g.tensorBytes.toLocaleString('en-US') + ' B'));
});

test('a safetensors header and an index give the bytes they hold', () => {
  const s = safetensorsHeader({ a: ['BF16', [64, 32], 2], 'm.weight': ['F8_E4M3', [32, 32], 1], c: ['F4', [32, 32], 0.5] });
  const info = est.readModelFile(s.header, 'model.safetensors', s.fileBytes);
  assert.equal(info.ok, true, JSON.stringify(info.errors));
  assert.equal(info.weightsBytes, 64 * 32 * 2 + 32 * 32 + 512);
  assert.equal(info.quantization, 'fp8');
  const idx = new TextEncoder().encode(JSON.stringify({ metadata: { total_size: 123456 }, weight_map: { a: 'x.safetensors' } }));
  assert.equal(est.readModelFile(idx, 'model.safetensors.index.json', idx.length).weightsBytes, 123456);
});

test('readModelFile never throws, whatever it is given', () => {
  const cases = [undefined, null, 'GGUF', [71, 71, 85, 70], new Uint8Array(0), new Uint8Array([71, 71, 85, 70, 3, 0, 0, 0]),
    new Uint8Array(1000).fill(255), new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 123])];
  for (const c of cases)
    for (const size of [undefined, 0, NaN, -1, 1e300, 8]) {
      const info = est.readModelFile(c, 'f', size);
      assert.equal(typeof info, 'object');
      assert.ok(info.ok === false || info.ok === true);
      if (!info.ok && !info.needBytes) assert.ok(info.errors.length > 0 && info.errors[0].message, JSON.stringify(info));
    }
  assert.equal(est.readModelFile(new Uint8Array(3), 'f', 1e6).needBytes, 8);
  assert.match(est.readModelFile(new Uint8Array(8), 'f', NaN).errors[0].field, /fileSize/);
});

test('the page sums the weight files it is given, prefers an index, and waits for every GGUF part', () => {
  const g = llamaGguf({});
  const gguf = est.readModelFile(g.header, 'a.gguf', g.fileBytes);
  const used = modelFromFiles([gguf]);
  assert.equal(used.weightsBytes, g.tensorBytes);
  assert.equal(used.engine, 'llama.cpp');
  assert.equal(used.weights, 'q4_k_m');
  assert.equal(used.config.model_type, 'llama');
  const s1 = safetensorsHeader({ a: ['BF16', [64, 32], 2] });
  const s2 = safetensorsHeader({ b: ['BF16', [16, 32], 2] });
  const shards = [s1, s2].map((s, i) => est.readModelFile(s.header, 'model-0000' + (i + 1) + '-of-00002.safetensors', s.fileBytes));
  assert.equal(modelFromFiles(shards).weightsBytes, 64 * 32 * 2 + 16 * 32 * 2);
  assert.equal(modelFromFiles(shards).weights, 'bf16');
  const idx = new TextEncoder().encode(JSON.stringify({ metadata: { total_size: 999 }, weight_map: { a: 'x' } }));
  assert.equal(modelFromFiles(shards.concat([est.readModelFile(idx, 'model.safetensors.index.json', idx.length)])).weightsBytes, 999);
  // Part 1 of 2 alone: no exact bytes, and the page says why.
  const part = { ...gguf, split: { index: 0, count: 2 } };
  assert.equal(modelFromFiles([part]).weightsBytes, 0);
  assert.match(modelFromFiles([part]).missing, /select all 2/);
  assert.equal(modelFromFiles([part, { ...gguf, split: { index: 1, count: 2 } }]).weightsBytes, 2 * g.tensorBytes);
});
