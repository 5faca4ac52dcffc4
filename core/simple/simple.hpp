// The simple estimator: the rules of the seed article (shared/seeds/001_*,
// Alibaba Cloud PAI, "Simple GPU memory estimator"), reproducing its tables
// exactly. The choices the article leaves open are named constants below and
// are listed in the README.
#pragma once

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

namespace simple {

// Activations and KV cache: "roughly 10% of the GPU memory used by the
// model" for a 7B model at b = 1, s = 2048, 2-byte values. Our reading: 10%
// of the 16-bit weights, also when the weights are quantized (the article's
// QLoRA rows keep 1.4 GB of activations at 8 and 4 bits), scaled linearly by
// batch x seqLen / 2048 (both grow with b and s in the article's formulas).
inline constexpr double kActivationFraction = 0.10;
inline constexpr double kKvFraction = 0.10;
inline constexpr double kReferenceTokens = 2048;
inline constexpr double kActivationBytes = 2;  // param_bytes of activations and KV

// "Other factors ... typically 1 GB to 2 GB"; the tables use 2 GB.
inline constexpr double kOverheadGb = 2;

// LoRA and QLoRA train "about 0.1% to 1%" of the parameters; the tables use 1%.
inline constexpr double kLoraTrainableFraction = 0.01;

// Gradients: 2 bytes per trainable parameter. Optimizer states: 4 bytes
// each, one per state (SGD 0, SGD with momentum 1, RMSProp 1, Adam(W) 2).
inline constexpr double kGradientBytes = 2;
inline constexpr double kStateBytes = 4;

}  // namespace simple

// Bytes of optimizer state per trainable parameter under the simple rules.
double simple_optimizer_bytes(Optimizer opt);

Report estimate_simple(const Request& req);

}  // namespace llmmem
