#include "parts/kv_cache.hpp"

#include <algorithm>
#include <cmath>

#include "api/request.hpp"
#include "parts/vllm_pages.hpp"
#include "util/text.hpp"

namespace llmmem {

bool has_mixed_windows(const ModelArch& arch) {
  bool sliding = false, global = false;
  for (const auto& g : arch.layers) {
    if (g.spec.encoder || g.spec.attn.kind == AttnKind::None || g.spec.attn.kind == AttnKind::Cross)
      continue;
    (g.spec.attn.sliding_window > 0 ? sliding : global) = true;
  }
  return sliding && global;
}

KvWidth kv_width(const LayerSpec& layer, Engine engine, std::int64_t tensor_parallel) {
  const AttentionSpec& a = layer.attn;
  if (layer.encoder || a.kv_shared) return {};
  switch (a.kind) {
    case AttnKind::None:
    case AttnKind::Cross:
      return {};
    case AttnKind::Mla:
      if (engine == Engine::Transformers) {
        // transformers' DeepSeek modelling expands the latent: full K and V per head.
        return {double(a.num_heads) * double(a.qk_nope_head_dim + a.qk_rope_head_dim),
                double(a.num_heads) * double(a.v_head_dim)};
      }
      // vLLM and llama.cpp cache the compressed latent plus the rope key, once
      // per token, replicated on every rank (vLLM MLAAttentionSpec; llama.cpp
      // stores it as K and no separate V).
      return {double(a.kv_lora_rank + a.qk_rope_head_dim), 0};
    case AttnKind::Standard:
      break;
  }
  double heads = double(a.num_kv_heads);
  if (tensor_parallel > 1) {
    // vLLM shards KV heads over the ranks; with fewer heads than ranks each rank keeps one
    // (replicated).
    heads = std::max(1.0, std::ceil(heads / double(tensor_parallel)));
  }
  const double v_dim = a.v_head_dim > 0 ? double(a.v_head_dim) : double(a.head_dim);
  return {heads * double(a.head_dim), heads * v_dim};
}

namespace {

// vLLM's DeepSeek-V3.2 layer per token (vllm/model_executor/models/config.py
// DeepseekV32ForCausalLM): kvCache auto or fp8 becomes "fp8_ds_mla", 656 B
// (FlashMLASparseBackend.get_kv_cache_shape: the 512 fp8 latent, 4 fp32 scales,
// the 64 bf16 rope dims), bf16 keeps the latent at 2 B; and the indexer's key
// cache (deepseek_v2.py Indexer: DeepseekV32IndexerCache of index_head_dim fp8
// bytes plus one fp32 scale per 128) whatever kvCache says.
double dsa_cell_bytes(const AttentionSpec& a, const KvSpec& spec) {
  constexpr double kFp8DsMlaBytes = 656, kIndexerQuantBlock = 128, kScaleBytes = 4;
  const double latent = spec.auto_cache || spec.k_bits <= 8
                            ? kFp8DsMlaBytes
                            : double(a.kv_lora_rank + a.qk_rope_head_dim) * spec.k_bits / 8;
  const double indexer = double(a.index_head_dim) +
                         std::ceil(double(a.index_head_dim) / kIndexerQuantBlock) * kScaleBytes;
  return latent + indexer;
}

// Whether the model has DeepSeek-V3.2's indexer.
bool has_indexer(const ModelArch& arch) {
  for (const auto& g : arch.layers)
    if (g.spec.attn.kind == AttnKind::Mla && g.spec.attn.index_head_dim > 0) return true;
  return false;
}

// Cells one layer keeps, by engine, for a full-attention layer and for a sliding one.
struct Cells {
  std::int64_t full = 0;
  std::int64_t window(std::int64_t w, bool chunked, const KvSpec& s, Engine e,
                      std::int64_t pad) const {
    switch (e) {
      case Engine::LlamaCpp:
        // llama_kv_cache_iswa: n_swa per sequence plus one ubatch of slack, padded.
        return std::min(full, round_up(w * s.batch + s.ubatch, pad));
      case Engine::Vllm: {
        // V1 hybrid allocator: a sliding layer keeps the window's blocks plus one per sequence;
        // a chunked layer (ChunkedLocalAttentionManager) frees the blocks before its current
        // chunk, so it holds at most the chunk's blocks (Llama 4 under the hybrid manager,
        // VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE, "1" by default in vllm/envs.py
        // since late 2025; "0" before, when every layer kept the whole sequence).
        const std::int64_t kept = round_up(w, kVllmBlockTokens) + (chunked ? 0 : kVllmBlockTokens);
        const std::int64_t per_seq = std::min(round_up(s.seq_len, kVllmBlockTokens), kept);
        return per_seq * s.batch;
      }
      case Engine::Transformers:
        // DynamicSlidingWindowLayer / HybridCache: the last `window` tokens per sequence.
        return std::min(s.seq_len, w) * s.batch;
    }
    return full;
  }
};

}  // namespace

// Bytes per sequence of a recurrent layer's state (LFM2 short convolutions,
// Mamba-2): llama.cpp keeps it in F32 (llama-memory-recurrent.cpp); vLLM and
// transformers keep the conv state in the model's 2-byte dtype and the SSM
// state in mamba_ssm_cache_dtype.
double recurrent_state_bytes(const LayerSpec& layer, const ModelArch& arch, Engine e) {
  constexpr double kF32 = 4, kHalf = 2;
  if (e == Engine::LlamaCpp) return double(layer.conv_state + layer.ssm_state) * kF32;
  return double(layer.conv_state) * kHalf +
         double(layer.ssm_state) * (arch.ssm_state_fp32 ? kF32 : kHalf);
}

namespace {

// vLLM with recurrent layers: every sequence holds whole pages of one pool
// (vllm_pages.hpp), its attention blocks and one state page per group.
KvBreakdown vllm_hybrid_kv(const KvSpec& spec, const VllmHybridPages& p) {
  KvBreakdown out;
  const double blocks = p.blocks_per_seq(spec.seq_len);
  out.device = Bytes(double(spec.batch) * blocks * p.block_bytes());
  out.cached_layers = p.attention_layers;
  if (p.block_tokens > 0) {
    out.cells = round_up(spec.seq_len, p.block_tokens) * spec.batch;
    out.bytes_per_token = double(p.attention_groups) * p.block_bytes() / double(p.block_tokens);
  }
  const double padding = p.state_page > 0 ? (p.page / p.state_page - 1) * 100 : 0;
  out.formula =
      "vLLM hybrid pool: " + std::to_string(p.attention_layers) + " attention + " +
      std::to_string(p.state_layers) + " recurrent layers in groups of " +
      std::to_string(p.group_size) + ", pages of " + format_integer(p.page) + " B (" +
      (p.block_tokens > 0 ? std::to_string(p.block_tokens) + "-token attention blocks; " : "") +
      "layer state " + format_integer(p.state_page) + " B padded " + format_number(padding, 3) +
      "%); per sequence " + format_integer(blocks) + " blocks (" +
      std::to_string(p.attention_groups) + " × " +
      format_integer(p.block_tokens > 0 ? std::ceil(double(spec.seq_len) / double(p.block_tokens))
                                        : 0.0) +
      " + " + std::to_string(p.state_groups) + " state) × " + std::to_string(p.group_size) +
      " layers × " + std::to_string(spec.batch) + " = " + format_gib(out.device);
  return out;
}

}  // namespace

double cell_bytes(const LayerSpec& layer, const KvSpec& spec) {
  if (spec.engine == Engine::Vllm && layer.attn.kind == AttnKind::Mla &&
      layer.attn.index_head_dim > 0)
    return dsa_cell_bytes(layer.attn, spec);
  const KvWidth w = kv_width(layer, spec.engine, spec.tensor_parallel);
  return (w.k * spec.k_bits + w.v * spec.v_bits) / 8;
}

KvBreakdown kv_cache_bytes(const ModelArch& arch, const KvSpec& spec) {
  if (spec.engine == Engine::Vllm)
    if (const auto pages = vllm_hybrid_pages(arch, spec)) return vllm_hybrid_kv(spec, *pages);
  KvBreakdown out;
  const Engine e = spec.engine;
  const std::int64_t pad = spec.llama_flash ? kLlamaCtxPadFlash : kLlamaCtxPadNoFlash;
  Cells cells;
  std::string cells_text;
  if (e == Engine::LlamaCpp) {
    const std::int64_t n_ctx = spec.batch * spec.seq_len;
    cells.full = round_up(n_ctx, pad);
    cells_text = "n_ctx " + format_integer(double(n_ctx)) +
                 (cells.full != n_ctx ? " padded to " + format_integer(double(cells.full)) : "") +
                 " cells";
  } else if (e == Engine::Vllm) {
    cells.full = round_up(spec.seq_len, kVllmBlockTokens) * spec.batch;
    cells_text = std::to_string(spec.batch) + " × " +
                 format_integer(double(round_up(spec.seq_len, kVllmBlockTokens))) +
                 " tokens (16-token blocks)";
  } else {
    cells.full = spec.seq_len * spec.batch;
    cells_text =
        std::to_string(spec.batch) + " × " + format_integer(double(spec.seq_len)) + " tokens";
  }
  out.cells = cells.full;

  const bool mixed = has_mixed_windows(arch);
  const bool use_windows =
      e == Engine::Vllm ? true : (mixed && !(e == Engine::LlamaCpp && spec.swa_full));
  const std::int64_t n_layers = arch.num_layers;
  const std::int64_t first_gpu =
      spec.gpu_layers < 0 ? 0 : std::max<std::int64_t>(0, n_layers - spec.gpu_layers);

  double device = 0, host = 0, per_token = 0, window_bytes = 0;
  double k_elems = 0, v_elems = 0;  // per token, summed over the full-attention layers
  double state = 0;                 // recurrent layers' state, all sequences
  bool chunked = false;             // the windows are Llama 4's chunks
  std::int64_t state_layers = 0;
  for (const auto& g : arch.layers) {
    if (const double s = recurrent_state_bytes(g.spec, arch, e); s > 0) {
      for (std::int64_t i = g.first; i < g.first + g.count; ++i, ++state_layers) {
        state += s * double(spec.batch);
        (i >= first_gpu ? device : host) += s * double(spec.batch);
      }
    }
    const KvWidth w = kv_width(g.spec, e, e == Engine::Vllm ? spec.tensor_parallel : 1);
    if (w.k == 0 && w.v == 0) continue;
    const double cell =
        e == Engine::Vllm ? cell_bytes(g.spec, spec) : (w.k * spec.k_bits + w.v * spec.v_bits) / 8;
    const std::int64_t win = g.spec.attn.sliding_window;
    const bool windowed = use_windows && win > 0;
    const std::int64_t n =
        windowed ? cells.window(win, g.spec.attn.chunked, spec, e, pad) : cells.full;
    for (std::int64_t i = g.first; i < g.first + g.count; ++i) {
      const double b = cell * double(n);
      ++out.cached_layers;
      if (windowed)
        ++out.window_layers, window_bytes += b, chunked |= g.spec.attn.chunked;
      else
        per_token += cell, k_elems += w.k, v_elems += w.v;
      (i >= first_gpu ? device : host) += b;
    }
  }
  out.device = Bytes(device);
  out.host = Bytes(host);
  out.bytes_per_token = per_token;

  const std::int64_t full_layers = std::max<std::int64_t>(1, out.cached_layers - out.window_layers);
  std::string text;
  if (e == Engine::Vllm && has_indexer(arch)) {
    // DeepSeek-V3.2 under vLLM: the bytes of dsa_cell_bytes, not K and V widths.
    text = std::to_string(out.cached_layers - out.window_layers) + " layers × " +
           format_integer(per_token / double(full_layers)) +
           " B (MLA latent as vLLM stores it + the indexer's fp8 key and scale) × " + cells_text;
  } else {
    text = std::to_string(out.cached_layers - out.window_layers) + " layers × (" +
           format_integer(
               k_elems / double(std::max<std::int64_t>(1, out.cached_layers - out.window_layers))) +
           " K × " + format_number(spec.k_bits / 8, 5) + " B";
    if (v_elems > 0)
      text += " + " +
              format_integer(v_elems / double(std::max<std::int64_t>(
                                           1, out.cached_layers - out.window_layers))) +
              " V × " + format_number(spec.v_bits / 8, 5) + " B";
    text += ") × " + cells_text;
  }
  if (out.window_layers > 0)
    text += " + " + std::to_string(out.window_layers) +
            (chunked ? " chunked-attention layers (" : " sliding-window layers (") +
            format_gib(Bytes(window_bytes)) + ")";
  if (out.cached_layers == out.window_layers && out.cached_layers > 0)
    text = std::to_string(out.cached_layers) +
           " sliding-window layers = " + format_gib(Bytes(window_bytes));
  if (state_layers > 0)
    text += " + the recurrent state of " + std::to_string(state_layers) + " layers (" +
            format_gib(Bytes(state / double(spec.batch))) + " per sequence × " +
            std::to_string(spec.batch) + ")";
  if (host > 0) text += "; " + format_gib(out.host) + " of it with the layers left on the CPU";
  out.formula = text + " = " + format_gib(Bytes(device + host));
  if (host > 0) out.formula += " → " + format_gib(out.device) + " on the GPU";
  return out;
}

double vllm_block_bytes(const ModelArch& arch, const KvSpec& spec) {
  double b = 0;
  for (const auto& g : arch.layers) b += double(g.count) * cell_bytes(g.spec, spec);
  return b * double(kVllmBlockTokens);
}

}  // namespace llmmem
