// KV-cache memory as each inference engine allocates it: which layers keep
// K and V, how many cells each keeps (sliding windows, block and context
// padding), and how many bytes a cell takes in the chosen cache type.
#pragma once

#include <cstdint>
#include <string>

#include "model/model.hpp"
#include "util/units.hpp"

namespace llmmem {

enum class Engine;

// llama.cpp pads the context: to 256 cells with flash attention, 32 without
// (llama-kv-cache.cpp get_padding in the builds the measurement logs come from).
inline constexpr std::int64_t kLlamaCtxPadFlash = 256;
inline constexpr std::int64_t kLlamaCtxPadNoFlash = 32;
// vLLM pages the cache in blocks of 16 tokens (CacheConfig.block_size default).
inline constexpr std::int64_t kVllmBlockTokens = 16;

constexpr std::int64_t round_up(std::int64_t n, std::int64_t m) {
  return (n + m - 1) / m * m;
}

struct KvSpec {
  Engine engine{};
  double k_bits = 16;       // storage bits per element of K (block scales included)
  double v_bits = 16;       // of V
  bool auto_cache = false;  // kvCache "auto" (the engine's own choice for the model)
  std::int64_t batch = 1;
  std::int64_t seq_len = 2048;
  std::int64_t tensor_parallel = 1;  // vLLM: KV heads are split over the ranks
  bool llama_flash = true;           // llama.cpp: flash attention (context padding)
  bool swa_full = false;             // llama.cpp --swa-full
  std::int64_t ubatch = 512;         // llama.cpp n_ubatch (SWA cache slack)
  std::int64_t gpu_layers = -1;      // llama.cpp -ngl; -1 = all layers on the GPU
};

struct KvBreakdown {
  Bytes device;                // on the GPU (per rank under tensor parallelism)
  Bytes host;                  // llama.cpp: the cache of layers left on the CPU
  double bytes_per_token = 0;  // full-context layers only, per rank: what one more token costs
  std::int64_t cells = 0;      // cells of a full-attention layer (all sequences)
  std::int64_t cached_layers = 0;
  std::int64_t window_layers = 0;  // layers whose cache the sliding window limits
  std::string formula;
};

// Per-token elements of one layer's K and V under an engine's cache layout
// (MLA: the latent in vLLM and llama.cpp, expanded K/V in transformers).
struct KvWidth {
  double k = 0, v = 0;
};
KvWidth kv_width(const LayerSpec& layer, Engine engine, std::int64_t tensor_parallel);

// Bytes per token of one layer's cache under `spec` (K and V at their bits;
// vLLM's DeepSeek-V3.2 layers as dsa_cell_bytes).
double cell_bytes(const LayerSpec& layer, const KvSpec& spec);

KvBreakdown kv_cache_bytes(const ModelArch& arch, const KvSpec& spec);

// Bytes per sequence of a recurrent layer's state (LFM2 short convolutions,
// Mamba-2, Gated DeltaNet, KDA) under an engine's dtypes; 0 for other layers.
double recurrent_state_bytes(const LayerSpec& layer, const ModelArch& arch, Engine e);

// vLLM: bytes of one 16-token block over all layers (per rank), for capacity.
double vllm_block_bytes(const ModelArch& arch, const KvSpec& spec);

// True when some layers slide and others attend globally (Gemma 2/3,
// Cohere2, gpt-oss): llama.cpp's iSWA cache and transformers' hybrid cache
// apply then; a window on every layer (Mistral v0.1) is ignored by both.
bool has_mixed_windows(const ModelArch& arch);

}  // namespace llmmem
