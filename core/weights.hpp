// Weight memory by format, from the per-module counts of the model: which
// tensors a format quantizes, what its block scales, zeros and indices add,
// and which tensors stay 16-bit (embeddings, norms, lm_head, routers).
#pragma once

#include <string>
#include <vector>

#include "model.hpp"
#include "precision.hpp"
#include "units.hpp"

namespace llmmem {

enum class Engine;

struct WeightSpec {
  const WeightFormat* format = nullptr;
  Engine engine{};
  double bits_per_weight = 0;   // > 0: a specific file's real bits per weight (bitsPerWeight)
  bool experts_on_cpu = false;  // llama.cpp -ot exps=CPU
  std::int64_t gpu_layers = -1; // llama.cpp -ngl; -1 = every layer on the GPU
};

struct WeightBreakdown {
  Bytes device;                 // on the GPU(s), before any sharding
  Bytes host;                   // kept in CPU memory (offloaded layers, experts, llama.cpp's token_embd)
  Bytes file;                   // every tensor: what llama.cpp's "model size" line shows
  ParamCount quantized_params;  // parameters stored in the quantized format
  ParamCount other_params;      // parameters left in 16 bits (or fp32)
  std::string formula;          // the numbers substituted
};

WeightBreakdown weight_bytes(const ModelArch& arch, const WeightSpec& spec);

// The compute dtype's bytes per element for a format (2 for 16-bit compute, 4 for fp32).
double compute_bytes(const WeightFormat& format);

}  // namespace llmmem
