#include "model/config_json.hpp"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "model/config_read.hpp"
#include "util/text.hpp"

namespace llmmem {
namespace {

using json = nlohmann::json;

// ---------------------------------------------------------------------------
// How each family names its modules and which parts it has.

enum class QkNorm { None, PerHead, Full };

struct Traits {
  std::string family;  // the model_type the traits were chosen for
  bool known = true;

  std::string embed = "embed_tokens";
  std::string lm_head = "lm_head";
  std::string final_norm = "norm";
  std::vector<std::string> layer_norms{"input_layernorm", "post_attention_layernorm"};
  NormKind norm = NormKind::RmsNorm;

  // attention
  std::string q = "q_proj", k = "k_proj", v = "v_proj", o = "o_proj";
  std::string fused_qkv;  // non-empty: one fused projection (phi3, falcon, neox, bloom, bigcode)
  bool qkv_bias = false, o_bias = false;
  QkNorm qk_norm = QkNorm::None;
  bool sinks = false;

  // dense MLP
  bool gated = true;
  std::string gate = "gate_proj", up = "up_proj", down = "down_proj";
  std::string fused_gate_up;  // non-empty: gate and up fused (phi3, glm4)
  bool mlp_bias = false;

  // MoE
  std::string router = "gate";
  std::string experts = "experts";
  std::string e_gate = "gate_proj", e_up = "up_proj", e_down = "down_proj";
  std::string e_fused_gate_up;  // gpt-oss
  bool expert_bias = false;
  bool router_bias = false;
  bool router_correction_bias = false;  // DeepSeek-V3 noaux_tc, GLM-4.5
  std::string shared = "shared_expert";
  bool shared_expert_gate = false;  // qwen2_moe: Linear(h, 1)

