#include "model/mixers.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "model/module_makers.hpp"

namespace llmmem {

// Lfm2Config defaults.
constexpr std::int64_t kLfm2ConvCache = 3;     // conv_L_cache: taps of the short convolution
constexpr std::int64_t kLfm2MultipleOf = 256;  // block_multiple_of

std::vector<bool> short_conv_layers(const Fields& f, const Family& family, std::int64_t layers) {
  std::vector<bool> conv;
  if (!family.short_conv || layers <= 0) return conv;
  conv.assign(std::size_t(layers), true);
  // The July-2025 configs list the attention layers (full_attn_idxs); later
  // ones name every layer's type (layer_types: "conv" or "full_attention").
  if (auto idx = f.find({"full_attn_idxs"}); idx.value) {
    if (!idx.value->is_array()) {
      f.errors().add(idx.path, "full_attn_idxs must be an array of layer indices");
      return conv;
    }
    for (const auto& x : *idx.value) {
      if (!x.is_number_integer() || x.get<std::int64_t>() < 0 || x.get<std::int64_t>() >= layers) {
        f.errors().add(idx.path, "full_attn_idxs entries must be layer indices below " +
                                     std::to_string(layers));
        return conv;
      }
      conv[std::size_t(x.get<std::int64_t>())] = false;
    }
  } else if (auto types = f.find({"layer_types"}); types.value && types.value->is_array()) {
    for (std::size_t i = 0; i < conv.size() && i < types.value->size(); ++i) {
      const auto& t = (*types.value)[i];
      conv[i] = t.is_string() && t.get<std::string>() == "conv";
    }
  } else {
    f.errors().add(f.prefix() + ".layer_types",
                   "layer_types (or full_attn_idxs) is required: which layers are attention");
  }
  return conv;
}

std::vector<Module> short_conv_modules(const Fields& f, std::int64_t h) {
  const std::int64_t taps = f.integer({"conv_L_cache"}, 1, 1024).value_or(kLfm2ConvCache);
  const bool bias = f.boolean({"conv_bias"}).value_or(false);
  std::vector<Module> ms;
  ms.push_back(linear("conv.in_proj", ModuleRole::Attention, h, 3 * h, bias));
  Module conv = vector_module("conv.conv", ModuleRole::Attention, h * taps);
  if (bias) conv.out += h;
  ms.push_back(conv);
  ms.push_back(linear("conv.out_proj", ModuleRole::Attention, h, h, bias));
  return ms;
}

std::vector<bool> delta_net_layers(const Fields& f, const Family& family, std::int64_t layers) {
  std::vector<bool> delta;
  if (!family.gated_delta_net || layers <= 0) return delta;
  delta.assign(std::size_t(layers), false);
  if (auto types = f.find({"layer_types"}); types.value && types.value->is_array()) {
    for (std::size_t i = 0; i < delta.size() && i < types.value->size(); ++i) {
      const auto& t = (*types.value)[i];
      delta[i] = t.is_string() && t.get<std::string>() == "linear_attention";
    }
    return delta;
  }
  const std::int64_t every = f.integer({"full_attention_interval"}, 1, kMaxLayers).value_or(4);
  for (std::int64_t i = 0; i < layers; ++i) delta[std::size_t(i)] = (i + 1) % every != 0;
  return delta;
}

std::vector<Module> delta_net_modules(const Fields& f, std::int64_t h, LayerSpec& spec,
                                      bool split) {
  const std::int64_t k_heads = f.required({"linear_num_key_heads"}, 1, kMaxHeads);
  const std::int64_t v_heads = f.required({"linear_num_value_heads"}, 1, kMaxHeads);
  const std::int64_t k_dim = f.required({"linear_key_head_dim"}, 1, kMaxHeadDim);
  const std::int64_t v_dim = f.required({"linear_value_head_dim"}, 1, kMaxHeadDim);
  const std::int64_t kernel = f.integer({"linear_conv_kernel_dim"}, 1, 1024).value_or(4);
  const std::int64_t keys = k_heads * k_dim, values = v_heads * v_dim;
  const std::int64_t conv_dim = 2 * keys + values;
  spec.conv_state = conv_dim * (kernel - 1);
  spec.ssm_state = v_heads * k_dim * v_dim;
  std::vector<Module> ms;
  if (split) {
    ms.push_back(linear("linear_attn.in_proj_qkv", ModuleRole::Attention, h, conv_dim, false));
    ms.push_back(linear("linear_attn.in_proj_z", ModuleRole::Attention, h, values, false));
    ms.push_back(linear("linear_attn.in_proj_b", ModuleRole::Attention, h, v_heads, false));
    ms.push_back(linear("linear_attn.in_proj_a", ModuleRole::Attention, h, v_heads, false));
  } else {
    ms.push_back(
        linear("linear_attn.in_proj_qkvz", ModuleRole::Attention, h, 2 * keys + 2 * values, false));
    ms.push_back(linear("linear_attn.in_proj_ba", ModuleRole::Attention, h, 2 * v_heads, false));
  }
  ms.push_back(vector_module("linear_attn.conv1d", ModuleRole::Attention, conv_dim * kernel));
  ms.push_back(vector_module("linear_attn.dt_bias.A_log", ModuleRole::Attention, 2 * v_heads));
  ms.push_back(norm_module("linear_attn.norm", v_dim, NormKind::RmsNorm));
  ms.push_back(linear("linear_attn.out_proj", ModuleRole::Attention, values, h, false));
  return ms;
}

namespace {

// linear_attn_config as Fields, or nullopt (with an error) when absent.
std::optional<Fields> linear_attn_config(const Fields& f) {
  const auto lac = f.find({"linear_attn_config"});
  if (!lac.value || !lac.value->is_object()) {
    f.errors().add(f.prefix() + ".linear_attn_config", "linear_attn_config must be an object");
    return std::nullopt;
  }
  return Fields(*lac.value, lac.path, f.errors());
}

}  // namespace

std::vector<bool> kimi_delta_layers(const Fields& f, const Family& family, std::int64_t layers) {
  std::vector<bool> kda;
  if (!family.kimi_delta || layers <= 0) return kda;
  const auto lac = linear_attn_config(f);
  if (!lac) return kda;
  const auto full = lac->find({"full_attn_layers"});
  if (!full.value || !full.value->is_array()) {
    f.errors().add(full.path.empty() ? lac->prefix() + ".full_attn_layers" : full.path,
                   "full_attn_layers must list the attention layers (1-based)");
    return kda;
  }
  kda.assign(std::size_t(layers), true);
  for (const auto& x : *full.value) {
    if (!x.is_number_integer() || x.get<std::int64_t>() < 1 || x.get<std::int64_t>() > layers) {
      f.errors().add(full.path, "full_attn_layers entries must be layer numbers from 1 to " +
                                    std::to_string(layers));
      return {};
    }
    kda[std::size_t(x.get<std::int64_t>() - 1)] = false;
  }
  return kda;
}

std::vector<Module> kimi_delta_modules(const Fields& f, std::int64_t h, LayerSpec& spec) {
  const auto lac = linear_attn_config(f);
  if (!lac) return {};
  const std::int64_t heads = lac->required({"num_heads"}, 1, kMaxHeads);
  const std::int64_t d = lac->required({"head_dim"}, 1, kMaxHeadDim);
  const std::int64_t kernel = lac->integer({"short_conv_kernel_size"}, 1, 1024).value_or(4);
  const std::int64_t width = heads * d;
  spec.conv_state = 3 * width * (kernel - 1);
  spec.ssm_state = heads * d * d;
  std::vector<Module> ms;
  for (const char* name : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"})
    ms.push_back(linear(name, ModuleRole::Attention, h, width, false));
  ms.push_back(vector_module("self_attn.qkv_conv1d", ModuleRole::Attention, 3 * width * kernel));
  ms.push_back(vector_module("self_attn.A_log.dt_bias", ModuleRole::Attention, heads + width));
  ms.push_back(linear("self_attn.f_a_proj", ModuleRole::Attention, h, d, false));
  ms.push_back(linear("self_attn.f_b_proj", ModuleRole::Attention, d, width, false));
  ms.push_back(linear("self_attn.b_proj", ModuleRole::Attention, h, heads, false));
  ms.push_back(linear("self_attn.g_a_proj", ModuleRole::Attention, h, d, false));
  ms.push_back(linear("self_attn.g_b_proj", ModuleRole::Attention, d, width, false));
  ms.push_back(norm_module("self_attn.o_norm", d, NormKind::RmsNorm));
  ms.push_back(linear("self_attn.o_proj", ModuleRole::Attention, width, h, false));
  return ms;
}

std::vector<HybridBlock> hybrid_blocks(const Fields& f, const Family& family, std::int64_t layers) {
  std::vector<HybridBlock> blocks;
  if (!family.hybrid_pattern || layers <= 0) return blocks;
  const auto pattern = f.string({"hybrid_override_pattern"});
  const std::string path = f.prefix() + ".hybrid_override_pattern";
  if (!pattern || std::int64_t(pattern->size()) != layers) {
    f.errors().add(path, "hybrid_override_pattern must give one character per layer (" +
                             std::to_string(layers) + ")");
    return blocks;
  }
  for (char c : *pattern) {
    switch (c) {
      case 'M':
        blocks.push_back(HybridBlock::Mamba);
        break;
      case 'E':
        blocks.push_back(HybridBlock::Moe);
        break;
      case '*':
        blocks.push_back(HybridBlock::Attention);
        break;
      case '-':
        blocks.push_back(HybridBlock::Mlp);
        break;
      default:
        f.errors().add(path, "hybrid_override_pattern characters must be M, E, * or -");
        return {};
    }
  }
  return blocks;
}

namespace {

// JambaConfig defaults (transformers models/jamba/configuration_jamba.py).
constexpr std::int64_t kJambaAttnPeriod = 8, kJambaAttnOffset = 4, kJambaExpertPeriod = 2,
                       kJambaExpertOffset = 1, kJambaDState = 16, kJambaDConv = 4, kJambaExpand = 2;

// Layers i with i % period == offset, from `period_key` and `offset_key`
// (JambaConfig refuses an offset not below its period: so do we).
std::vector<bool> periodic(const Fields& f, const char* period_key, const char* offset_key,
                           std::int64_t period, std::int64_t offset, std::int64_t layers) {
  period = f.integer({period_key}, 1, kMaxLayers).value_or(period);
  offset = f.integer({offset_key}, 0, kMaxLayers).value_or(offset);
  std::vector<bool> on(std::size_t(layers), false);
  if (offset >= period) {
    f.errors().add(f.prefix() + "." + offset_key, std::string(offset_key) + " must be below " +
                                                      period_key + " (" + std::to_string(offset) +
                                                      " >= " + std::to_string(period) + ")");
    return on;
  }
  for (std::int64_t i = 0; i < layers; ++i) on[std::size_t(i)] = i % period == offset;
  return on;
}

// Jamba's Mamba-1 mixer (JambaMambaMixer): in_proj h -> 2I, a depthwise conv
// of I with bias, x_proj I -> R + 2N, dt_proj R -> I with bias, A_log I x N,
// D (I), RMSNorms of R, N and N, out_proj I -> h; I = mamba_expand x h, R =
// mamba_dt_rank ("auto": ceil(h / 16)), N = mamba_d_state. Its state per
// sequence: conv I x (d_conv - 1), SSM I x N (vLLM's mamba1_state_shape).
std::vector<Module> mamba1_modules(const Fields& f, std::int64_t h, LayerSpec& state) {
  const std::int64_t inner = f.integer({"mamba_expand"}, 1, 64).value_or(kJambaExpand) * h;
  const std::int64_t n = f.integer({"mamba_d_state"}, 1, kMaxHeadDim).value_or(kJambaDState);
  const std::int64_t kernel = f.integer({"mamba_d_conv"}, 1, 1024).value_or(kJambaDConv);
  const bool auto_rank = !f.obj().contains("mamba_dt_rank") || f.obj()["mamba_dt_rank"] == "auto";
  const std::int64_t rank =
      auto_rank ? (h + 15) / 16 : f.integer({"mamba_dt_rank"}, 1, kMaxHidden).value_or(1);
  const bool conv_bias = f.boolean({"mamba_conv_bias"}).value_or(true);
  const bool proj_bias = f.boolean({"mamba_proj_bias"}).value_or(false);
  state.conv_state = inner * (kernel - 1);
  state.ssm_state = inner * n;
  std::vector<Module> ms;
  ms.push_back(linear("mamba.in_proj", ModuleRole::Attention, h, 2 * inner, proj_bias));
  ms.push_back(vector_module("mamba.conv1d", ModuleRole::Attention,
                             inner * kernel + (conv_bias ? inner : 0)));
  ms.push_back(linear("mamba.x_proj", ModuleRole::Attention, inner, rank + 2 * n, false));
  ms.push_back(linear("mamba.dt_proj", ModuleRole::Attention, rank, inner, true));
  ms.push_back(vector_module("mamba.A_log.D", ModuleRole::Attention, inner * n + inner));
  ms.push_back(vector_module("mamba.dt_b_c_layernorm", ModuleRole::Attention, rank + 2 * n));
  ms.push_back(linear("mamba.out_proj", ModuleRole::Attention, inner, h, proj_bias));
  return ms;
}

}  // namespace

std::optional<std::vector<std::int64_t>> jamba_moe_layers(const Fields& f, const Family& family,
                                                          std::int64_t layers) {
  if (!family.jamba_layers || layers <= 0) return std::nullopt;
  const std::vector<bool> on = periodic(f, "expert_layer_period", "expert_layer_offset",
                                        kJambaExpertPeriod, kJambaExpertOffset, layers);
  std::vector<std::int64_t> list;
  for (std::int64_t i = 0; i < layers; ++i)
    if (on[std::size_t(i)]) list.push_back(i);
  return list;
}

std::vector<Module> mamba_layer_modules(const Fields& f, const Family& family, std::int64_t h,
                                        LayerSpec& state) {
  if (family.jamba_layers) return mamba1_modules(f, h, state);
  set_mamba2_state(f, state);
  return mamba2_modules(f, h);
}

std::vector<bool> mamba_layers(const Fields& f, const Family& family, std::int64_t layers) {
  std::vector<bool> mamba;
  if (family.jamba_layers && layers > 0) {
    mamba = periodic(f, "attn_layer_period", "attn_layer_offset", kJambaAttnPeriod,
                     kJambaAttnOffset, layers);
    mamba.flip();  // the layers that are not attention
    return mamba;
  }
  if (!family.mamba_layer_types || layers <= 0) return mamba;
  const auto types = f.find({"layer_types"});
  if (!types.value || !types.value->is_array()) {
    f.errors().add(f.prefix() + ".layer_types",
                   "layer_types is required: which layers are mamba and which attention");
    return mamba;
  }
  mamba.assign(std::size_t(layers), false);  // sliding_windows checks the entries and length
  for (std::size_t i = 0; i < mamba.size() && i < types.value->size(); ++i) {
    const auto& t = (*types.value)[i];
    mamba[i] = t.is_string() && t.get<std::string>() == "mamba";
  }
  return mamba;
}

std::vector<Module> mamba2_modules(const Fields& f, std::int64_t h) {
  const std::int64_t heads = f.required({"mamba_num_heads", "mamba_n_heads"}, 1, kMaxHeads);
  const std::int64_t head_dim = f.required({"mamba_head_dim", "mamba_d_head"}, 1, kMaxHeadDim);
  const std::int64_t groups = f.required({"n_groups", "mamba_n_groups"}, 1, kMaxHeads);
  const std::int64_t state = f.required({"ssm_state_size", "mamba_d_state"}, 1, kMaxHeadDim);
  const std::int64_t kernel = f.integer({"conv_kernel", "mamba_d_conv"}, 1, 1024).value_or(4);
  const bool conv_bias = f.boolean({"use_conv_bias", "mamba_conv_bias"}).value_or(true);
  const bool proj_bias = f.boolean({"mamba_proj_bias", "use_bias"}).value_or(false);
  const std::int64_t inner = heads * head_dim, conv_dim = inner + 2 * groups * state;
  std::vector<Module> ms;
  ms.push_back(
      linear("mixer.in_proj", ModuleRole::Attention, h, inner + conv_dim + heads, proj_bias));
  ms.push_back(vector_module("mixer.conv1d", ModuleRole::Attention,
                             conv_dim * kernel + (conv_bias ? conv_dim : 0)));
  ms.push_back(vector_module("mixer.dt_bias.A_log.D", ModuleRole::Attention, 3 * heads));
  ms.push_back(norm_module("mixer.norm", inner, NormKind::RmsNorm));
  ms.push_back(linear("mixer.out_proj", ModuleRole::Attention, inner, h, proj_bias));
  return ms;
}

void set_mamba2_state(const Fields& f, LayerSpec& spec) {
  const std::int64_t heads =
      f.integer({"mamba_num_heads", "mamba_n_heads"}, 1, kMaxHeads).value_or(0);
  const std::int64_t head_dim =
      f.integer({"mamba_head_dim", "mamba_d_head"}, 1, kMaxHeadDim).value_or(0);
  const std::int64_t groups = f.integer({"n_groups", "mamba_n_groups"}, 1, kMaxHeads).value_or(0);
  const std::int64_t state =
      f.integer({"ssm_state_size", "mamba_d_state"}, 1, kMaxHeadDim).value_or(0);
  const std::int64_t kernel = f.integer({"conv_kernel", "mamba_d_conv"}, 1, 1024).value_or(4);
  spec.conv_state = (heads * head_dim + 2 * groups * state) * (kernel - 1);
  spec.ssm_state = heads * head_dim * state;
}

void set_short_conv_state(const Fields& f, std::int64_t h, LayerSpec& spec) {
  const std::int64_t taps = f.integer({"conv_L_cache"}, 1, 1024).value_or(kLfm2ConvCache);
  spec.conv_state = h * (taps - 1);
}

std::int64_t lfm2_ffn_width(const Fields& f, std::int64_t width) {
  if (f.boolean({"block_auto_adjust_ff_dim"}).value_or(true)) {
    width = 2 * width / 3;
    if (auto m = f.find({"block_ffn_dim_multiplier"}); m.value && m.value->is_number()) {
      const double mult = m.value->get<double>();
      if (mult > 0 && mult < 1000) width = std::int64_t(mult * double(width));
    }
    const std::int64_t of =
        f.integer({"block_multiple_of"}, 1, kMaxIntermediate).value_or(kLfm2MultipleOf);
    width = (width + of - 1) / of * of;
  }
  return std::max<std::int64_t>(width, 1);
}

}  // namespace llmmem
