// Decoder-only transformers: the family's conventions (families.cpp), the
// config's sizes, MoE, MLA, sliding windows, DeciLM per-block configs and
// mllama cross-attention layers, then every layer's modules.
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/builders.hpp"
#include "model/decoder_layer.hpp"
#include "model/families.hpp"
#include "model/layer_kinds.hpp"
#include "model/mixers.hpp"
#include "model/module_makers.hpp"

namespace llmmem {
namespace {

using json = Json;

struct Dims {
  std::int64_t vocab = 0, hidden = 0, layers = 0, heads = 0, kv_heads = 0, head_dim = 0,
               intermediate = 0;
};

// Which layers are MoE layers, and their experts.
struct MoeShape {
  std::int64_t experts = 0, top_k = 0, expert_width = 0, shared_width = 0;
  std::int64_t first_dense = 0, frequency = 1, sparse_step = 1;
  std::vector<std::int64_t> mlp_only;               // sorted: one binary search per layer
  std::optional<std::vector<std::int64_t>> listed;  // Llama 4 moe_layers, sorted

  bool is_moe_layer(std::int64_t i) const {
    if (listed) return experts > 0 && std::binary_search(listed->begin(), listed->end(), i);
    return experts > 0 && i >= first_dense && (i % frequency == 0) &&
           !std::binary_search(mlp_only.begin(), mlp_only.end(), i) && ((i + 1) % sparse_step == 0);
  }
};

// Everything read from the config before the layers are built.
struct DecoderShape {
  Dims dims;
  MoeShape moe;
  AttentionSpec attention;                           // every layer's, before per-layer changes
  std::vector<std::int64_t> cross_layers;            // mllama: cross-attention layers, sorted
  std::vector<std::int64_t> windows;                 // sliding window per layer, 0 = global
  std::vector<bool> short_conv;                      // LFM2: convolution layers
  std::vector<bool> delta_net;                       // Qwen3-Next: Gated DeltaNet layers
  std::vector<bool> kimi_delta;                      // Kimi Linear: KDA layers
  std::vector<HybridBlock> hybrid;                   // Nemotron-H: each layer's one block
  std::vector<bool> mamba_mixer;                     // Granite 4.0, Jamba: Mamba layers
  LayerSpec mixer_state;                             // and their state per sequence
  std::vector<Module> mamba;                         // the modules of its Mamba layers
  std::int64_t index_heads = 0, index_head_dim = 0;  // DeepSeek-V3.2's indexer
  std::optional<GlobalAttention> global;             // Gemma 4's full-attention layers
  const json* blocks = nullptr;                      // DeciLM block_configs, one per layer
};

std::optional<std::int64_t> nonzero(std::int64_t v) {
  return v ? std::optional<std::int64_t>(v) : std::nullopt;
}

void apply_attention_bias(Family& family, bool on) {
  switch (family.attention_bias) {
    case AttentionBiasField::QkvOnly:
      family.qkv_bias = on;  // q, k, v only
      return;
    case AttentionBiasField::AddsToQkvAndO:
      if (on) family.qkv_bias = family.o_bias = true;
      return;
    case AttentionBiasField::QkvAndO:
      family.qkv_bias = family.o_bias = on;
      return;
  }
}

void apply_config_overrides(const Fields& f, Family& family) {
  // Helper fields of this project's catalog (model-configs.md) override the family.
  if (auto mk = f.string({"mlp_kind"})) family.gated = mk->rfind("gated", 0) == 0;
  if (auto nk = f.string({"norm_kind"})) {
    if (*nk == "layernorm")
      family.norm = NormKind::LayerNorm;
    else if (*nk == "layernorm_no_bias")
      family.norm = NormKind::LayerNormNoBias;
    else
      family.norm = NormKind::RmsNorm;
  }
  if (auto qb = f.boolean({"qkv_bias"})) family.qkv_bias = *qb;
  if (auto ab = f.boolean({"attention_bias"})) apply_attention_bias(family, *ab);
  if (auto mb = f.boolean({"mlp_bias"})) family.mlp_bias = *mb;
  if (auto ob = f.boolean({"attention_out_bias"})) family.o_bias = *ob;  // Seed-OSS
  if (auto qn = f.boolean({"qk_norm", "use_qk_norm"}); qn) {
    if (!*qn)
      family.qk_norm = QkNorm::None;
    else if (family.qk_norm == QkNorm::None)
      family.qk_norm = family.qk_norm_when_enabled;
  }
  if (auto pa = f.boolean({"parallel_attn", "use_parallel_residual"})) family.parallel = *pa;
  if (auto rb = f.boolean({"use_routing_bias"})) family.router_correction_bias = *rb;  // MiniMax
  if (family.bias_field) {
    const bool bias = f.boolean({family.bias_field}).value_or(false);
    family.qkv_bias = family.o_bias = family.mlp_bias = bias;
  }
}

// Key/value heads: num_key_value_heads, Falcon's num_kv_heads / multi_query.
std::optional<std::int64_t> read_kv_heads(const Fields& f, Family& family, std::int64_t heads) {
  std::optional<std::int64_t> kv = f.integer({"num_key_value_heads"}, 1, kMaxHeads);
  if (family.kv_heads == KvHeadsField::Falcon) {
    const bool new_arch = f.boolean({"new_decoder_architecture"}).value_or(false);
    if (new_arch) {
      kv = f.integer({"num_kv_heads"}, 1, kMaxHeads);
      family.names.layer_norms = {"ln_attn", "ln_mlp"};
      family.parallel = true;
    } else {
      const bool mq = f.boolean({"multi_query"}).value_or(true);
      kv = mq ? 1 : heads;
      if (family.parallel)
        family.names.layer_norms = {"input_layernorm"};
      else
        family.names.layer_norms = {"input_layernorm", "post_attention_layernorm"};
    }
  } else if (family.kv_heads == KvHeadsField::MultiQuery) {
    kv = f.boolean({"multi_query"}).value_or(true) ? 1 : heads;
  }
  if (!kv && family.defaults.kv_heads) kv = family.defaults.kv_heads;
  return kv;
}

std::int64_t read_head_dim(const Fields& f, const Family& family, const Dims& d) {
  std::optional<std::int64_t> hd =
      f.integer({"head_dim", "head_size", "kv_channels"}, 1, kMaxHeadDim);
  if (!hd && family.default_head_dim) hd = family.default_head_dim;
  const bool mla = f.find({"kv_lora_rank"}).value != nullptr;  // head sizes of its own
  if (!hd && d.heads > 0 && d.hidden > 0 && !mla) {
    if (d.hidden % d.heads != 0)
      f.errors().add(f.prefix() + ".num_attention_heads",
                     "num_attention_heads must divide hidden_size when head_dim is absent (" +
                         std::to_string(d.hidden) + " / " + std::to_string(d.heads) + ")");
    else
      hd = d.hidden / d.heads;
  }
  return hd.value_or(0);
}

// MLP width: intermediate_size, n_inner, ffn_hidden_size, or 4h for plain MLPs.
std::int64_t read_intermediate(const Fields& f, const Family& family, std::int64_t hidden) {
  std::optional<std::int64_t> inter =
      f.integer({"intermediate_size", "n_inner", "ffn_hidden_size", "d_ff", "block_ff_dim"}, 1,
                kMaxIntermediate);
  if (!inter && !family.gated) inter = 4 * hidden;
  if (!inter && family.defaults.intermediate) inter = family.defaults.intermediate;
  const bool decilm = f.obj().contains("block_configs");  // widths per block
  // MoE configs without one (Qwen3.5-MoE) need it only for dense layers (read_moe).
  const bool moe = f.find({"num_local_experts", "num_experts", "n_routed_experts"}).value;
  if (!inter && !decilm && !moe)
    f.errors().add(f.prefix() + ".intermediate_size", "intermediate_size is required");
  return inter.value_or(0);
}

Dims read_dims(const Fields& f, Family& family) {
  Errors& errors = f.errors();
  const SizeDefaults& defaults = family.defaults;
  Dims d;
  const Fields::Found vocab = f.find_with_parent({"vocab_size", "padded_vocab_size"});
  d.vocab = f.check_integer(vocab, 1, kMaxVocab).value_or(0);
  if (!vocab.value) {
    if (defaults.vocab)
      d.vocab = defaults.vocab;
    else
      errors.add(f.prefix() + ".vocab_size", "vocab_size is required");
  }
  d.hidden = f.required({"hidden_size", "n_embd", "n_embed", "d_model"}, 1, kMaxHidden,
                        nonzero(defaults.hidden));
  d.layers = f.required({"num_hidden_layers", "n_layer", "num_layers"}, 1, kMaxLayers,
                        nonzero(defaults.layers));
  d.heads = f.required({"num_attention_heads", "n_head", "num_heads"}, 1, kMaxHeads,
                       nonzero(defaults.heads));
  d.kv_heads = read_kv_heads(f, family, d.heads).value_or(d.heads);
  d.head_dim = read_head_dim(f, family, d);
  if (d.heads > 0 && d.kv_heads > 0 && d.heads % d.kv_heads != 0)
    errors.add(f.prefix() + ".num_key_value_heads",
               "num_key_value_heads must divide num_attention_heads (" + std::to_string(d.heads) +
                   " / " + std::to_string(d.kv_heads) + ")");
  d.intermediate = read_intermediate(f, family, d.hidden);
  if (family.dense_width_field)  // Llama 4, Granite 4.0: the dense MLP's own key
    d.intermediate = f.required({family.dense_width_field}, 1, kMaxIntermediate,
                                nonzero(family.defaults.dense_width));
  if (family.short_conv && d.intermediate > 0) d.intermediate = lfm2_ffn_width(f, d.intermediate);
  return d;
}

// A list of layer indices (mlp_only_layers, cross_attention_layers), sorted once
// so that each layer looks itself up by binary search. A list longer than the
// model has layers is refused before it is read, so no list costs more than
// one pass. Entries that are not integers are ignored, as before.
std::vector<std::int64_t> read_layer_indices(const Fields& f, const Fields::Found& list,
                                             std::int64_t layers) {
  const std::int64_t most = layers > 0 ? layers : kMaxLayers;
  if (std::int64_t(list.value->size()) > most) {
    f.errors().add(list.path, list.key + " lists " + std::to_string(list.value->size()) +
                                  " layers, more than the model has (" + std::to_string(most) +
                                  ")");
    return {};
  }
  std::vector<std::int64_t> indices;
  indices.reserve(list.value->size());
  for (const auto& x : *list.value)
    if (x.is_number_integer()) indices.push_back(x.get<std::int64_t>());
  std::sort(indices.begin(), indices.end());
  return indices;
}

MoeShape read_moe(const Fields& f, Family& family, const Dims& d) {
  const std::int64_t intermediate = d.intermediate;
  MoeShape moe;
  const std::int64_t least = family.mamba_layer_types ? 0 : 1;  // Granite 4.0 H: 0 is dense
  moe.experts =
      f.integer({"num_local_experts", "num_experts", "n_routed_experts"}, least, kMaxExperts)
          .value_or(0);
  moe.top_k =
      f.integer({"num_experts_per_tok", "experts_per_token", "num_experts_per_token", "moe_topk"},
                least, kMaxExperts)
          .value_or(0);
  if (moe.experts > 0 && moe.top_k == 0) {
    f.errors().add(f.prefix() + ".num_experts_per_tok",
                   "num_experts_per_tok is required for MoE models");
  }
  if (moe.experts > 0 && moe.top_k > moe.experts) {
    f.errors().add(f.prefix() + ".num_experts_per_tok",
                   "num_experts_per_tok must not exceed the number of experts (" +
                       std::to_string(moe.top_k) + " > " + std::to_string(moe.experts) + ")");
    moe.top_k = moe.experts;
  }
  moe.expert_width =
      f.integer({"moe_intermediate_size"}, 1, kMaxIntermediate).value_or(intermediate);
  // 0 is "no shared expert" (Qwen3-Coder-480B-A35B's config.json says so).
  moe.shared_width =
      f.integer({"shared_expert_intermediate_size"}, 0, kMaxIntermediate).value_or(0);
  if (auto ns = f.integer({"n_shared_experts", "num_shared_experts"}, 0, kMaxExperts); ns)
    moe.shared_width = *ns * moe.expert_width;
  if (auto ns = f.integer({"num_shared_expert"}, 0, kMaxExperts);  // HunYuan: of intermediate_size
      ns && f.boolean({"use_mixed_mlp_moe"}).value_or(true))
    moe.shared_width = *ns * intermediate;
  if (auto w = f.integer({"moe_shared_expert_intermediate_size"}, 1, kMaxIntermediate))
    moe.shared_width = *w;  // Nemotron-H
  if (auto w = f.integer({"shared_intermediate_size"}, 0, kMaxIntermediate); w && *w > 0)
    moe.shared_width = *w;       // MiniMax-M2 (0 = none)
  if (family.dense_width_field)  // intermediate_size is the experts' (Llama 4, Granite 4.0)
    moe.expert_width = f.integer({"intermediate_size"}, 1, kMaxIntermediate)
                           .value_or(family.defaults.intermediate);
  if (moe.shared_width == 0) moe.shared_width = family.default_shared_experts * moe.expert_width;
  moe.first_dense = f.integer({"first_k_dense_replace"}, 0, kMaxLayers).value_or(0);
  moe.frequency = f.integer({"moe_layer_freq"}, 1, kMaxLayers).value_or(1);
  moe.sparse_step =
      f.integer({"decoder_sparse_step", "interleave_moe_layer_step"}, 1, kMaxLayers).value_or(1);
  if (auto ml = f.find({"moe_layers"});
      family.dense_width_field && ml.value && ml.value->is_array())
    moe.listed = read_layer_indices(f, ml, d.layers);
  if (auto jamba = jamba_moe_layers(f, family, d.layers)) moe.listed = std::move(jamba);
  if (auto mo = f.find({"mlp_only_layers"}); mo.value) {
    if (!mo.value->is_array())
      f.errors().add(mo.path, "mlp_only_layers must be an array of layer indices");
    else
      moe.mlp_only = read_layer_indices(f, mo, d.layers);
  }
  if (family.correction_bias_from_topk_method) {
    const std::string method = f.string({"topk_method"}).value_or("noaux_tc");
    family.router_correction_bias = method == "noaux_tc";
  }
  for (std::int64_t i = 0; i < d.layers && d.intermediate == 0 && moe.experts > 0; ++i)
    if (!moe.is_moe_layer(i)) {
      f.errors().add(f.prefix() + ".intermediate_size", "intermediate_size is required: layer " +
                                                            std::to_string(i) + " has a dense MLP");
      break;
    }
  return moe;
}

// DeepSeek-V3.2's lightning indexer (inference/model.py, Indexer): queries
// from the q latent, one shared key, a LayerNorm on it and per-head weights.
std::vector<Module> indexer_modules(const DecoderShape& shape, std::int64_t h) {
  const std::int64_t heads = shape.index_heads, dim = shape.index_head_dim;
  const std::int64_t q_in = shape.attention.q_lora_rank > 0 ? shape.attention.q_lora_rank : h;
  return {linear("indexer.wq_b", ModuleRole::Attention, q_in, heads * dim, false),
          linear("indexer.wk", ModuleRole::Attention, h, dim, false),
          norm_module("indexer.k_norm", dim, NormKind::LayerNorm),
          linear("indexer.weights_proj", ModuleRole::Attention, h, heads, false)};
}

// Standard attention, or MLA when kv_lora_rank is set.
AttentionSpec read_attention(const Fields& f, const Dims& d) {
  AttentionSpec a;
  a.kind = AttnKind::Standard;
  a.num_heads = d.heads;
  a.num_kv_heads = d.kv_heads;
  a.head_dim = d.head_dim;
  a.v_head_dim = d.head_dim;
  const std::int64_t kv_lora = f.integer({"kv_lora_rank"}, 1, kMaxHidden).value_or(0);
  if (kv_lora > 0) {
    a.kind = AttnKind::Mla;
    a.kv_lora_rank = kv_lora;
    a.q_lora_rank = f.integer({"q_lora_rank"}, 1, kMaxHidden).value_or(0);
    a.qk_nope_head_dim = f.required({"qk_nope_head_dim"}, 1, kMaxHeadDim);
    a.qk_rope_head_dim = f.required({"qk_rope_head_dim"}, 1, kMaxHeadDim);
    a.v_head_dim = f.required({"v_head_dim"}, 1, kMaxHeadDim);
    a.head_dim = a.qk_nope_head_dim + a.qk_rope_head_dim;
    a.num_kv_heads = d.heads;  // the latent expands to every head
  }
  return a;
}

// DeciLM (nemotron-nas) FFN width: find_multiple(int(2 * ffn_mult * h / 3), 256).
std::int64_t decilm_ffn_width(double mult, std::int64_t h) {
  const auto w = std::int64_t(2.0 * mult * double(h) / 3.0);
  return (w + 255) / 256 * 256;
}

json member(const json& o, const char* key) {
  return o.is_object() && o.contains(key) ? o[key] : json();
}

bool flag(const json& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_boolean() && o[key].get<bool>();
}

// A layer's modules being built, and whether each sub-block keeps its norm
// (DeciLM drops the norm of a no-op sub-block).
struct LayerBuild {
  LayerSpec spec;
  std::vector<Module> modules;
  bool attention_norm = true, ffn_norm = true;
};

// DeciLM's attention of one block: none, one linear layer, or fewer KV heads.
bool apply_block_attention(const json& at, const std::string& path, const Dims& d,
                           LayerBuild& layer, Errors& errors) {
  if (flag(at, "no_op")) {
    layer.spec.attn.kind = AttnKind::None;
    layer.attention_norm = false;
  } else if (flag(at, "replace_with_linear")) {
    layer.spec.attn.kind = AttnKind::None;
    layer.modules.push_back(
        linear("linear_attn", ModuleRole::Attention, d.hidden, d.hidden, false));
  } else if (at.is_object() && at.contains("n_heads_in_group") &&
             at["n_heads_in_group"].is_number_integer()) {
    const auto g = at["n_heads_in_group"].get<std::int64_t>();
    if (g < 1 || d.heads % g != 0) {
      errors.add(path + ".attention.n_heads_in_group",
                 "n_heads_in_group must divide num_attention_heads");
      return false;
    }
    layer.spec.attn.num_kv_heads = d.heads / g;
  }
  return true;
}

// DeciLM's FFN of one block: none, one linear layer, or a width from ffn_mult.
bool apply_block_ffn(const json& ff, const std::string& path, const Dims& d, LayerBuild& layer,
                     Errors& errors) {
  if (flag(ff, "no_op")) {
    layer.spec.ffn.kind = FfnKind::None;
    layer.ffn_norm = false;
  } else if (flag(ff, "replace_with_linear")) {
    layer.spec.ffn.kind = FfnKind::None;
    layer.modules.push_back(linear("linear_mlp", ModuleRole::Mlp, d.hidden, d.hidden, false));
  } else if (ff.is_object() && ff.contains("ffn_mult") && ff["ffn_mult"].is_number()) {
    const double mult = ff["ffn_mult"].get<double>();
    if (!(mult > 0 && mult < 1000)) {
      errors.add(path + ".ffn.ffn_mult", "ffn_mult must be a positive number");
      return false;
    }
    layer.spec.ffn.intermediate = decilm_ffn_width(mult, d.hidden);
  } else {
    errors.add(path + ".ffn", "ffn needs ffn_mult, no_op or replace_with_linear");
    return false;
  }
  return true;
}

bool apply_block_config(const Fields& f, const json& block, std::int64_t i, const Dims& d,
                        LayerBuild& layer) {
  const std::string path = f.prefix() + ".block_configs[" + std::to_string(i) + "]";
  return apply_block_attention(member(block, "attention"), path, d, layer, f.errors()) &&
         apply_block_ffn(member(block, "ffn"), path, d, layer, f.errors());
}

// Layer i's attention and FFN shape before DeciLM's per-block changes.
LayerSpec layer_spec(const Family& family, const DecoderShape& shape, std::int64_t i) {
  LayerSpec spec;
  spec.parallel = family.parallel;
  spec.attn = shape.attention;
  spec.attn.sliding_window = shape.windows[std::size_t(i)];
  spec.attn.chunked = family.chunked_attention && spec.attn.sliding_window > 0;
  spec.ffn.gated = family.gated;
  if (shape.moe.is_moe_layer(i)) {
    spec.ffn.kind = FfnKind::Moe;
    spec.ffn.num_experts = shape.moe.experts;
    spec.ffn.top_k = shape.moe.top_k;
    spec.ffn.expert_intermediate = shape.moe.expert_width;
    spec.ffn.shared_intermediate = shape.moe.shared_width;
  } else {
    spec.ffn.kind = FfnKind::Dense;
    spec.ffn.intermediate = shape.dims.intermediate;
  }
  return spec;
}

void append_modules(std::vector<Module>& to, std::vector<Module> from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// Nemotron-H: layer i is one block, a Mamba-2 mixer, MoE, attention or MLP.
void apply_hybrid_block(const DecoderShape& shape, std::int64_t i, LayerBuild& layer) {
  const HybridBlock block = shape.hybrid[std::size_t(i)];
  LayerSpec& spec = layer.spec;
  if (block != HybridBlock::Attention) spec.attn = AttentionSpec{.kind = AttnKind::None};
  if (block == HybridBlock::Mlp) {
    spec.ffn.kind = FfnKind::Dense;
    spec.ffn.intermediate = shape.dims.intermediate;
  } else if (block != HybridBlock::Moe) {
    spec.ffn = FfnSpec{.kind = FfnKind::None};
  }
  if (block == HybridBlock::Mamba) append_modules(layer.modules, shape.mamba);
}

// Builds layer i and appends it; false (with an error) on a bad DeciLM block.
bool append_decoder_layer(ModelArch& arch, const Fields& f, const Family& family,
                          const DecoderShape& shape, std::int64_t i) {
  const std::int64_t h = shape.dims.hidden;
  LayerBuild layer;
  layer.spec = layer_spec(family, shape, i);
  layer.modules.reserve(24);
  if (shape.blocks && !apply_block_config(f, (*shape.blocks)[std::size_t(i)], i, shape.dims, layer))
    return false;
  LayerSpec& spec = layer.spec;
  std::vector<Module>& ms = layer.modules;
  if (shape.global) {  // Gemma 4: the global geometry and a layer_scalar buffer per layer
    apply_global_attention(*shape.global, spec.attn);
    ms.push_back(vector_module("layer_scalar", ModuleRole::Other, 1));
  }

  const bool cross = std::binary_search(shape.cross_layers.begin(), shape.cross_layers.end(), i);
  if (cross) spec.attn.kind = AttnKind::Cross;
  const bool conv = !shape.short_conv.empty() && shape.short_conv[std::size_t(i)];
  if (conv) {
    spec.attn = AttentionSpec{.kind = AttnKind::None};
    append_modules(ms, short_conv_modules(f, h));
    set_short_conv_state(f, h, spec);
  }
  if (!shape.delta_net.empty() && shape.delta_net[std::size_t(i)]) {
    spec.attn = AttentionSpec{.kind = AttnKind::None};
    append_modules(ms, delta_net_modules(f, h, spec, family.delta_net_split_in_proj));
  }
  if (!shape.kimi_delta.empty() && shape.kimi_delta[std::size_t(i)]) {
    spec.attn = AttentionSpec{.kind = AttnKind::None};
    append_modules(ms, kimi_delta_modules(f, h, spec));
  }
  if (!shape.hybrid.empty()) apply_hybrid_block(shape, i, layer);
  if (!shape.hybrid.empty() && shape.hybrid[std::size_t(i)] == HybridBlock::Mamba)
    set_mamba2_state(f, spec);
  if (!shape.mamba_mixer.empty() && shape.mamba_mixer[std::size_t(i)]) {
    spec.attn = AttentionSpec{.kind = AttnKind::None};
    append_modules(ms, shape.mamba);
    spec.conv_state = shape.mixer_state.conv_state, spec.ssm_state = shape.mixer_state.ssm_state;
  }
  append_modules(ms,
                 attention_modules(family, spec.attn, h, cross ? QkNorm::PerHead : family.qk_norm));
  if (shape.index_heads > 0 && spec.attn.kind == AttnKind::Mla) {
    append_modules(ms, indexer_modules(shape, h));
    spec.attn.index_head_dim = shape.index_head_dim;
  }
  if (cross) {
    ms.push_back(vector_module("cross_attn_attn_gate", ModuleRole::Other, 1));
    ms.push_back(vector_module("cross_attn_mlp_gate", ModuleRole::Other, 1));
  }
  if (spec.ffn.kind == FfnKind::Dense)
    append_modules(ms, dense_mlp(family, h, spec.ffn.intermediate, family.gated, family.mlp_bias));
  else if (spec.ffn.kind == FfnKind::Moe)
    append_modules(ms, moe_modules(family, spec.ffn, h));

  const auto& norms = family.names.layer_norms;
  for (std::size_t n = 0; n < norms.size() && !norms[n].empty(); ++n) {
    if (n == 0 && !layer.attention_norm) continue;
    if (n == 1 && !layer.ffn_norm) continue;
    ms.push_back(norm_module(norms[n], h, family.norm));
  }
  append_layer(arch, spec, std::move(ms));
  return true;
}

// Embedding and positions.
void append_embeddings(ModelArch& arch, const Family& family, const Dims& d) {
  arch.head_modules.push_back(table_module(family.names.embed, ModuleRole::Embedding,
                                           d.vocab + family.extra_embedding_rows, d.hidden));
  if (!family.names.positions.empty())
    arch.head_modules.push_back(table_module(family.names.positions, ModuleRole::PositionEmbedding,
                                             arch.max_position_embeddings, d.hidden));
  if (!family.names.embed_norm.empty())
    arch.head_modules.push_back(norm_module(family.names.embed_norm, d.hidden, family.norm));
}

// DeciLM per-block configs, when the config has them; false (with an error)
// when they do not list one block per layer.
bool read_blocks(const Fields& f, std::int64_t layers, const json*& blocks) {
  if (!f.obj().contains("block_configs")) return true;
  const json& b = f.obj()["block_configs"];
  if (!b.is_array() || std::int64_t(b.size()) != layers) {
    f.errors().add(f.prefix() + ".block_configs",
                   "block_configs must list one block per layer (" + std::to_string(layers) + ")");
    return false;
  }
  blocks = &b;
  return true;
}

// The family's conventions for `model_type`, or an error when the table has
// no decoder of that name (parse_config refuses unknown types before this).
const Family* decoder_family(const Fields& f, const std::string& model_type) {
  const Family* row = find_family(model_type);
  if (row && row->builder == Builder::Decoder) return row;
  f.errors().add(f.prefix() + ".model_type",
                 "model_type '" + model_type + "' is not a supported text decoder");
  return nullptr;
}

}  // namespace

std::shared_ptr<ModelArch> build_decoder(const Fields& f, const std::string& model_type) {
  Errors& errors = f.errors();
  const Family* row = decoder_family(f, model_type);
  if (!row) return nullptr;
  auto arch = std::make_shared<ModelArch>();
  arch->model_type = model_type;

  Family family = *row;  // the family's conventions as this config overrides them
  apply_config_overrides(f, family);
  if (f.boolean({"use_cla"}).value_or(false))  // HunYuan: K and V shared across layers
    errors.add(f.prefix() + ".use_cla", "cross-layer attention (use_cla) is not supported yet");
  DecoderShape shape;
  shape.dims = read_dims(f, family);
  const Dims& d = shape.dims;
  arch->vocab_size = d.vocab;
  arch->hidden_size = d.hidden;
  arch->num_layers = d.layers;
  arch->norm = family.norm;
  arch->max_position_embeddings =
      f.integer({"max_position_embeddings", "n_positions", "seq_length"}, 1, kMaxPositions)
          .value_or(family.defaults.max_positions);
  const auto tie = f.boolean({"tie_word_embeddings"}, true);
  arch->tie_embeddings = tie.value_or(family.tie_default);
  shape.moe = read_moe(f, family, d);
  shape.attention = read_attention(f, d);
  if (auto cl = f.find({"cross_attention_layers"}); cl.value && cl.value->is_array())
    shape.cross_layers = read_layer_indices(f, cl, d.layers);
  if (!errors.empty()) return nullptr;

  shape.windows = sliding_windows(f, family, d.layers);
  if (!full_attention_only(f, family)) return nullptr;
  if (family.gemma4_layers &&
      !(shape.global = read_gemma4_attention(f, d.heads, d.kv_heads, shape.windows, *arch)))
    return nullptr;
  shape.short_conv = short_conv_layers(f, family, d.layers);
  shape.hybrid = hybrid_blocks(f, family, d.layers);
  shape.delta_net = delta_net_layers(f, family, d.layers);
  shape.kimi_delta = kimi_delta_layers(f, family, d.layers);
  shape.mamba_mixer = mamba_layers(f, family, d.layers);
  if (std::count(shape.hybrid.begin(), shape.hybrid.end(), HybridBlock::Mamba) > 0)
    shape.mamba = mamba2_modules(f, d.hidden);
  if (std::count(shape.mamba_mixer.begin(), shape.mamba_mixer.end(), true) > 0)
    shape.mamba = mamba_layer_modules(f, family, d.hidden, shape.mixer_state);
  // The recurrent state's dtype: Nemotron-H's mamba_ssm_cache_dtype, Qwen3.5's mamba_ssm_dtype.
  arch->ssm_state_fp32 =
      f.string({"mamba_ssm_cache_dtype", "mamba_ssm_dtype"}).value_or("") == "float32";
  if (family.dsa_indexer) {
    shape.index_heads = f.required({"index_n_heads"}, 1, kMaxHeads);
    shape.index_head_dim = f.required({"index_head_dim"}, 1, kMaxHeadDim);
    arch->warnings.push_back(
        "the indexer's key cache (index_head_dim per token and layer) is counted for vLLM only");
  }
  if (!errors.empty()) return nullptr;
  append_embeddings(*arch, family, d);
  if (!read_blocks(f, d.layers, shape.blocks)) return nullptr;
  for (std::int64_t i = 0; i < d.layers; ++i)
    if (!append_decoder_layer(*arch, f, family, shape, i)) return nullptr;

  arch->tail_modules.push_back(norm_module(family.names.final_norm, d.hidden, family.norm));
  if (!arch->tie_embeddings)
    arch->tail_modules.push_back(
        linear(family.names.lm_head, ModuleRole::LmHead, d.hidden, d.vocab, false));
  return arch;
}

}  // namespace llmmem
