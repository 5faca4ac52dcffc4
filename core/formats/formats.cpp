#include "formats/formats.hpp"

#include <array>

namespace llmmem {
namespace {

using F = FormatFamily;

constexpr std::array kWeightFormats{
    WeightFormat{"fp32", "FP32", F::Float, 32},
    WeightFormat{"bf16", "BF16", F::Float, 16},
    WeightFormat{"fp16", "FP16", F::Float, 16},
    WeightFormat{"fp8", "FP8", F::Fp8, 8},
    WeightFormat{"int8", "INT8 (bitsandbytes)", F::BnbInt8, 8},
    WeightFormat{"int4", "INT4", F::Int4, 4},
    WeightFormat{"nf4", "NF4 (bitsandbytes)", F::BnbNf4, 4},
    WeightFormat{"gptq-int4", "GPTQ INT4", F::Gptq, 4},
    WeightFormat{"gptq-int8", "GPTQ INT8", F::Gptq, 8},
    WeightFormat{"awq-int4", "AWQ INT4", F::Awq, 4},
    // GGUF file types (llama.cpp llama_ftype), lower case.
    WeightFormat{"f32", "GGUF F32", F::Gguf, 32},
    WeightFormat{"f16", "GGUF F16", F::Gguf, 16},
    WeightFormat{"q8_0", "GGUF Q8_0", F::Gguf, 8},
    WeightFormat{"q6_k", "GGUF Q6_K", F::Gguf, 6},
    WeightFormat{"q5_k_m", "GGUF Q5_K_M", F::Gguf, 5},
    WeightFormat{"q5_k_s", "GGUF Q5_K_S", F::Gguf, 5},
    WeightFormat{"q5_1", "GGUF Q5_1", F::Gguf, 5},
    WeightFormat{"q5_0", "GGUF Q5_0", F::Gguf, 5},
    WeightFormat{"q4_k_m", "GGUF Q4_K_M", F::Gguf, 4},
    WeightFormat{"q4_k_s", "GGUF Q4_K_S", F::Gguf, 4},
    WeightFormat{"q4_1", "GGUF Q4_1", F::Gguf, 4},
    WeightFormat{"q4_0", "GGUF Q4_0", F::Gguf, 4},
    WeightFormat{"iq4_xs", "GGUF IQ4_XS", F::Gguf, 4},
    WeightFormat{"iq4_nl", "GGUF IQ4_NL", F::Gguf, 4},
    WeightFormat{"mxfp4", "GGUF MXFP4 (MoE)", F::Gguf, 4},
    WeightFormat{"q3_k_l", "GGUF Q3_K_L", F::Gguf, 3},
    WeightFormat{"q3_k_m", "GGUF Q3_K_M", F::Gguf, 3},
    WeightFormat{"q3_k_s", "GGUF Q3_K_S", F::Gguf, 3},
    WeightFormat{"iq3_m", "GGUF IQ3_M", F::Gguf, 3},
    WeightFormat{"iq3_s", "GGUF IQ3_S", F::Gguf, 3},
    WeightFormat{"iq3_xs", "GGUF IQ3_XS", F::Gguf, 3},
    WeightFormat{"iq3_xxs", "GGUF IQ3_XXS", F::Gguf, 3},
    WeightFormat{"q2_k", "GGUF Q2_K", F::Gguf, 2},
    WeightFormat{"q2_k_s", "GGUF Q2_K_S", F::Gguf, 2},
    WeightFormat{"iq2_m", "GGUF IQ2_M", F::Gguf, 2},
    WeightFormat{"iq2_s", "GGUF IQ2_S", F::Gguf, 2},
    WeightFormat{"iq2_xs", "GGUF IQ2_XS", F::Gguf, 2},
    WeightFormat{"iq2_xxs", "GGUF IQ2_XXS", F::Gguf, 2},
    WeightFormat{"tq2_0", "GGUF TQ2_0", F::Gguf, 2},
    WeightFormat{"iq1_m", "GGUF IQ1_M", F::Gguf, 1},
    WeightFormat{"iq1_s", "GGUF IQ1_S", F::Gguf, 1},
    WeightFormat{"tq1_0", "GGUF TQ1_0", F::Gguf, 1},
};

// ggml/src/ggml.c type_traits: elements per block and bytes per block; the
// enum value of ggml.h (4, 5 and 31-33, 36-38 are removed types).
constexpr std::array kGgmlTypes{
    GgmlType{"f32", 1, 4, 0},         GgmlType{"f16", 1, 2, 1},
    GgmlType{"q4_0", 32, 18, 2},      GgmlType{"q4_1", 32, 20, 3},
    GgmlType{"q5_0", 32, 22, 6},      GgmlType{"q5_1", 32, 24, 7},
    GgmlType{"q8_0", 32, 34, 8},      GgmlType{"q8_1", 32, 36, 9},
    GgmlType{"q2_K", 256, 84, 10},    GgmlType{"q3_K", 256, 110, 11},
    GgmlType{"q4_K", 256, 144, 12},   GgmlType{"q5_K", 256, 176, 13},
    GgmlType{"q6_K", 256, 210, 14},   GgmlType{"q8_K", 256, 292, 15},
    GgmlType{"iq2_xxs", 256, 66, 16}, GgmlType{"iq2_xs", 256, 74, 17},
    GgmlType{"iq3_xxs", 256, 98, 18}, GgmlType{"iq1_s", 256, 50, 19},
    GgmlType{"iq4_nl", 32, 18, 20},   GgmlType{"iq3_s", 256, 110, 21},
    GgmlType{"iq2_s", 256, 82, 22},   GgmlType{"iq4_xs", 256, 136, 23},
    GgmlType{"i8", 1, 1, 24},         GgmlType{"i16", 1, 2, 25},
    GgmlType{"i32", 1, 4, 26},        GgmlType{"i64", 1, 8, 27},
    GgmlType{"f64", 1, 8, 28},        GgmlType{"iq1_m", 256, 56, 29},
    GgmlType{"bf16", 1, 2, 30},       GgmlType{"tq1_0", 256, 54, 34},
    GgmlType{"tq2_0", 256, 66, 35},   GgmlType{"mxfp4", 32, 17, 39},
};

// KV cache element types. llama.cpp's quantized cache types use the ggml
// block sizes above (q8_0 = 34 B per 32 values = 8.5 bits).
constexpr std::array kCacheFormats{
    CacheFormat{"fp16", 16, false}, CacheFormat{"bf16", 16, false},
    CacheFormat{"fp32", 32, false}, CacheFormat{"fp8", 8, false},
    CacheFormat{"q8_0", 8.5, true}, CacheFormat{"q4_0", 4.5, true},
    CacheFormat{"q4_1", 5.0, true}, CacheFormat{"iq4_nl", 4.5, true},
    CacheFormat{"q5_0", 5.5, true}, CacheFormat{"q5_1", 6.0, true},
};

}  // namespace

std::span<const WeightFormat> weight_formats() {
  return kWeightFormats;
}

const WeightFormat* find_weight_format(std::string_view id) {
  for (const auto& f : kWeightFormats)
    if (f.id == id) return &f;
  return nullptr;
}

const GgmlType* find_ggml_type(std::string_view name) {
  for (const auto& t : kGgmlTypes)
    if (t.name == name) return &t;
  return nullptr;
}

const GgmlType* find_ggml_type(std::uint32_t id) {
  for (const auto& t : kGgmlTypes)
    if (std::uint32_t(t.id) == id) return &t;
  return nullptr;
}

std::span<const CacheFormat> cache_formats() {
  return kCacheFormats;
}

const CacheFormat* find_cache_format(std::string_view id) {
  for (const auto& f : kCacheFormats)
    if (f.id == id) return &f;
  return nullptr;
}

}  // namespace llmmem
