#include "model/layer_kinds.hpp"

#include <algorithm>
#include <string>

namespace llmmem {
namespace {

using json = Json;

// layer_types: "sliding_attention" layers use the window `w`.
// Whether `kind` names a layer this family has: attention everywhere, Gated
// DeltaNet and short convolutions only in families that have them.
bool family_has(const Family& family, const std::string& kind) {
  if (kind == "full_attention" || kind == "sliding_attention") return true;
  if (kind == "linear_attention") return family.gated_delta_net;
  if (kind == "conv") return family.short_conv;
  if (kind == "chunked_attention") return family.chunked_attention;
  if (kind == "mamba" || kind == "attention") return family.mamba_layer_types;
  return false;
}

std::vector<std::int64_t> windows_from_layer_types(const Fields& f, const Family& family,
                                                   const Fields::Found& types, std::int64_t layers,
                                                   std::int64_t w) {
  std::vector<std::int64_t> window(std::size_t(layers), 0);
  if (!types.value->is_array() || std::int64_t(types.value->size()) != layers) {
    f.errors().add(types.path,
                   "layer_types must list one type per layer (" + std::to_string(layers) + ")");
    return window;
  }
  for (std::size_t i = 0; i < window.size(); ++i) {
    const json& e = (*types.value)[i];
    if (!e.is_string()) {
      f.errors().add(types.path, "layer_types entries must be strings");
      return window;
    }
    const std::string kind = e.get<std::string>();
    if (!family_has(family, kind)) {  // a config that contradicts its family
      f.errors().add(types.path, "layer_types[" + std::to_string(i) + "] is '" + kind +
                                     "', not a layer kind of model_type '" +
                                     std::string(family.model_type) + "'");
      return window;
    }
    if (kind == "sliding_attention" && w == 0) {
      f.errors().add(types.path,
                     "layer_types has sliding_attention layers but sliding_window "
                     "is not set");
      return window;
    }
    if (kind == "sliding_attention" || kind == "chunked_attention") window[i] = w;
  }
  return window;
}

// Llama4TextConfig defaults: attention_chunk_size, no_rope_layer_interval.
constexpr std::int64_t kLlama4Chunk = 8192, kLlama4NoRopeInterval = 4;

// Llama 4 (Llama4TextConfig, modeling_llama4.py): a layer with RoPE
// (no_rope_layers 1) attends within its chunk of attention_chunk_size tokens,
// a NoPE layer (0) to the whole sequence; without the list every
// no_rope_layer_interval-th layer is NoPE; layer_types, when written, names
// them chunked_attention and full_attention. A null chunk size is no chunking.
std::vector<std::int64_t> chunked_windows(const Fields& f, const Family& family,
                                          std::int64_t layers) {
  std::vector<std::int64_t> window(std::size_t(layers), 0);
  const bool null_chunk =
      f.obj().contains("attention_chunk_size") && f.obj()["attention_chunk_size"].is_null();
  const std::int64_t chunk =
      null_chunk ? 0 : f.integer({"attention_chunk_size"}, 1, kMaxPositions).value_or(kLlama4Chunk);
  if (auto lt = f.find({"layer_types"}); lt.value)
    return windows_from_layer_types(f, family, lt, layers, chunk);
  const auto nope = f.find({"no_rope_layers"});
  if (nope.value && nope.value->is_array() && !nope.value->empty()) {  // [] means the default
    if (std::int64_t(nope.value->size()) != layers) {
      f.errors().add(nope.path, "no_rope_layers must list one 0 or 1 per layer (" +
                                    std::to_string(layers) + ")");
      return window;
    }
    for (std::size_t i = 0; i < window.size(); ++i) {
      const json& e = (*nope.value)[i];
      if (!e.is_number_integer() || (e.get<std::int64_t>() != 0 && e.get<std::int64_t>() != 1)) {
        f.errors().add(nope.path, "no_rope_layers entries must be 0 or 1");
        return window;
      }
      window[i] = e.get<std::int64_t>() == 1 ? chunk : 0;
    }
    return window;
  }
  const std::int64_t every =
      f.integer({"no_rope_layer_interval"}, 1, kMaxLayers).value_or(kLlama4NoRopeInterval);
  for (std::int64_t i = 0; i < layers; ++i)
    if ((i + 1) % every != 0) window[std::size_t(i)] = chunk;
  return window;
}

}  // namespace

// Which layers use a sliding window, from layer_types or the family's pattern.
std::vector<std::int64_t> sliding_windows(const Fields& f, const Family& family,
                                          std::int64_t layers) {
  std::vector<std::int64_t> window(std::size_t(layers), 0);
  if (layers <= 0) return window;
  if (family.chunked_attention) return chunked_windows(f, family, layers);
  std::int64_t w = f.integer({"sliding_window"}, 1, kMaxPositions).value_or(0);
  if (family.default_sliding_window && !f.find({"sliding_window"}).value)
    w = family.default_sliding_window;

  if (auto lt = f.find({"layer_types"}); lt.value)
    return windows_from_layer_types(f, family, lt, layers, w);
  if (w == 0) return window;
  // use_sliding_window: false disables the window (Qwen2 family)
  if (auto use = f.boolean({"use_sliding_window"}); use && !*use) return window;
  switch (family.sliding_layers) {
    case SlidingLayers::EvenLayers:
      for (std::size_t i = 0; i < window.size(); i += 2) window[i] = w;  // even layers local
      return window;
    case SlidingLayers::AllButEveryNth: {
      const std::int64_t pattern = f.integer({"sliding_window_pattern"}, 1, kMaxLayers)
                                       .value_or(family.default_sliding_pattern);
      for (std::int64_t i = 0; i < layers; ++i)
        if ((i + 1) % pattern != 0) window[std::size_t(i)] = w;
      return window;
    }
    case SlidingLayers::FromMaxWindowLayers: {
      // Qwen: layers from max_window_layers on use the window, when enabled.
      const std::int64_t from = f.integer({"max_window_layers"}, 0, kMaxLayers).value_or(0);
      for (std::int64_t i = from; i < layers; ++i) window[std::size_t(i)] = w;
      return window;
    }
    case SlidingLayers::Every:
      break;
  }
  std::fill(window.begin(), window.end(), w);  // Mistral v0.1, Phi-3: every layer
  return window;
}

bool full_attention_only(const Fields& f, const Family& family) {
  const auto list = f.find({"attn_type_list"});
  if (!list.value || !list.value->is_array()) return true;
  for (std::size_t i = 0; i < list.value->size(); ++i) {
    const json& e = (*list.value)[i];
    if (e.is_number_integer() && e.get<std::int64_t>() == 1) continue;
    f.errors().add(list.path, "attn_type_list[" + std::to_string(i) + "] is " + e.dump() +
                                  ", but model_type '" + std::string(family.model_type) +
                                  "' has only softmax attention layers (1)");
    return false;
  }
  return true;
}

std::optional<GlobalAttention> read_gemma4_attention(const Fields& f, std::int64_t heads,
                                                     std::int64_t kv_heads,
                                                     std::vector<std::int64_t>& windows,
                                                     ModelArch& arch) {
  Errors& errors = f.errors();
  // Gemma4TextConfig defaults: hidden_size_per_layer_input 256 (PLE),
  // num_kv_shared_layers 0, enable_moe_block false.
  const std::int64_t ple = f.integer({"hidden_size_per_layer_input"}, 0, kMaxHidden).value_or(256);
  if (ple > 0)
    errors.add(f.prefix() + ".hidden_size_per_layer_input",
               "Gemma 4 per-layer embeddings (hidden_size_per_layer_input " + std::to_string(ple) +
                   ", the E2B/E4B models) are not supported yet");
  if (f.integer({"num_kv_shared_layers"}, 0, kMaxLayers).value_or(0) > 0)
    errors.add(f.prefix() + ".num_kv_shared_layers",
               "Gemma 4 layers sharing another layer's KV cache are not supported yet");
  if (f.boolean({"enable_moe_block"}).value_or(false))
    errors.add(f.prefix() + ".enable_moe_block", "the Gemma 4 MoE block is not supported yet");
  GlobalAttention g;
  // global_head_dim: 512 when absent (Gemma4TextConfig pops it with that
  // default); null means the layers keep head_dim (Gemma4TextAttention).
  const bool null_global =
      f.obj().contains("global_head_dim") && f.obj()["global_head_dim"].is_null();
  g.head_dim = f.integer({"global_head_dim"}, 1, kMaxHeadDim).value_or(0);
  if (!g.head_dim && !null_global) g.head_dim = 512;
  g.v_from_k = f.boolean({"attention_k_eq_v"}).value_or(false);
  g.kv_heads = kv_heads;
  if (g.v_from_k)
    g.kv_heads = f.integer({"num_global_key_value_heads"}, 1, kMaxHeads).value_or(kv_heads);
  if (heads > 0 && g.kv_heads > 0 && heads % g.kv_heads != 0)
    errors.add(f.prefix() + ".num_global_key_value_heads",
               "num_global_key_value_heads must divide num_attention_heads (" +
                   std::to_string(heads) + " / " + std::to_string(g.kv_heads) + ")");
  if (!errors.empty()) return std::nullopt;
  if (!windows.empty() && windows.back() != 0) {
    windows.back() = 0;  // Gemma4TextConfig: "Forcing last layer to `full_attention`"
    arch.warnings.push_back(
        "layer_types ends with a sliding layer; Gemma 4 makes the last layer full attention");
  }
  return g;
}

void apply_global_attention(const GlobalAttention& g, AttentionSpec& a) {
  if (a.kind != AttnKind::Standard || a.sliding_window != 0) return;
  if (g.head_dim) a.head_dim = a.v_head_dim = g.head_dim;
  a.num_kv_heads = g.kv_heads;
  a.v_from_k = g.v_from_k;
}

}  // namespace llmmem
