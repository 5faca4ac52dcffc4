#include "engines/support.hpp"

namespace llmmem {

bool engine_loads(Engine engine, const WeightFormat& format) {
  using F = FormatFamily;
  switch (engine) {
    case Engine::LlamaCpp:
      // llama.cpp runs GGUF files only (llama_model_loader).
      return format.family == F::Gguf;
    case Engine::Vllm:
      // vLLM's quantization methods: fp8, gptq, awq, bitsandbytes (4-bit NF4
      // and 8-bit), compressed-tensors; 16/32-bit checkpoints as they are.
      // (GGUF loading in vLLM is experimental and single-file only: not offered.)
      return format.family != F::Gguf;
    case Engine::Transformers:
      // transformers' quantizers: bitsandbytes (LLM.int8(), NF4), GPTQ, AWQ,
      // fine-grained FP8 and compressed-tensors.
      return format.family != F::Gguf;
  }
  return false;
}

bool engine_offers_cache(Engine engine, const CacheFormat& format) {
  const std::string_view id = format.id;
  switch (engine) {
    case Engine::LlamaCpp:
      // llama.cpp -ctk/-ctv (common/arg.cpp kv_cache_types): f32, f16, bf16,
      // q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1. No fp8 cache.
      return id != "fp8";
    case Engine::Vllm:
      // vLLM --kv-cache-dtype: auto, bfloat16, fp8 (fp8_e4m3, fp8_e5m2).
      return id == "bf16" || id == "fp8";
    case Engine::Transformers:
      // transformers' DynamicCache keeps K and V in the model's compute dtype.
      return id == "fp16" || id == "bf16" || id == "fp32";
  }
  return false;
}

}  // namespace llmmem
