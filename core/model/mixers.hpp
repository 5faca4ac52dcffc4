// Token mixers other than attention in hybrid decoders: which layers use one
// and its parameter tensors: LFM2's gated short convolutions, Nemotron-H's
// Mamba-2 layers.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/config_read.hpp"
#include "model/families.hpp"
#include "model/model.hpp"

namespace llmmem {

// Per layer: true where the layer mixes tokens with a short convolution
// instead of attention. Empty when the family has no such layers.
std::vector<bool> short_conv_layers(const Fields& f, const Family& family, std::int64_t layers);

// LFM2's gated short convolution: in_proj (h -> 3h: B, C and x), a depthwise
// conv of conv_L_cache taps, out_proj (h -> h); conv_bias on all three.
std::vector<Module> short_conv_modules(const Fields& f, std::int64_t hidden);

// The FFN width of LFM2 from block_ff_dim: two thirds of it when
// block_auto_adjust_ff_dim, times block_ffn_dim_multiplier, rounded up to
// block_multiple_of (Lfm2MLP in transformers).
std::int64_t lfm2_ffn_width(const Fields& f, std::int64_t width);

// Qwen3-Next: per layer, true for a Gated DeltaNet layer: layer_types
// "linear_attention", else every layer but each full_attention_interval-th.
std::vector<bool> delta_net_layers(const Fields& f, const Family& family, std::int64_t layers);

// A Gated DeltaNet layer (Qwen3NextGatedDeltaNet): in_proj_qkvz h -> 2K + 2V,
// in_proj_ba h -> 2 x value heads, a depthwise conv over 2K + V without bias,
// dt_bias and A_log per value head, a gated RMSNorm of the value head dim and
// out_proj V -> h; K = key heads x key dim, V = value heads x value dim.
// Sets its state: conv (2K + V) x (kernel - 1), recurrent heads x dk x dv.
// `split`: Qwen3.5's Qwen3_5GatedDeltaNet names the same weights in_proj_qkv
// (2K + V), in_proj_z (V), in_proj_b and in_proj_a (value heads each).
std::vector<Module> delta_net_modules(const Fields& f, std::int64_t hidden, LayerSpec& spec,
                                      bool split = false);

// Kimi Linear: per layer, true for a Kimi Delta Attention layer: every layer
// not in linear_attn_config.full_attn_layers, whose numbers are 1-based.
std::vector<bool> kimi_delta_layers(const Fields& f, const Family& family, std::int64_t layers);

// A KDA layer (KimiDeltaAttention): q, k, v projections h -> H x d, a short
// conv of each, A_log (H), dt_bias (H x d), low-rank f (h -> d -> H x d) and
// g (the same) gates, b_proj h -> H, a gated RMSNorm of d and o_proj; H, d
// from linear_attn_config. Sets its state: conv 3 H d x (kernel - 1),
// recurrent H x d x d.
std::vector<Module> kimi_delta_modules(const Fields& f, std::int64_t hidden, LayerSpec& spec);

// Nemotron-H: what each layer is, one character of hybrid_override_pattern
// per layer ('M' Mamba-2, 'E' MoE, '*' attention, '-' MLP). Empty when the
// family has no pattern.
enum class HybridBlock { Mamba, Moe, Attention, Mlp };
std::vector<HybridBlock> hybrid_blocks(const Fields& f, const Family& family, std::int64_t layers);

// Granite 4.0: per layer, true for a Mamba-2 layer (layer_types "mamba");
// Jamba: true for every layer but each attn_layer_period-th from
// attn_layer_offset (a Mamba-1 layer). Empty when the family has no such layers.
std::vector<bool> mamba_layers(const Fields& f, const Family& family, std::int64_t layers);

// Jamba's MoE layers: every expert_layer_period-th from expert_layer_offset
// (JambaConfig.layers_num_experts); nullopt for other families.
std::optional<std::vector<std::int64_t>> jamba_moe_layers(const Fields& f, const Family& family,
                                                          std::int64_t layers);

// The modules of the Mamba layers of mamba_layers(): Mamba-1 (Jamba) or
// Mamba-2 (Granite 4.0), and their state per sequence in `state`.
std::vector<Module> mamba_layer_modules(const Fields& f, const Family& family, std::int64_t hidden,
                                        LayerSpec& state);

// A Mamba-2 mixer (NemotronHMamba2Mixer; Granite 4.0's
// GraniteMoeHybridMambaLayer under its mamba_n_heads, mamba_d_head,
// mamba_n_groups, mamba_d_state, mamba_d_conv and mamba_conv_bias): in_proj h -> 2I + 2GN + H (z,
// x, B, C, dt), a depthwise conv over x, B, C with bias, dt_bias, A_log and D per head, a gated
// RMSNorm of I and out_proj I -> h; I = mamba_num_heads x mamba_head_dim, G = n_groups, N =
// ssm_state_size, H = mamba_num_heads.
std::vector<Module> mamba2_modules(const Fields& f, std::int64_t hidden);

// The state a Mamba-2 layer keeps per sequence: conv (I + 2GN) x
// (conv_kernel - 1) and SSM H x head_dim x N elements (vLLM's
// MambaStateShapeCalculator.mamba2_state_shape).
void set_mamba2_state(const Fields& f, LayerSpec& spec);

// LFM2's short convolution keeps hidden x (conv_L_cache - 1) inputs.
void set_short_conv_state(const Fields& f, std::int64_t hidden, LayerSpec& spec);

}  // namespace llmmem
