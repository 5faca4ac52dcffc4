// Property tests of the inverse questions and sweep under Node (issue "Unbreakable, all the way":
// the fuzzers never reached the inverse path). Seeded random requests, budgets and ranges, with
// extreme values mixed in (2^53, fractions, negatives, NaN); run in a child process with a time
// limit. Every answer must be what estimate() itself would say: never a throw, never a value
// outside the request's own bounds, never a total that is not a whole number of bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inChild } from './helpers.mjs';

const CASES = 400;

test(`${CASES} random inverse questions and sweeps keep estimate()'s bounds and answers`, () => {
  const { value } = inChild(`
    let seed = 20261207;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
    const schema = est.schema();
    const f = schema.fields;
    const presets = est.presets().map((p) => p.id);
    const extreme = [2 ** 53, 2 ** 31, 2 ** 31 - 1, 1e300, 0.5, 0, -1, NaN, Infinity, 1, 3];
    const num = (lo, hi) => rnd() < 0.15 ? pick(extreme) : Math.round(lo + rnd() * (hi - lo));
    const request = () => {
      const r = { model: { preset: pick(presets) }, task: pick(['inference', 'inference', 'finetune']),
        engine: pick(['transformers', 'vllm', 'llama.cpp']), batch: num(1, 64), seqLen: num(128, 65536) };
      if (r.task === 'finetune') { r.method = pick(['full', 'lora', 'qlora-4bit']); delete r.engine; }
      if (rnd() < 0.3) { r.gpus = pick([1, 2, 8]); if (r.task === 'inference') r.tensorParallel = r.gpus; }
      return r;
    };
    const whole = (b) => Number.isSafeInteger(b) && b >= 0;
    const bad = [];
    const note = (what, q, a) => bad.push({ what, q, a: JSON.stringify(a).slice(0, 300) });
    const fieldNamed = (a) => a.errors.length > 0 && a.errors.every((e) => typeof e.field === 'string' && e.field && typeof e.message === 'string');
    const checkMax = (q, a, axis) => {
      if (!a.ok) { if (!fieldNamed(a)) note('error without a field', q, a); return; }
      // 0 when not even 1 fits; totalBytes is then what 1 needs.
      if (!(Number.isSafeInteger(a.value) && a.value >= 0 && a.value <= f[axis].max && a.value <= a.limit)) note(axis + ' out of bounds', q, a);
      if (!whole(a.totalBytes) || (a.value > 0) !== (a.totalBytes <= q.budget)) note('total and budget disagree', q, a);
      const again = est.estimate({ ...q.req, [axis]: Math.max(a.value, 1) });
      if (!again.ok || again.totalBytes !== a.totalBytes) note('estimate() disagrees', q, a);
    };
    let answered = 0;
    for (let i = 0; i < ${CASES}; i++) {
      const req = request();
      const budget = rnd() < 0.1 ? pick(extreme) : 1e9 + rnd() * 200e9;
      const limit = rnd() < 0.5 ? undefined : pick([...extreme, 1024, 65536]);
      const kind = pick(['maxSeqLen', 'maxBatch', 'gpusNeeded', 'bestFormat', 'sweep']);
      const q = { kind, req, budget, limit };
      let a;
      try {
        if (kind === 'sweep') {
          const range = { axis: pick(['seqLen', 'batch']), from: num(1, 4096), to: num(1, 1 << 20), points: rnd() < 0.1 ? pick(extreme) : num(1, 64) };
          q.range = range;
          a = est.sweep(req, range);
          if (a.ok) {
            if (a.x.length !== a.totalBytes.length || a.x.some((x) => !Number.isSafeInteger(x) || x < 1 || x > f[range.axis].max)) note('sweep x out of bounds', q, a);
            if (a.totalBytes.some((t) => t !== null && !whole(t))) note('sweep total not whole', q, a);
            const k = Math.floor(rnd() * a.x.length);
            const one = est.estimate({ ...req, [range.axis]: a.x[k] });
            if ((one.ok ? one.totalBytes : null) !== a.totalBytes[k]) note('sweep point disagrees with estimate()', q, a);
          } else if (!fieldNamed(a)) note('error without a field', q, a);
        } else if (kind === 'gpusNeeded') {
          a = est.gpusNeeded(req, budget, limit);
          if (a.ok && a.value !== null && !(Number.isSafeInteger(a.value) && a.value >= 1 && a.value <= f.gpus.max)) note('gpus out of bounds', q, a);
          if (!a.ok && !fieldNamed(a)) note('error without a field', q, a);
        } else if (kind === 'bestFormat') {
          a = est.bestFormat(req, budget);
          if (a.ok && a.candidates.some((c) => c.totalBytes !== null && !whole(c.totalBytes))) note('candidate total not whole', q, a);
          if (!a.ok && !fieldNamed(a)) note('error without a field', q, a);
        } else {
          a = est[kind](req, budget, limit);
          checkMax(q, a, kind === 'maxSeqLen' ? 'seqLen' : 'batch');
        }
      } catch (e) {
        note('threw ' + String(e), q, null);
      }
      if (a && a.ok) answered++;
    }
    return { bad: bad.slice(0, 5), count: bad.length, answered };`, 120000);
  assert.equal(value.count, 0, JSON.stringify(value.bad, null, 1));
  // The mix must exercise real answers, not only refusals.
  assert.ok(value.answered > CASES / 3, `only ${value.answered} answered`);
});

