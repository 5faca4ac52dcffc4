// The parameter tensors of one decoder layer, named as the family names them.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "model/families.hpp"
#include "model/model.hpp"

namespace llmmem {

// Attention projections (separate, fused or MLA), q/k norms and sinks.
std::vector<Module> attention_modules(const Family& family, const AttentionSpec& attention,
                                      std::int64_t hidden, QkNorm qk_norm);

// gate/up/down (or up/down when not gated), `prefix` before each name.
std::vector<Module> dense_mlp(const Family& family, std::int64_t hidden, std::int64_t width,
                              bool gated, bool bias, ModuleRole role = ModuleRole::Mlp,
                              std::string_view prefix = "");

// Router, routed experts and shared expert(s).
std::vector<Module> moe_modules(const Family& family, const FfnSpec& ffn, std::int64_t hidden);

}  // namespace llmmem
