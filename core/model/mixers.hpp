// Token mixers other than attention in hybrid decoders: which layers use one
// and its parameter tensors. LFM2's gated short convolutions so far.
#pragma once

#include <cstdint>
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

}  // namespace llmmem