// The page reuses a sweep, maxSeqLen or maxBatch answer while only the field it searches changes
// (web/src/planner.js): that holds only if the answer does not depend on the request's own value
// of that field. Random valid requests, asked with two different values of it.
test('a sweep, maxSeqLen and maxBatch do not depend on the request\'s own value of the field they search', () => {
  const { value } = inChild(`
    let seed = 7122026;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
    const presets = est.presets().map((p) => p.id);
    const gpus = est.gpus().map((g) => g.id);
    const request = () => {
      const r = { model: { preset: pick(presets) }, task: pick(['inference', 'inference', 'finetune']),
        engine: pick(['transformers', 'vllm', 'llama.cpp']), batch: 1 + Math.floor(rnd() * 16), seqLen: 128 + Math.floor(rnd() * 8192), gpu: pick(gpus) };
      if (r.task === 'finetune') { r.method = pick(['full', 'lora', 'qlora-4bit']); delete r.engine; }
      if (rnd() < 0.3) { r.gpus = pick([1, 2, 8]); if (r.task === 'inference') r.tensorParallel = r.gpus; }
      if (r.engine === 'vllm' && rnd() < 0.3) r.maxModelLen = 16384;
      return r;
    };
    const differ = [];
    let compared = 0;
    for (let i = 0; i < 150; i++) {
      const req = request();
      for (const [field, ask] of [['seqLen', (r) => est.sweep(r, { axis: 'seqLen', from: 1, to: 65536, points: 40 })],
        ['seqLen', (r) => est.maxSeqLen(r)], ['batch', (r) => est.sweep(r, { axis: 'batch', from: 1, to: 256, points: 40 })], ['batch', (r) => est.maxBatch(r)]]) {
        const other = { ...req, [field]: field === 'seqLen' ? 1 + Math.floor(rnd() * 16384) : 1 + Math.floor(rnd() * 64) };
        if (!est.estimate(req).ok || !est.estimate(other).ok) continue;
        compared++;
        const a = JSON.stringify(ask(req)), b = JSON.stringify(ask(other));
        if (a !== b) differ.push({ req, field, other: other[field], a: a.slice(0, 200), b: b.slice(0, 200) });
      }
    }
    return { differ: differ.slice(0, 3), count: differ.length, compared };`, 120000);
  assert.equal(value.count, 0, JSON.stringify(value.differ, null, 1));
  assert.ok(value.compared > 300, `only ${value.compared} compared`);
});