  bool parallel = false;
  bool tie_default = true;            // PretrainedConfig's default
  std::int64_t default_head_dim = 0;  // 0 = hidden / heads
  std::string positions;              // learned position table name ("wpe"), empty = none
  std::string embed_norm;             // a norm right after the embedding (bloom)
};

Traits traits_for(const std::string& type) {
  Traits t;
  t.family = type;
  if (type == "llama" || type == "mistral" || type == "ministral" || type == "ministral3" ||
      type == "granite" || type == "nemotron-nas" || type == "mllama_text_model" ||
      type == "deepseek_v2" || type == "deepseek_v3" || type == "kimi_k2" || type == "yi" ||
      type == "internlm2" || type == "exaone") {
    t.tie_default = false;
  } else if (type == "mixtral") {
    t.tie_default = false;
    t.router = "block_sparse_moe.gate";
    t.experts = "block_sparse_moe.experts";
    t.e_gate = "w1";
    t.e_up = "w3";
    t.e_down = "w2";
  } else if (type == "qwen2" || type == "qwen2_vl" || type == "qwen2_5_vl") {
    t.qkv_bias = true;
    t.tie_default = false;
  } else if (type == "qwen2_moe") {
    t.qkv_bias = true;
    t.tie_default = false;
    t.shared_expert_gate = true;
  } else if (type == "qwen3" || type == "qwen3_moe") {
    t.qk_norm = QkNorm::PerHead;
    t.tie_default = false;
  } else if (type == "gemma") {
    t.default_head_dim = 256;
  } else if (type == "gemma2" || type == "gemma3_text") {
    t.layer_norms = {"input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                     "post_feedforward_layernorm"};
    t.default_head_dim = 256;
    if (type == "gemma3_text") t.qk_norm = QkNorm::PerHead;
  } else if (type == "phi3") {
    t.fused_qkv = "qkv_proj";
    t.fused_gate_up = "gate_up_proj";
    t.tie_default = false;
  } else if (type == "olmo2") {
    t.layer_norms = {"post_attention_layernorm", "post_feedforward_layernorm"};
    t.qk_norm = QkNorm::Full;
    t.tie_default = false;
  } else if (type == "cohere" || type == "cohere2") {
    t.layer_norms = {"input_layernorm"};
    t.norm = NormKind::LayerNormNoBias;
    t.parallel = true;
  } else if (type == "glm4") {
    t.layer_norms = {"input_layernorm", "post_self_attn_layernorm", "post_attention_layernorm",
                     "post_mlp_layernorm"};
    t.fused_gate_up = "gate_up_proj";
    t.tie_default = false;
  } else if (type == "glm4_moe") {
    t.router_correction_bias = true;
    t.shared = "shared_experts";
    t.tie_default = false;
  } else if (type == "gpt_oss") {
    t.qkv_bias = t.o_bias = true;
    t.sinks = true;
    t.router = "router";
    t.e_fused_gate_up = "gate_up_proj";
    t.expert_bias = true;
    t.router_bias = true;
    t.tie_default = false;
  } else if (type == "falcon") {
    t.embed = "word_embeddings";
    t.fused_qkv = "query_key_value";
    t.o = "dense";
    t.gated = false;
    t.up = "dense_h_to_4h";
    t.down = "dense_4h_to_h";
    t.final_norm = "ln_f";
    t.norm = NormKind::LayerNorm;
    // tiiuae's configs omit tie_word_embeddings; the checkpoints and litgpt
    // carry a separate lm_head, which the catalog counts (model-configs.md).
    t.tie_default = false;
  } else if (type == "gpt_neox") {
    t.embed = "embed_in";
    t.lm_head = "embed_out";
    t.fused_qkv = "query_key_value";
    t.o = "dense";
    t.qkv_bias = t.o_bias = t.mlp_bias = true;
    t.gated = false;
    t.up = "dense_h_to_4h";
    t.down = "dense_4h_to_h";
    t.final_norm = "final_layer_norm";
    t.norm = NormKind::LayerNorm;
    t.tie_default = false;
  } else if (type == "gpt_bigcode" || type == "gpt2") {
    t.embed = "wte";
    t.positions = "wpe";
    t.fused_qkv = "c_attn";
    t.o = "c_proj";
    t.qkv_bias = t.o_bias = t.mlp_bias = true;
    t.gated = false;
    t.up = "c_fc";
    t.down = "c_proj";
    t.layer_norms = {"ln_1", "ln_2"};
    t.final_norm = "ln_f";
    t.norm = NormKind::LayerNorm;
  } else if (type == "bloom") {
    t.embed = "word_embeddings";
    t.embed_norm = "word_embeddings_layernorm";
    t.fused_qkv = "query_key_value";
    t.o = "dense";
    t.qkv_bias = t.o_bias = t.mlp_bias = true;
    t.gated = false;
    t.up = "dense_h_to_4h";
    t.down = "dense_4h_to_h";
    t.final_norm = "ln_f";
    t.norm = NormKind::LayerNorm;
  } else {
    t.known = false;
    t.tie_default = false;
  }
  if (type == "deepseek_v2" || type == "deepseek_v3" || type == "kimi_k2")
    t.shared = "shared_experts";
  return t;
}

// Multimodal wrappers and the type of the text decoder inside them.
std::string text_type_for(const std::string& outer) {
  if (outer == "gemma3") return "gemma3_text";
  if (outer == "mllama") return "mllama_text_model";
  if (outer == "mistral3" || outer == "pixtral" || outer == "llava" || outer == "llava_next")
    return "llama";
  return outer;
}

// ---------------------------------------------------------------------------
// Module helpers.

Module linear(std::string name, ModuleRole role, std::int64_t in, std::int64_t out, bool bias) {
  Module m;
  m.name = std::move(name);
  m.role = role;
  m.in = in;
  m.out = out;
  m.bias = bias;
  m.linear = true;
  return m;
}

Module norm_module(std::string name, std::int64_t width, NormKind kind) {
  Module m;
  m.name = std::move(name);
  m.role = ModuleRole::Norm;
  m.in = 1;
  m.out = width;
  m.bias = kind == NormKind::LayerNorm;
  return m;
}

Module vector_module(std::string name, ModuleRole role, std::int64_t size) {
  Module m;
  m.name = std::move(name);
  m.role = role;
  m.in = 1;
  m.out = size;
  return m;
}

Module table(std::string name, ModuleRole role, std::int64_t rows, std::int64_t width) {
  Module m;
  m.name = std::move(name);
  m.role = role;
  m.in = rows;
  m.out = width;
  return m;
}

Module experts_of(Module m, std::int64_t copies, std::int64_t active) {
  m.role = ModuleRole::Expert;
  m.copies = copies;
  m.active_copies = active;
  return m;
}

// ---------------------------------------------------------------------------
// Quantization config, kept for the weights estimate.

std::optional<ModelArch::Quantization> read_quantization(const json& q) {
  if (!q.is_object()) return std::nullopt;
  ModelArch::Quantization out;
  auto str = [&](const char* k) -> std::string {
    auto it = q.find(k);
    return it != q.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto integer = [&](const json& o, const char* k) -> int {
    auto it = o.find(k);
    return it != o.end() && it->is_number_integer() ? int(it->get<std::int64_t>()) : 0;
  };
  auto flag = [&](const char* k) -> bool {
    auto it = q.find(k);
    return it != q.end() && it->is_boolean() && it->get<bool>();
  };
  out.method = str("quant_method");
  out.bits = integer(q, "bits");
  out.group_size = integer(q, "group_size");
  if (flag("load_in_4bit") || flag("_load_in_4bit")) out.bits = 4;
  if (flag("load_in_8bit") || flag("_load_in_8bit")) out.bits = 8;
  out.double_quant = flag("bnb_4bit_use_double_quant");
  if (auto it = q.find("config_groups"); it != q.end() && it->is_object()) {
    for (const auto& [name, group] : it->items()) {
      if (!group.is_object()) continue;
      auto w = group.find("weights");
      if (w != group.end() && w->is_object()) {
        if (!out.bits) out.bits = integer(*w, "num_bits");
        if (!out.group_size) out.group_size = integer(*w, "group_size");
      }
    }
  }
  for (const char* k : {"modules_to_not_convert", "ignore", "llm_int8_skip_modules"}) {
    auto it = q.find(k);
    if (it == q.end() || !it->is_array()) continue;
    for (const auto& s : *it)
      if (s.is_string()) out.modules_not_converted.push_back(s.get<std::string>());
  }
  return out;
}

// ---------------------------------------------------------------------------
// Decoder-only transformers.

struct Dims {
  std::int64_t vocab = 0, hidden = 0, layers = 0, heads = 0, kv_heads = 0, head_dim = 0,
               intermediate = 0;
};

// Which layers use a sliding window, from layer_types or the family's pattern.
std::vector<std::int64_t> sliding_windows(const Fields& f, const Traits& t, std::int64_t layers) {
  std::vector<std::int64_t> window(std::size_t(layers), 0);
  if (layers <= 0) return window;
  std::int64_t w = f.integer({"sliding_window"}, 1, kMaxPositions).value_or(0);
  if (t.family == "gemma2" && !f.find({"sliding_window"}).value) w = 4096;
  if (t.family == "gemma3_text" && !f.find({"sliding_window"}).value) w = 4096;

  if (auto lt = f.find({"layer_types"}); lt.value) {
    if (!lt.value->is_array() || std::int64_t(lt.value->size()) != layers) {
      f.errors().add(lt.path,
                     "layer_types must list one type per layer (" + std::to_string(layers) + ")");
      return window;
    }
    for (std::size_t i = 0; i < window.size(); ++i) {
      const json& e = (*lt.value)[i];
      if (!e.is_string()) {
        f.errors().add(lt.path, "layer_types entries must be strings");
        return window;
      }
      if (e.get<std::string>() == "sliding_attention") window[i] = w;
    }
    return window;
  }
  if (w == 0) return window;
  // use_sliding_window: false disables the window (Qwen2 family)
  if (auto use = f.boolean({"use_sliding_window"}); use && !*use) return window;
  if (t.family == "gemma2" || t.family == "gpt_oss") {
    for (std::size_t i = 0; i < window.size(); i += 2) window[i] = w;  // even layers local
    return window;
  }
  if (t.family == "gemma3_text" || t.family == "cohere2") {
    const std::int64_t pattern = f.integer({"sliding_window_pattern"}, 1, kMaxLayers)
                                     .value_or(t.family == "cohere2" ? 4 : 6);
    for (std::int64_t i = 0; i < layers; ++i)
      if ((i + 1) % pattern != 0) window[std::size_t(i)] = w;
    return window;
  }
  if (t.family == "qwen2" || t.family == "qwen2_moe" || t.family == "qwen3" ||
      t.family == "qwen3_moe") {
    // Qwen: layers from max_window_layers on use the window, when enabled.
    const std::int64_t from = f.integer({"max_window_layers"}, 0, kMaxLayers).value_or(0);
    for (std::int64_t i = from; i < layers; ++i) window[std::size_t(i)] = w;
    return window;
  }
  std::fill(window.begin(), window.end(), w);  // Mistral v0.1, Phi-3: every layer
  return window;
}

std::vector<Module> attention_modules(const Traits& t, const AttentionSpec& a, std::int64_t h,
                                      bool qkv_bias, bool o_bias, QkNorm qk_norm) {
  std::vector<Module> ms;
  if (a.kind == AttnKind::None) return ms;
  if (a.kind == AttnKind::Mla) {
    const std::int64_t qk = a.qk_nope_head_dim + a.qk_rope_head_dim;
    if (a.q_lora_rank > 0) {
      ms.push_back(linear("q_a_proj", ModuleRole::Attention, h, a.q_lora_rank, false));
      ms.push_back(norm_module("q_a_layernorm", a.q_lora_rank, NormKind::RmsNorm));
      ms.push_back(
          linear("q_b_proj", ModuleRole::Attention, a.q_lora_rank, a.num_heads * qk, false));
    } else {
      ms.push_back(linear("q_proj", ModuleRole::Attention, h, a.num_heads * qk, false));
    }
    ms.push_back(linear("kv_a_proj_with_mqa", ModuleRole::Attention, h,
                        a.kv_lora_rank + a.qk_rope_head_dim, false));
    ms.push_back(norm_module("kv_a_layernorm", a.kv_lora_rank, NormKind::RmsNorm));
    ms.push_back(linear("kv_b_proj", ModuleRole::Attention, a.kv_lora_rank,
                        a.num_heads * (a.qk_nope_head_dim + a.v_head_dim), false));
    ms.push_back(linear("o_proj", ModuleRole::Attention, a.num_heads * a.v_head_dim, h, false));
    return ms;
  }
  const std::int64_t q_out = a.num_heads * a.head_dim;
  const std::int64_t kv_out = a.num_kv_heads * a.head_dim;
  if (!t.fused_qkv.empty()) {
    ms.push_back(linear(t.fused_qkv, ModuleRole::Attention, h, q_out + 2 * kv_out, qkv_bias));
  } else {
    ms.push_back(linear(t.q, ModuleRole::Attention, h, q_out, qkv_bias));
    ms.push_back(linear(t.k, ModuleRole::Attention, h, kv_out, qkv_bias));
    ms.push_back(linear(t.v, ModuleRole::Attention, h, kv_out, qkv_bias));
  }
  ms.push_back(linear(t.o, ModuleRole::Attention, q_out, h, o_bias));
  const NormKind qk_kind =
      t.norm == NormKind::LayerNormNoBias ? NormKind::LayerNormNoBias : NormKind::RmsNorm;
  if (qk_norm == QkNorm::PerHead) {
    ms.push_back(norm_module("q_norm", a.head_dim, qk_kind));
    ms.push_back(norm_module("k_norm", a.head_dim, qk_kind));
  } else if (qk_norm == QkNorm::Full) {
    ms.push_back(norm_module("q_norm", q_out, qk_kind));
    ms.push_back(norm_module("k_norm", kv_out, qk_kind));
  }
  if (t.sinks) ms.push_back(vector_module("sinks", ModuleRole::Other, a.num_heads));
  return ms;
}

std::vector<Module> dense_mlp(const Traits& t, std::int64_t h, std::int64_t width, bool gated,
                              bool bias, ModuleRole role = ModuleRole::Mlp,
                              const std::string& prefix = "") {
  std::vector<Module> ms;
  if (gated) {
    if (!t.fused_gate_up.empty() && role == ModuleRole::Mlp) {
      ms.push_back(linear(t.fused_gate_up, role, h, 2 * width, bias));
    } else {
      ms.push_back(linear(prefix + t.gate, role, h, width, bias));
      ms.push_back(linear(prefix + t.up, role, h, width, bias));
    }
  } else {
    ms.push_back(linear(prefix + t.up, role, h, width, bias));
  }
  ms.push_back(linear(prefix + t.down, role, width, h, bias));
  return ms;
}

std::vector<Module> moe_modules(const Traits& t, const FfnSpec& ffn, std::int64_t h) {
  std::vector<Module> ms;
  ms.push_back(linear(t.router, ModuleRole::Router, h, ffn.num_experts, t.router_bias));
  if (t.router_correction_bias)
    ms.push_back(
        vector_module("gate.e_score_correction_bias", ModuleRole::Router, ffn.num_experts));
  const std::string p = t.experts + ".";
  const std::int64_t w = ffn.expert_intermediate;
  if (!t.e_fused_gate_up.empty()) {
    ms.push_back(
        experts_of(linear(p + t.e_fused_gate_up, ModuleRole::Expert, h, 2 * w, t.expert_bias),
                   ffn.num_experts, ffn.top_k));
  } else if (ffn.gated) {
    ms.push_back(experts_of(linear(p + t.e_gate, ModuleRole::Expert, h, w, t.expert_bias),
                            ffn.num_experts, ffn.top_k));
    ms.push_back(experts_of(linear(p + t.e_up, ModuleRole::Expert, h, w, t.expert_bias),
                            ffn.num_experts, ffn.top_k));
  } else {
    ms.push_back(experts_of(linear(p + t.e_up, ModuleRole::Expert, h, w, t.expert_bias),
                            ffn.num_experts, ffn.top_k));
  }
  ms.push_back(experts_of(linear(p + t.e_down, ModuleRole::Expert, w, h, t.expert_bias),
                          ffn.num_experts, ffn.top_k));
  if (ffn.shared_intermediate > 0) {
    Traits plain = t;
    plain.fused_gate_up.clear();
    for (auto& m : dense_mlp(plain, h, ffn.shared_intermediate, ffn.gated, false,
                             ModuleRole::SharedExpert, t.shared + "."))
      ms.push_back(std::move(m));
    if (t.shared_expert_gate)
      ms.push_back(linear("shared_expert_gate", ModuleRole::Router, h, 1, false));
  }
  return ms;
}

// DeciLM (nemotron-nas) FFN width: find_multiple(int(2 * ffn_mult * h / 3), 256).
std::int64_t decilm_ffn_width(double mult, std::int64_t h) {
  const auto w = std::int64_t(2.0 * mult * double(h) / 3.0);
  return (w + 255) / 256 * 256;
}

std::shared_ptr<ModelArch> build_decoder(const Fields& f, Traits t) {
  Errors& errors = f.errors();
  auto arch = std::make_shared<ModelArch>();
  arch->model_type = t.family;
  if (!t.known)
    arch->warnings.push_back("unknown model_type \"" + t.family +
                             "\": counted as a generic llama-style decoder (gated MLP, RMSNorm)");

  // Helper fields of this project's catalog (model-configs.md) override the family.
  if (auto mk = f.string({"mlp_kind"})) t.gated = mk->rfind("gated", 0) == 0;
  if (auto nk = f.string({"norm_kind"})) {
    if (*nk == "layernorm")
      t.norm = NormKind::LayerNorm;
    else if (*nk == "layernorm_no_bias")
      t.norm = NormKind::LayerNormNoBias;
    else
      t.norm = NormKind::RmsNorm;
  }
  if (auto qb = f.boolean({"qkv_bias"})) t.qkv_bias = *qb;
  if (auto ab = f.boolean({"attention_bias"})) {
    if (t.family == "glm4_moe" || t.family == "glm4")
      t.qkv_bias = *ab;  // q, k, v only
    else if (*ab)
      t.qkv_bias = t.o_bias = true;
    else if (t.family != "qwen2" && t.family != "qwen2_moe" && t.family != "qwen2_5_vl" &&
             t.family != "qwen2_vl")
      t.qkv_bias = t.o_bias = false;
  }
  if (auto mb = f.boolean({"mlp_bias"})) t.mlp_bias = *mb;
  if (auto qn = f.boolean({"qk_norm", "use_qk_norm"}); qn) {
    if (!*qn)
      t.qk_norm = QkNorm::None;
    else if (t.qk_norm == QkNorm::None)
      t.qk_norm = (t.family == "olmo2" || t.family == "cohere") ? QkNorm::Full : QkNorm::PerHead;
  }
  if (auto pa = f.boolean({"parallel_attn", "use_parallel_residual"})) t.parallel = *pa;
  if (t.family == "falcon") {
    const bool bias = f.boolean({"bias"}).value_or(false);
    t.qkv_bias = t.o_bias = t.mlp_bias = bias;
  }

  Dims d;
  const bool gemma3 = t.family == "gemma3_text";
  d.vocab = f.check_integer(f.find_with_parent({"vocab_size", "padded_vocab_size"}), 1, kMaxVocab)
                .value_or(0);
  if (!f.find_with_parent({"vocab_size", "padded_vocab_size"}).value) {
    if (gemma3)
      d.vocab = 262208;  // Gemma3TextConfig default
    else
      errors.add(f.prefix() + ".vocab_size", "vocab_size is required");
  }
  auto dflt = [&](std::int64_t v) {
    return gemma3 ? std::optional<std::int64_t>(v) : std::nullopt;
  };
  d.hidden = f.required({"hidden_size", "n_embd", "n_embed", "d_model"}, 1, kMaxHidden, dflt(2304));
  d.layers = f.required({"num_hidden_layers", "n_layer", "num_layers"}, 1, kMaxLayers, dflt(26));
  d.heads = f.required({"num_attention_heads", "n_head", "num_heads"}, 1, kMaxHeads, dflt(8));

  // Key/value heads: num_key_value_heads, Falcon's num_kv_heads / multi_query.
  std::optional<std::int64_t> kv = f.integer({"num_key_value_heads"}, 1, kMaxHeads);
  if (t.family == "falcon") {
    const bool new_arch = f.boolean({"new_decoder_architecture"}).value_or(false);
    if (new_arch) {
      kv = f.integer({"num_kv_heads"}, 1, kMaxHeads);
      t.layer_norms = {"ln_attn", "ln_mlp"};
      t.parallel = true;
    } else {
      const bool mq = f.boolean({"multi_query"}).value_or(true);
      kv = mq ? 1 : d.heads;
      t.layer_norms = t.parallel
                          ? std::vector<std::string>{"input_layernorm"}
                          : std::vector<std::string>{"input_layernorm", "post_attention_layernorm"};
    }
  } else if (t.family == "gpt_bigcode") {
    kv = f.boolean({"multi_query"}).value_or(true) ? 1 : d.heads;
  }
  if (!kv && gemma3) kv = 4;
  d.kv_heads = kv.value_or(d.heads);

  std::optional<std::int64_t> hd =
      f.integer({"head_dim", "head_size", "kv_channels"}, 1, kMaxHeadDim);
  if (!hd && t.default_head_dim) hd = t.default_head_dim;
  if (!hd && d.heads > 0 && d.hidden > 0) {
    if (d.hidden % d.heads != 0)
      errors.add(f.prefix() + ".num_attention_heads",
                 "num_attention_heads must divide hidden_size when head_dim is absent (" +
                     std::to_string(d.hidden) + " / " + std::to_string(d.heads) + ")");
    else
      hd = d.hidden / d.heads;
  }
  d.head_dim = hd.value_or(0);
  if (d.heads > 0 && d.kv_heads > 0 && d.heads % d.kv_heads != 0)
    errors.add(f.prefix() + ".num_key_value_heads",
               "num_key_value_heads must divide num_attention_heads (" + std::to_string(d.heads) +
                   " / " + std::to_string(d.kv_heads) + ")");

  // MLP width: intermediate_size, n_inner, ffn_hidden_size, or 4h for plain MLPs.
  std::optional<std::int64_t> inter =
      f.integer({"intermediate_size", "n_inner", "ffn_hidden_size", "d_ff"}, 1, kMaxIntermediate);
  if (!inter && !t.gated) inter = 4 * d.hidden;
  if (!inter && gemma3) inter = 9216;
  const bool decilm = f.obj().contains("block_configs");
  if (!inter && !decilm)
    errors.add(f.prefix() + ".intermediate_size", "intermediate_size is required");
  d.intermediate = inter.value_or(0);

  arch->vocab_size = d.vocab;
  arch->hidden_size = d.hidden;
  arch->num_layers = d.layers;
  arch->norm = t.norm;
  arch->max_position_embeddings =
      f.integer({"max_position_embeddings", "n_positions", "seq_length"}, 1, kMaxPositions)
          .value_or(gemma3 ? 131072 : 0);
  const auto tie = f.boolean({"tie_word_embeddings"}, true);
  arch->tie_embeddings = tie.value_or(t.tie_default);

  // MoE shape.
  const std::int64_t experts =
      f.integer({"num_local_experts", "num_experts", "n_routed_experts"}, 1, kMaxExperts)
          .value_or(0);
  std::int64_t top_k =
      f.integer({"num_experts_per_tok", "experts_per_token", "moe_topk"}, 1, kMaxExperts)
          .value_or(0);
  if (experts > 0 && top_k == 0) {
    errors.add(f.prefix() + ".num_experts_per_tok",
               "num_experts_per_tok is required for MoE models");
  }
  if (experts > 0 && top_k > experts) {
    errors.add(f.prefix() + ".num_experts_per_tok",
               "num_experts_per_tok must not exceed the number of experts (" +
                   std::to_string(top_k) + " > " + std::to_string(experts) + ")");
    top_k = experts;
  }
  const std::int64_t expert_width =
      f.integer({"moe_intermediate_size"}, 1, kMaxIntermediate).value_or(d.intermediate);
  std::int64_t shared_width =
      f.integer({"shared_expert_intermediate_size"}, 1, kMaxIntermediate).value_or(0);
  if (auto ns = f.integer({"n_shared_experts"}, 0, kMaxExperts); ns)
    shared_width = *ns * expert_width;
  const std::int64_t first_dense = f.integer({"first_k_dense_replace"}, 0, kMaxLayers).value_or(0);
  const std::int64_t moe_freq = f.integer({"moe_layer_freq"}, 1, kMaxLayers).value_or(1);
  const std::int64_t sparse_step = f.integer({"decoder_sparse_step"}, 1, kMaxLayers).value_or(1);
  std::vector<std::int64_t> mlp_only;
  if (auto mo = f.find({"mlp_only_layers"}); mo.value) {
    if (!mo.value->is_array()) {
      errors.add(mo.path, "mlp_only_layers must be an array of layer indices");
    } else {
      for (const auto& x : *mo.value)
        if (x.is_number_integer()) mlp_only.push_back(x.get<std::int64_t>());
    }
  }
  if (t.family == "deepseek_v3" || t.family == "kimi_k2") {
    const std::string method = f.string({"topk_method"}).value_or("noaux_tc");
    t.router_correction_bias = method == "noaux_tc";
  }

  // MLA.
  const std::int64_t kv_lora = f.integer({"kv_lora_rank"}, 1, kMaxHidden).value_or(0);
  AttentionSpec base_attn;
  base_attn.kind = AttnKind::Standard;
  base_attn.num_heads = d.heads;
  base_attn.num_kv_heads = d.kv_heads;
  base_attn.head_dim = d.head_dim;
  base_attn.v_head_dim = d.head_dim;
  if (kv_lora > 0) {
    base_attn.kind = AttnKind::Mla;
    base_attn.kv_lora_rank = kv_lora;
    base_attn.q_lora_rank = f.integer({"q_lora_rank"}, 1, kMaxHidden).value_or(0);
    base_attn.qk_nope_head_dim = f.required({"qk_nope_head_dim"}, 1, kMaxHeadDim);
    base_attn.qk_rope_head_dim = f.required({"qk_rope_head_dim"}, 1, kMaxHeadDim);
    base_attn.v_head_dim = f.required({"v_head_dim"}, 1, kMaxHeadDim);
    base_attn.head_dim = base_attn.qk_nope_head_dim + base_attn.qk_rope_head_dim;
    base_attn.num_kv_heads = d.heads;  // the latent expands to every head
  }

  // mllama: cross-attention layers.
  std::vector<std::int64_t> cross_layers;
  if (auto cl = f.find({"cross_attention_layers"}); cl.value && cl.value->is_array())
    for (const auto& x : *cl.value)
      if (x.is_number_integer()) cross_layers.push_back(x.get<std::int64_t>());

  if (!errors.empty()) return nullptr;

  const std::vector<std::int64_t> windows = sliding_windows(f, t, d.layers);

  // Embedding and positions.
  const std::int64_t embed_rows = t.family == "mllama_text_model" ? d.vocab + 8 : d.vocab;
  arch->head_modules.push_back(table(t.embed, ModuleRole::Embedding, embed_rows, d.hidden));
  if (!t.positions.empty())
    arch->head_modules.push_back(
        table(t.positions, ModuleRole::PositionEmbedding, arch->max_position_embeddings, d.hidden));
  if (!t.embed_norm.empty())
    arch->head_modules.push_back(norm_module(t.embed_norm, d.hidden, t.norm));

  // DeciLM per-block configs.
  const json* blocks = nullptr;
  if (decilm) {
    const json& b = f.obj()["block_configs"];
    if (!b.is_array() || std::int64_t(b.size()) != d.layers) {
      errors.add(f.prefix() + ".block_configs",
                 "block_configs must list one block per layer (" + std::to_string(d.layers) + ")");
      return nullptr;
    }
    blocks = &b;
  }

  for (std::int64_t i = 0; i < d.layers; ++i) {
    LayerSpec spec;
    spec.parallel = t.parallel;
    spec.attn = base_attn;
    spec.attn.sliding_window = windows[std::size_t(i)];
    std::vector<Module> ms;
    ms.reserve(24);
    const std::vector<std::string>& norms = t.layer_norms;
    bool attn_norm = true, ffn_norm = true;

    // FFN kind of this layer.
    const bool moe_layer = experts > 0 && i >= first_dense && (i % moe_freq == 0) &&
                           std::find(mlp_only.begin(), mlp_only.end(), i) == mlp_only.end() &&
                           ((i + 1) % sparse_step == 0);
    spec.ffn.gated = t.gated;
    if (moe_layer) {
      spec.ffn.kind = FfnKind::Moe;
      spec.ffn.num_experts = experts;
      spec.ffn.top_k = top_k;
      spec.ffn.expert_intermediate = expert_width;
      spec.ffn.shared_intermediate = shared_width;
    } else {
      spec.ffn.kind = FfnKind::Dense;
      spec.ffn.intermediate = d.intermediate;
    }

    if (blocks) {
      const json& blk = (*blocks)[std::size_t(i)];
      const std::string path = f.prefix() + ".block_configs[" + std::to_string(i) + "]";
      const json& at = blk.is_object() && blk.contains("attention") ? blk["attention"] : json();
      const json& ff = blk.is_object() && blk.contains("ffn") ? blk["ffn"] : json();
      auto flag = [](const json& o, const char* k) {
        return o.is_object() && o.contains(k) && o[k].is_boolean() && o[k].get<bool>();
      };
      if (flag(at, "no_op")) {
        spec.attn.kind = AttnKind::None;
        attn_norm = false;
      } else if (flag(at, "replace_with_linear")) {
        spec.attn.kind = AttnKind::None;
        ms.push_back(linear("linear_attn", ModuleRole::Attention, d.hidden, d.hidden, false));
      } else if (at.is_object() && at.contains("n_heads_in_group") &&
                 at["n_heads_in_group"].is_number_integer()) {
        const auto g = at["n_heads_in_group"].get<std::int64_t>();
        if (g < 1 || d.heads % g != 0) {
          errors.add(path + ".attention.n_heads_in_group",
                     "n_heads_in_group must divide num_attention_heads");
          return nullptr;
        }
        spec.attn.num_kv_heads = d.heads / g;
      }
      if (flag(ff, "no_op")) {
        spec.ffn.kind = FfnKind::None;
        ffn_norm = false;
      } else if (flag(ff, "replace_with_linear")) {
        spec.ffn.kind = FfnKind::None;
        ms.push_back(linear("linear_mlp", ModuleRole::Mlp, d.hidden, d.hidden, false));
      } else if (ff.is_object() && ff.contains("ffn_mult") && ff["ffn_mult"].is_number()) {
        const double mult = ff["ffn_mult"].get<double>();
        if (!(mult > 0 && mult < 1000)) {
          errors.add(path + ".ffn.ffn_mult", "ffn_mult must be a positive number");
          return nullptr;
        }
        spec.ffn.intermediate = decilm_ffn_width(mult, d.hidden);
      } else {
        errors.add(path + ".ffn", "ffn needs ffn_mult, no_op or replace_with_linear");
        return nullptr;
      }
    }

    const bool cross = std::find(cross_layers.begin(), cross_layers.end(), i) != cross_layers.end();
    if (cross) spec.attn.kind = AttnKind::Cross;

    auto attn = attention_modules(t, spec.attn, d.hidden, t.qkv_bias, t.o_bias,
                                  cross ? QkNorm::PerHead : t.qk_norm);
    ms.insert(ms.end(), std::make_move_iterator(attn.begin()), std::make_move_iterator(attn.end()));
    if (cross) {
      ms.push_back(vector_module("cross_attn_attn_gate", ModuleRole::Other, 1));
      ms.push_back(vector_module("cross_attn_mlp_gate", ModuleRole::Other, 1));
    }
    if (spec.ffn.kind == FfnKind::Dense) {
      auto mlp = dense_mlp(t, d.hidden, spec.ffn.intermediate, t.gated, t.mlp_bias);
      ms.insert(ms.end(), std::make_move_iterator(mlp.begin()), std::make_move_iterator(mlp.end()));
    } else if (spec.ffn.kind == FfnKind::Moe) {
      auto moe = moe_modules(t, spec.ffn, d.hidden);
      ms.insert(ms.end(), std::make_move_iterator(moe.begin()), std::make_move_iterator(moe.end()));
    }
    // Layer norms; DeciLM drops the norm of a no-op sub-block.
    for (std::size_t n = 0; n < norms.size(); ++n) {
      if (blocks && n == 0 && !attn_norm) continue;
      if (blocks && n == 1 && !ffn_norm) continue;
      ms.push_back(norm_module(norms[n], d.hidden, t.norm));
    }
    append_layer(*arch, spec, std::move(ms));
  }

  arch->tail_modules.push_back(norm_module(t.final_norm, d.hidden, t.norm));
  if (!arch->tie_embeddings)
    arch->tail_modules.push_back(linear(t.lm_head, ModuleRole::LmHead, d.hidden, d.vocab, false));

  return arch;
}

// ---------------------------------------------------------------------------
// Encoders and encoder-decoders.

std::shared_ptr<ModelArch> build_bert(const Fields& f) {
  Errors& errors = f.errors();
  auto arch = std::make_shared<ModelArch>();
  arch->model_type = "bert";
  const std::int64_t V = f.required({"vocab_size"}, 1, kMaxVocab);
  const std::int64_t h = f.required({"hidden_size"}, 1, kMaxHidden);
  const std::int64_t L = f.required({"num_hidden_layers"}, 1, kMaxLayers);
  const std::int64_t H = f.required({"num_attention_heads"}, 1, kMaxHeads);
  const std::int64_t I = f.required({"intermediate_size"}, 1, kMaxIntermediate);
  const std::int64_t P = f.integer({"max_position_embeddings"}, 1, kMaxPositions).value_or(512);
  const std::int64_t T = f.integer({"type_vocab_size"}, 0, kMaxVocab).value_or(2);
  std::int64_t labels = f.integer({"num_labels"}, 1, kMaxVocab).value_or(0);
  if (auto id2 = f.find({"id2label"}); !labels && id2.value && id2.value->is_object())
    labels = std::int64_t(id2.value->size());
  if (!labels) labels = 2;  // PretrainedConfig default
  if (h > 0 && H > 0 && h % H != 0)
    errors.add(f.prefix() + ".num_attention_heads", "num_attention_heads must divide hidden_size");
  if (!errors.empty()) return nullptr;
  arch->vocab_size = V;
  arch->hidden_size = h;
  arch->num_layers = L;
  arch->norm = NormKind::LayerNorm;
  arch->max_position_embeddings = P;
  arch->tie_embeddings = true;
  arch->encoder_layers = L;
  arch->head_modules = {table("word_embeddings", ModuleRole::Embedding, V, h),
                        table("position_embeddings", ModuleRole::PositionEmbedding, P, h),
                        table("token_type_embeddings", ModuleRole::PositionEmbedding, T, h),
                        norm_module("embeddings.LayerNorm", h, NormKind::LayerNorm)};
  LayerSpec spec;
  spec.attn = {AttnKind::Standard, H, H, h / H, h / H};
  spec.ffn.kind = FfnKind::Dense;
  spec.ffn.gated = false;
  spec.ffn.intermediate = I;
  spec.encoder = true;
  std::vector<Module> ms = {linear("query", ModuleRole::Attention, h, h, true),
                            linear("key", ModuleRole::Attention, h, h, true),
                            linear("value", ModuleRole::Attention, h, h, true),
                            linear("attention.output.dense", ModuleRole::Attention, h, h, true),
                            norm_module("attention.output.LayerNorm", h, NormKind::LayerNorm),
                            linear("intermediate.dense", ModuleRole::Mlp, h, I, true),
                            linear("output.dense", ModuleRole::Mlp, I, h, true),
                            norm_module("output.LayerNorm", h, NormKind::LayerNorm)};
  for (std::int64_t i = 0; i < L; ++i) append_layer(*arch, spec, ms);
  arch->tail_modules = {linear("pooler.dense", ModuleRole::Other, h, h, true),
                        linear("classifier", ModuleRole::Other, h, labels, true)};
  return arch;
}

std::shared_ptr<ModelArch> build_t5(const Fields& f, const std::string& type) {
  Errors& errors = f.errors();
  auto arch = std::make_shared<ModelArch>();
  arch->model_type = type;
  const std::int64_t V = f.required({"vocab_size"}, 1, kMaxVocab);
  const std::int64_t d = f.required({"d_model"}, 1, kMaxHidden);
  const std::int64_t ff = f.required({"d_ff"}, 1, kMaxIntermediate);
  const std::int64_t dkv = f.required({"d_kv"}, 1, kMaxHeadDim);
  const std::int64_t H = f.required({"num_heads"}, 1, kMaxHeads);
  const std::int64_t Le = f.required({"num_layers"}, 1, kMaxLayers);
  const std::int64_t Ld = f.integer({"num_decoder_layers"}, 1, kMaxLayers).value_or(Le);
  const std::int64_t buckets =
      f.integer({"relative_attention_num_buckets"}, 1, kMaxPositions).value_or(32);
  const std::string proj = f.string({"feed_forward_proj"}).value_or("relu");
  const bool gated = proj.rfind("gated", 0) == 0;
  if (!errors.empty()) return nullptr;
  arch->vocab_size = V;
  arch->hidden_size = d;
  arch->num_layers = Le + Ld;
  arch->encoder_decoder = true;
  arch->encoder_layers = Le;
  arch->norm = NormKind::RmsNorm;
  arch->tie_embeddings = f.boolean({"tie_word_embeddings"}).value_or(true);
  arch->max_position_embeddings = 0;
  arch->head_modules = {table("shared", ModuleRole::Embedding, V, d)};

  auto attn = [&](const std::string& p) {
    return std::vector<Module>{linear(p + "q", ModuleRole::Attention, d, H * dkv, false),
                               linear(p + "k", ModuleRole::Attention, d, H * dkv, false),
                               linear(p + "v", ModuleRole::Attention, d, H * dkv, false),
                               linear(p + "o", ModuleRole::Attention, H * dkv, d, false)};
  };
  auto ffn = [&]() {
    std::vector<Module> ms;
    if (gated) {
      ms.push_back(linear("wi_0", ModuleRole::Mlp, d, ff, false));
      ms.push_back(linear("wi_1", ModuleRole::Mlp, d, ff, false));
    } else {
      ms.push_back(linear("wi", ModuleRole::Mlp, d, ff, false));
    }
    ms.push_back(linear("wo", ModuleRole::Mlp, ff, d, false));
    return ms;
  };
  for (int stack = 0; stack < 2; ++stack) {
    const bool decoder = stack == 1;
    const std::int64_t n = decoder ? Ld : Le;
    for (std::int64_t i = 0; i < n; ++i) {
      LayerSpec spec;
      spec.attn = {AttnKind::Standard, H, H, dkv, dkv};
      spec.ffn.kind = FfnKind::Dense;
      spec.ffn.gated = gated;
      spec.ffn.intermediate = ff;
      spec.encoder = !decoder;
      spec.cross_attention = decoder;
      std::vector<Module> ms = attn("");
      ms.push_back(norm_module("layer_norm", d, NormKind::RmsNorm));
      if (decoder) {
        auto c = attn("EncDecAttention.");
        ms.insert(ms.end(), c.begin(), c.end());
        ms.push_back(norm_module("layer_norm", d, NormKind::RmsNorm));
      }
      auto m = ffn();
      ms.insert(ms.end(), m.begin(), m.end());
      ms.push_back(norm_module("layer_norm", d, NormKind::RmsNorm));
      if (i == 0) ms.push_back(table("relative_attention_bias", ModuleRole::Other, buckets, H));
      append_layer(*arch, spec, std::move(ms));
    }
    arch->tail_modules.push_back(norm_module(
        decoder ? "decoder.final_layer_norm" : "encoder.final_layer_norm", d, NormKind::RmsNorm));
  }
  if (!arch->tie_embeddings)
    arch->tail_modules.push_back(linear("lm_head", ModuleRole::LmHead, d, V, false));
  return arch;
}

// ---------------------------------------------------------------------------
// Vision encoders of multimodal checkpoints.

// SigLIP (Gemma 3): conv patch embedding, learned positions, pre-LN blocks
// with biased q/k/v/o and a 2-matrix GELU MLP, a post LayerNorm; then Gemma 3's
// projector (vision_h x text_h matrix and an RMSNorm of vision_h).
std::optional<double> siglip_params(const json& vc, std::int64_t text_hidden) {
  auto get = [&](const char* k, std::int64_t dflt) {
    auto it = vc.find(k);
    return it != vc.end() && it->is_number_integer() ? it->get<std::int64_t>() : dflt;
  };
  const double h = double(get("hidden_size", 768));
  const double I = double(get("intermediate_size", 3072));
  const double L = double(get("num_hidden_layers", 12));
  const double c = double(get("num_channels", 3));
  const double p = double(get("patch_size", 16));
  const double img = double(get("image_size", 224));
  if (h <= 0 || I <= 0 || L <= 0 || p <= 0 || img <= 0 || h > kMaxHidden || L > kMaxLayers)
    return std::nullopt;
  const double patches = std::floor(img / p) * std::floor(img / p);
  const double embed = c * p * p * h + h + patches * h;
  const double layer = 4 * (h * h + h) + 2 * (2 * h) + (h * I + I) + (I * h + h);
  const double vision = embed + L * layer + 2 * h;
  const double projector = h * double(text_hidden) + h;
  return vision + projector;
}

// Qwen2/2.5-VL ViT: conv3d patch embedding, RMSNorm blocks with a fused
// biased qkv and a gated (2.5) or plain (2) MLP, and the patch merger.
std::optional<double> qwen_vl_vision_params(const json& vc, std::int64_t text_hidden, bool v25) {
  auto get = [&](const char* k, std::int64_t dflt) {
    auto it = vc.find(k);
    return it != vc.end() && it->is_number_integer() ? it->get<std::int64_t>() : dflt;
  };
  const double h = double(get("hidden_size", get("embed_dim", 1280)));
  const double depth = double(get("depth", 32));
  const double c = double(get("in_chans", get("in_channels", 3)));
  const double p = double(get("patch_size", 14));
  const double tp = double(get("temporal_patch_size", 2));
  const double merge = double(get("spatial_merge_size", 2));
  const double out = double(get("out_hidden_size", get("hidden_size", text_hidden)));
  if (h <= 0 || depth <= 0 || depth > kMaxLayers || h > kMaxHidden) return std::nullopt;
  const double patch = c * tp * p * p * h;
  double block;
  if (v25) {
    const double I = double(get("intermediate_size", 3420));
    block = 2 * h + (h * 3 * h + 3 * h) + (h * h + h) + 2 * (h * I + I) + (I * h + h);
  } else {
    const double ratio = double(get("mlp_ratio", 4));
    const double I = h * ratio;
    block = 2 * (2 * h) + (h * 3 * h + 3 * h) + (h * h + h) + (h * I + I) + (I * h + h);
  }
  const double merged = h * merge * merge;
  const double merger = (v25 ? h : 2 * h) + (merged * merged + merged) + (merged * out + out);
  (void)text_hidden;
  return patch + depth * block + merger;
}

}  // namespace

// ---------------------------------------------------------------------------

std::shared_ptr<const ModelArch> parse_config(const json& config, std::string_view field,
                                              Errors& errors) {
  const std::string prefix(field);
  if (!config.is_object()) {
    errors.add(prefix, std::string(field.substr(field.rfind('.') + 1)) +
                           " must be a JSON object (a config.json), got " +
                           Fields::type_name(config));
    return nullptr;
  }
  Fields top(config, prefix, errors);
  const std::string outer_type = top.string({"model_type"}).value_or("");

  // Multimodal: the text decoder's fields live under text_config.
  const json* text = nullptr;
  if (auto it = config.find("text_config"); it != config.end() && !it->is_null()) {
    if (!it->is_object()) {
      errors.add(prefix + ".text_config", "text_config must be an object");
      return nullptr;
    }
    text = &*it;
  }
  std::string type = outer_type;
  std::shared_ptr<ModelArch> arch;
  if (text) {
    Fields tf(*text, prefix + ".text_config", errors, &config, prefix);
    type = tf.string({"model_type"}).value_or(text_type_for(outer_type));
    if (type == "gemma3" || type.empty())
      type = text_type_for(outer_type.empty() ? "llama" : outer_type);
    if (type == "mistral3") type = "mistral";
    arch = build_decoder(tf, traits_for(type));
  } else if (type == "bert" || type == "roberta") {
    arch = build_bert(top);
  } else if (type == "t5" || type == "mt5" || type == "umt5") {
    arch = build_t5(top, type);
  } else {
    if (type.empty()) {
      errors.add(prefix + ".model_type", "model_type is required");
      return nullptr;
    }
    arch = build_decoder(top, traits_for(type));
  }
  if (!arch) return nullptr;
  if (text) arch->model_type = type;

  // dtype, quantization (quantization_config may sit at either level).
  arch->torch_dtype = top.string({"torch_dtype", "dtype"}).value_or("");
  if (text && arch->torch_dtype.empty()) {
    Fields tf(*text, prefix + ".text_config", errors);
    arch->torch_dtype = tf.string({"torch_dtype", "dtype"}).value_or("");
  }
  if (auto it = config.find("quantization_config"); it != config.end())
    arch->quantization = read_quantization(*it);
  else if (text && text->contains("quantization_config"))
    arch->quantization = read_quantization((*text)["quantization_config"]);

  // Vision encoders.
  if (auto vc = config.find("vision_config"); vc != config.end() && vc->is_object()) {
    const std::string vtype = vc->value("model_type", std::string());
    std::optional<double> vp;
    if (vtype == "siglip_vision_model" || outer_type == "gemma3")
      vp = siglip_params(*vc, arch->hidden_size);
    else if (outer_type == "qwen2_5_vl" || outer_type == "qwen2_vl")
      vp = qwen_vl_vision_params(*vc, arch->hidden_size, outer_type == "qwen2_5_vl");
    if (vp) {
      Module m;
      m.name = "vision_tower";
      m.role = ModuleRole::Vision;
      m.in = 1;
      m.out = std::int64_t(*vp);
      arch->extra_modules.push_back(m);
    } else {
      arch->warnings.push_back("the vision encoder (" + (vtype.empty() ? outer_type : vtype) +
                               ") is not counted: only the text decoder is");
    }
  }
  if (auto n = top.integer({"num_nextn_predict_layers"}, 0, kMaxLayers); n && *n > 0)
    arch->warnings.push_back("the " + std::to_string(*n) +
                             " multi-token-prediction layer(s) in the checkpoint are not counted "
                             "(not loaded for plain inference)");

  const ParamTotals totals = count_params(*arch);
  if (totals.total.value > kMaxModelParams) {
    errors.add(prefix, "the model has " + format_count(totals.total.value) +
                           " parameters, more than the 1e14 this estimator accepts");
    return nullptr;
  }
  arch->display_name = type + " (config.json)";
  return arch;
}

json parse_json_limited(std::string_view text, std::string_view field, std::size_t max_bytes,
                        Errors& errors) {
  const std::string name(field.substr(field.rfind('.') + 1));
  if (text.size() > max_bytes) {
    errors.add(std::string(field), name + " is too large (" + format_count(double(text.size())) +
                                       " bytes, at most " + format_count(double(max_bytes)) + ")");
    return json(json::value_t::discarded);
  }
  // Nesting depth, outside strings, before the parser sees it.
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth) {
        errors.add(std::string(field), name + " is nested too deeply (more than " +
                                           std::to_string(kMaxJsonDepth) + " levels)");
        return json(json::value_t::discarded);
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e400
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    errors.add(std::string(field), name + " is not valid JSON: " + what);
  }
  return json(json::value_t::discarded);
}

std::shared_ptr<const ModelArch> parse_config_text(std::string_view text, std::string_view field,
                                                   Errors& errors) {
  json j = parse_json_limited(text, field, kMaxConfigTextBytes, errors);
  if (j.is_discarded()) return nullptr;
  return parse_config(j, field, errors);
}

}  // namespace llmmem
