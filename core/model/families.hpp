// What each model_type means: one row per family in families.cpp, with how it
// names its modules, which parts it has, its config defaults and the quirks
// of how it reads shared fields. The builders read the row; they never compare
// model_type strings.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/model.hpp"

namespace llmmem {

// Which builder makes the model: only genuinely different layer kinds have one.
enum class Builder {
  Decoder,            // decoder-only transformers (build_decoder.cpp)
  BertEncoder,        // BERT-style encoders (build_encoder.cpp)
  T5,                 // T5 encoder-decoders (build_encoder.cpp)
  MultimodalWrapper,  // a text decoder under text_config and a vision tower
};

enum class QkNorm { None, PerHead, Full };

// Which layers use the sliding window when layer_types does not say.
enum class SlidingLayers {
  Every,                // Mistral v0.1, Phi-3: every layer
  EvenLayers,           // even layers local (Gemma 2, gpt-oss)
  AllButEveryNth,       // every sliding_window_pattern-th layer global (Gemma 3, Cohere2)
  FromMaxWindowLayers,  // Qwen: layers from max_window_layers on
};

// What `attention_bias` switches.
enum class AttentionBiasField {
  QkvAndO,        // q, k, v and o, both ways
  QkvOnly,        // q, k, v only (GLM-4)
  AddsToQkvAndO,  // true adds o; false keeps the family's q, k, v bias (Qwen2)
};

// Where the number of key/value heads comes from.
enum class KvHeadsField {
  NumKeyValueHeads,
  MultiQuery,  // multi_query (default true): one KV head (GPT-BigCode)
  Falcon,      // new_decoder_architecture with num_kv_heads, else multi_query
};

enum class VisionTower { None, Siglip, Qwen2Vl, Qwen25Vl, Qwen3Vl, Gemma4, Llama4 };

// How a family names its modules (the Hugging Face leaf names).
struct ModuleNames {
  std::string_view embed = "embed_tokens";
  std::string_view lm_head = "lm_head";
  std::string_view final_norm = "norm";
  // Per-layer norms, in order: the first goes with attention, the second
  // with the MLP (DeciLM drops them with their no-op sub-block).
  std::array<std::string_view, 4> layer_norms{"input_layernorm", "post_attention_layernorm"};

  // attention
  std::string_view q = "q_proj", k = "k_proj", v = "v_proj", o = "o_proj";
  // non-empty: one fused projection (phi3, falcon, neox, bloom, bigcode)
  std::string_view fused_qkv{};

  // dense MLP
  std::string_view gate = "gate_proj", up = "up_proj", down = "down_proj";
  std::string_view fused_gate_up{};  // non-empty: gate and up fused (phi3, glm4)

  // MoE
  std::string_view router = "gate";
  std::string_view experts = "experts";
  std::string_view expert_gate = "gate_proj", expert_up = "up_proj", expert_down = "down_proj";
  std::string_view expert_fused_gate_up{};  // gpt-oss
  std::string_view shared = "shared_expert";

  std::string_view positions{};   // learned position table name ("wpe"), empty = none
  std::string_view embed_norm{};  // a norm right after the embedding (bloom)
};

// Sizes a family's config class defaults to, used when config.json omits
// them; 0 = none (the field is required).
struct SizeDefaults {
  std::int64_t vocab = 0, hidden = 0, layers = 0, heads = 0, kv_heads = 0, intermediate = 0,
               max_positions = 0, dense_width = 0;
};

struct Family {
  std::string_view model_type{};
  Builder builder = Builder::Decoder;

