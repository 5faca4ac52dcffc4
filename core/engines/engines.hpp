// The table of inference engines: one row each, with the weight formats the
// page's inference table shows for it (16-bit, 8-bit, 4-bit: what each
// engine's users actually load), what it splits over several GPUs, and the
// function that estimates it (each in its own file: transformers.cpp,
// vllm.cpp, llama_cpp.cpp). Adding an engine is one row and one file.
#pragma once

#include <array>
#include <string_view>

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

struct ModelArch;  // model/model.hpp

// Fills the engine's components, settings and warnings into a report that
// already has the parameter counts.
using EngineEstimate = void (*)(const Request& req, const ModelArch& arch, Report& r);
void estimate_transformers(const Request& req, const ModelArch& arch, Report& r);
void estimate_vllm(const Request& req, const ModelArch& arch, Report& r);
void estimate_llama_cpp(const Request& req, const ModelArch& arch, Report& r);

// What an engine splits over several GPUs.
enum class Sharding {
  None,            // one GPU holds the model (tensorParallel is not honoured)
  TensorParallel,  // every sharded tensor split over tensorParallel ranks
  LayerSplit,      // whole layers spread over the GPUs (llama.cpp --split-mode layer)
};

// The precision rows of the formats table, in the order of EngineSpec::weights.
inline constexpr std::array<std::string_view, 3> kFormatTiers{"16-bit", "8-bit", "4-bit"};

struct EngineSpec {
  Engine engine;
  std::string_view name;  // as a reader knows it
  // 16-bit, 8-bit and 4-bit rows, in that order (format ids of formats.hpp).
  std::array<std::string_view, 3> weights;
  Sharding shards;
  bool gguf;  // runs GGUF files, and so knows llama.cpp's KV-cache types
  EngineEstimate estimate;
};

// transformers: bf16, bitsandbytes LLM.int8() and NF4 (load_in_8bit / load_in_4bit).
// vLLM: bf16, fp8 (--quantization fp8) and AWQ int4 checkpoints.
// llama.cpp: GGUF f16, q8_0 and q4_k_m (the most downloaded GGUF quantizations).
inline constexpr std::array<EngineSpec, 3> kEngines{{
    {Engine::Transformers,
     "Hugging Face transformers",
     {"bf16", "int8", "nf4"},
     Sharding::None,
     false,
     &estimate_transformers},
    {Engine::Vllm,
     "vLLM",
     {"bf16", "fp8", "awq-int4"},
     Sharding::TensorParallel,
     false,
     &estimate_vllm},
    {Engine::LlamaCpp,
     "llama.cpp",
     {"f16", "q8_0", "q4_k_m"},
     Sharding::LayerSplit,
     true,
     &estimate_llama_cpp},
}};

constexpr const EngineSpec& engine_spec(Engine e) {
  for (const auto& row : kEngines)
    if (row.engine == e) return row;
  return kEngines[0];
}

}  // namespace llmmem
