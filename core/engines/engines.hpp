// The weight formats the page's inference table shows for each engine, one per
// precision row (16-bit, 8-bit, 4-bit): what each engine's users actually load.
#pragma once

#include <array>
#include <string_view>

#include "api/request.hpp"

namespace llmmem {

struct EngineFormats {
  Engine engine;
  // 16-bit, 8-bit and 4-bit rows, in that order.
  std::array<std::string_view, 3> weights;
};

// transformers: bf16, bitsandbytes LLM.int8() and NF4 (load_in_8bit / load_in_4bit).
// vLLM: bf16, fp8 (--quantization fp8) and AWQ int4 checkpoints.
// llama.cpp: GGUF f16, q8_0 and q4_k_m (the most downloaded GGUF quantizations).
inline constexpr std::array<EngineFormats, 3> kEngineFormats{{
    {Engine::Transformers, {"bf16", "int8", "nf4"}},
    {Engine::Vllm, {"bf16", "fp8", "awq-int4"}},
    {Engine::LlamaCpp, {"f16", "q8_0", "q4_k_m"}},
}};

constexpr const EngineFormats& engine_formats(Engine e) {
  for (const auto& f : kEngineFormats)
    if (f.engine == e) return f;
  return kEngineFormats[0];
}

}  // namespace llmmem
