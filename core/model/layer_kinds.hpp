// What kind each attention layer is: which layers slide (layer_types or the
// family's pattern) and, in Gemma 4, the other head geometry of the global
// layers.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/config_read.hpp"
#include "model/families.hpp"
#include "model/model.hpp"

namespace llmmem {

// The sliding window of each layer, 0 = global: from layer_types, else from
// the family's pattern (Gemma 2/3, Cohere2, Qwen's max_window_layers).
std::vector<std::int64_t> sliding_windows(const Fields& f, const Family& family,
                                          std::int64_t layers);

// MiniMax's attn_type_list (1 = softmax attention, 0 = lightning attention):
// MiniMax-M2 has only the first; a 0 is refused, naming the entry. True when
// the list is absent or all 1.
bool full_attention_only(const Fields& f, const Family& family);

// Gemma 4's full-attention layers (transformers models/gemma4,
// Gemma4TextAttention): global_head_dim (512 when absent) per head, and under
// attention_k_eq_v num_global_key_value_heads and no v_proj, the key
// projection giving the values too.
struct GlobalAttention {
  std::int64_t head_dim = 0;
  std::int64_t kv_heads = 0;
  bool v_from_k = false;
};

// Reads them, refusing by name what this estimator does not count yet
// (per-layer embeddings, KV-shared layers, the MoE block), and makes the last
// layer global as Gemma4TextConfig does; nullopt with errors when refused.
std::optional<GlobalAttention> read_gemma4_attention(const Fields& f, std::int64_t heads,
                                                     std::int64_t kv_heads,
                                                     std::vector<std::int64_t>& windows,
                                                     ModelArch& arch);

// A global layer (no window) takes the global geometry.
void apply_global_attention(const GlobalAttention& g, AttentionSpec& a);

}  // namespace llmmem
