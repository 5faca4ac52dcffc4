// Number formats: weight formats (float, bitsandbytes, GPTQ, AWQ, FP8, GGUF)
// and KV-cache types, with their storage cost.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace llmmem {

enum class FormatFamily {
  Float,    // fp32, fp16, bf16
  Fp8,      // fp8 e4m3 with scales (compressed-tensors, ModelOpt, DeepSeek blocks)
  BnbInt8,  // bitsandbytes LLM.int8()
  BnbNf4,   // bitsandbytes NF4 (QLoRA), double quantization
  Int4,     // generic 4-bit (no container format named)
  Gptq,     // GPTQ, group size 128
  Awq,      // AWQ (GEMM), group size 128
  Gguf,     // llama.cpp GGUF file types (per-tensor mixes)
};

struct WeightFormat {
  std::string_view id;     // request value, e.g. "q4_k_m"
  std::string_view label;  // shown in tables, e.g. "GGUF Q4_K_M"
  FormatFamily family;
  double nominal_bits;  // the simple estimator's bits per weight (4 for every 4-bit format)
};

std::span<const WeightFormat> weight_formats();
const WeightFormat* find_weight_format(std::string_view id);

// llama.cpp's ggml tensor types: storage is whole blocks of block_size
// elements taking type_size bytes each (ggml.c type_traits); id is the enum
// ggml_type value a GGUF tensor info stores (ggml.h, gguf-py constants.py
// GGMLQuantizationType).
struct GgmlType {
  std::string_view name;  // "q4_K"
  int block_size;
  int type_size;
  int id;
  constexpr double bits() const { return 8.0 * type_size / block_size; }
};

const GgmlType* find_ggml_type(std::string_view name);
const GgmlType* find_ggml_type(std::uint32_t id);

// KV-cache element types: "fp16", "bf16", "fp32", "fp8", and llama.cpp's
// quantized cache types (q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1).
struct CacheFormat {
  std::string_view id;
  double bits;  // storage bits per element, block scales included
  bool llama_cpp_only;
};

std::span<const CacheFormat> cache_formats();
const CacheFormat* find_cache_format(std::string_view id);

}  // namespace llmmem
