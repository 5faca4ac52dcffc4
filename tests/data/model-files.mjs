// Model files built byte by byte for the tests: a GGUF v3 header (ggml-org/ggml
// docs/gguf.md) and a .safetensors header (huggingface/safetensors README), with
// the tensors' exact byte counts computed here from ggml.c's block sizes, not
// from the core. Used by the browser test (the page reads them from a dropped
// file) and by tests/fuzz/make-corpus.mjs (seed files for the fuzzers).

// ggml.c type_traits: [enum value, values per block, bytes per block].
export const GGML = { f32: [0, 1, 4], f16: [1, 1, 2], q8_0: [8, 32, 34], q4_K: [12, 256, 144], q6_K: [14, 256, 210] };

class Bytes {
  constructor() { this.parts = []; this.length = 0; }
  push(u8) { this.parts.push(u8); this.length += u8.length; }
  u32(v) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); this.push(b); }
  u64(v) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(v), true); this.push(b); }
  f32(v) { const b = new Uint8Array(4); new DataView(b.buffer).setFloat32(0, v, true); this.push(b); }
  str(s) { const t = new TextEncoder().encode(s); this.u64(t.length); this.push(t); }
  bytes() { const out = new Uint8Array(this.length); let o = 0; for (const p of this.parts) { out.set(p, o); o += p.length; } return out; }
}

/** Bytes of a tensor of `dims` (ne[0] first) in ggml type `type`. */
export function ggmlBytes(type, dims) {
  const [, block, size] = GGML[type];
  return dims.reduce((a, b) => a * b, 1) / block * size;
}

/**
 * A GGUF v3 header for a llama-like model, with the tensor types llama.cpp's
 * Q4_K_M gives (attn_v and ffn_down Q6_K, norms F32, output Q6_K).
 * @returns {{header: Uint8Array, dataOffset: number, tensorBytes: number, fileBytes: number, tensors: number, params: number}}
 */
export function llamaGguf({ layers = 2, hidden = 256, heads = 4, kvHeads = 2, ffn = 512, vocab = 320, context = 4096, name = 'test-llama' } = {}) {
  const kv = new Bytes();
  let nKv = 0;
  const key = (k, type) => { kv.str(k); kv.u32(type); nKv++; };
  const u32 = (k, v) => { key(k, 4); kv.u32(v); };
  const str = (k, v) => { key(k, 8); kv.str(v); };
  str('general.architecture', 'llama');
  str('general.name', name);
  u32('general.file_type', 15); // LLAMA_FTYPE_MOSTLY_Q4_K_M
  u32('llama.block_count', layers);
  u32('llama.context_length', context);
  u32('llama.embedding_length', hidden);
  u32('llama.feed_forward_length', ffn);
  u32('llama.attention.head_count', heads);
  u32('llama.attention.head_count_kv', kvHeads);
  key('llama.rope.freq_base', 6); kv.f32(500000);
  key('tokenizer.ggml.tokens', 9); kv.u32(8); kv.u64(vocab);
  for (let i = 0; i < vocab; i++) kv.str('tok' + i);
  const ti = new Bytes();
  let offset = 0, tensorBytes = 0, params = 0, n = 0;
  const tensor = (tname, dims, type) => {
    ti.str(tname); ti.u32(dims.length);
    dims.forEach((d) => ti.u64(d));
    ti.u32(GGML[type][0]); ti.u64(offset);
    const b = ggmlBytes(type, dims);
    offset += Math.ceil(b / 32) * 32;
    tensorBytes += b; params += dims.reduce((a, c) => a * c, 1); n++;
  };
  const kvDim = hidden / heads * kvHeads;
  tensor('token_embd.weight', [hidden, vocab], 'q4_K');
  for (let i = 0; i < layers; i++) {
    const p = 'blk.' + i + '.';
    tensor(p + 'attn_norm.weight', [hidden], 'f32');
    tensor(p + 'attn_q.weight', [hidden, hidden], 'q4_K');
    tensor(p + 'attn_k.weight', [hidden, kvDim], 'q4_K');
    tensor(p + 'attn_v.weight', [hidden, kvDim], 'q6_K');
    tensor(p + 'attn_output.weight', [hidden, hidden], 'q4_K');
    tensor(p + 'ffn_gate.weight', [hidden, ffn], 'q4_K');
    tensor(p + 'ffn_up.weight', [hidden, ffn], 'q4_K');
    tensor(p + 'ffn_down.weight', [ffn, hidden], 'q6_K');
    tensor(p + 'ffn_norm.weight', [hidden], 'f32');
  }
  tensor('output_norm.weight', [hidden], 'f32');
  tensor('output.weight', [hidden, vocab], 'q6_K');
  const out = new Bytes();
  out.push(new TextEncoder().encode('GGUF')); out.u32(3); out.u64(n); out.u64(nKv);
  out.push(kv.bytes()); out.push(ti.bytes());
  const header = out.bytes();
  const dataOffset = Math.ceil(header.length / 32) * 32;
  return { header, dataOffset, tensorBytes, fileBytes: dataOffset + offset, tensors: n, params };
}

/**
 * A .safetensors header for `tensors` ({name: [dtype, shape, bytesPerElement]}),
 * laid out back to back. @returns {{header: Uint8Array, tensorBytes: number, fileBytes: number}}
 */
export function safetensorsHeader(tensors, metadata = { format: 'pt' }) {
  const h = { __metadata__: metadata };
  let offset = 0;
  for (const [name, [dtype, shape, per]] of Object.entries(tensors)) {
    const bytes = shape.reduce((a, b) => a * b, 1) * per;
    h[name] = { dtype, shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let text = JSON.stringify(h);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const b = new Bytes();
  b.u64(text.length); b.push(new TextEncoder().encode(text));
  return { header: b.bytes(), tensorBytes: offset, fileBytes: 8 + text.length + offset };
}