  // The decoder: its modules and which parts it has.
  ModuleNames names{};
  NormKind norm = NormKind::RmsNorm;
  bool gated = true;
  bool qkv_bias = false, o_bias = false, mlp_bias = false;
  QkNorm qk_norm = QkNorm::None;
  bool sinks = false;
  bool expert_bias = false;
  bool router_bias = false;
  bool router_correction_bias = false;  // DeepSeek-V3 noaux_tc, GLM-4.5
  bool shared_expert_gate = false;      // qwen2_moe: Linear(h, 1)
  bool parallel = false;
  // LFM2: layers outside full_attn_idxs / layer_types "conv" are gated short
  // convolutions (mixers.cpp), and the FFN width is adjusted from block_ff_dim.
  bool short_conv = false;
  // Qwen3-Next: Gated DeltaNet layers between every full_attention_interval-th
  // attention layer (mixers.cpp), whose q_proj also gives an output gate.
  bool gated_delta_net = false;
  bool delta_net_split_in_proj = false;  // Qwen3.5: in_proj_qkv, _z, _b, _a
  // Kimi Linear: Kimi Delta Attention layers besides linear_attn_config's
  // full_attn_layers (1-based), MLA on those (mixers.cpp).
  bool kimi_delta = false;
  bool attention_output_gate = false;
  // Nemotron-H: layers from hybrid_override_pattern (mixers.cpp).
  bool hybrid_pattern = false;
  // Granite 4.0: layer_types "mamba" layers mix tokens with Mamba-2 instead
  // of attention ("attention"); every layer keeps its FFN (mixers.cpp).
  bool mamba_layer_types = false;
  // Jamba: attention on every attn_layer_period-th layer from
  // attn_layer_offset, a Mamba-1 mixer on the others; MoE on every
  // expert_layer_period-th layer from expert_layer_offset (mixers.cpp).
  bool jamba_layers = false;
  // DeepSeek-V3.2 (DSA): a lightning indexer beside MLA in every layer.
  bool dsa_indexer = false;
  // Gemma 4: full-attention layers with global_head_dim and
  // num_global_key_value_heads (and no v_proj under attention_k_eq_v), a
  // layer_scalar per layer, the last layer always global (gemma4.cpp).
  bool gemma4_layers = false;
  // Llama 4: the RoPE layers attend within chunks of attention_chunk_size
  // tokens, the NoPE layers (no_rope_layers 0) to the whole sequence
  // (layer_kinds.cpp); MoE layers from moe_layers or interleave_moe_layer_step.
  bool chunked_attention = false;
  // This key is the dense layers' MLP width and intermediate_size the
  // experts' (Llama 4: intermediate_size_mlp; Granite 4.0:
  // shared_intermediate_size, its shared MLP, dense when it has no experts).
  const char* dense_width_field = nullptr;
  // Shared experts of the experts' width when the config names none (Llama 4: one).
  std::int64_t default_shared_experts = 0;
  bool tie_default = true;            // PretrainedConfig's default
  std::int64_t default_head_dim = 0;  // 0 = hidden / heads
  SizeDefaults defaults{};
  std::int64_t extra_embedding_rows = 0;

  // How the family reads fields that other families read differently.
  AttentionBiasField attention_bias = AttentionBiasField::QkvAndO;
  QkNorm qk_norm_when_enabled = QkNorm::PerHead;  // what qk_norm: true adds
  KvHeadsField kv_heads = KvHeadsField::NumKeyValueHeads;
  // A key that sets every linear's bias: `bias` (Falcon), `use_bias` (ERNIE 4.5).
  const char* bias_field = nullptr;
  // router_correction_bias from topk_method (default noaux_tc): DeepSeek-V3, Kimi K2
  bool correction_bias_from_topk_method = false;
  SlidingLayers sliding_layers = SlidingLayers::Every;
  std::int64_t default_sliding_window = 0;   // when sliding_window is absent
  std::int64_t default_sliding_pattern = 0;  // when sliding_window_pattern is absent

  // Multimodal checkpoints.
  // A wrapper: its decoder's model_type when text_config names none.
  std::string_view text_decoder{};
  // This type named as text_config's own model_type is read as another type;
  // "" = as if text_config named none.
  std::optional<std::string_view> read_in_text_config{};
  VisionTower vision = VisionTower::None;
};

// The row of `model_type`, or nullptr for a type not in the table.
const Family* find_family(std::string_view model_type);

// The model_types of the table, sorted, as "bert, bloom, ...": the first
// `most` of them, then "...".
std::string known_model_types(std::size_t most = 64);

// The model_type of the text decoder inside `model_type`: the wrapper's
// text_decoder, or the type itself.
std::string_view text_decoder_of(std::string_view model_type);

}  // namespace llmmem
