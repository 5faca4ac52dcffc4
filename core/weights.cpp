#include "weights.hpp"

#include <cmath>

#include "format.hpp"
#include "request.hpp"

namespace llmmem {
namespace {

// bitsandbytes NF4: 64-value blocks, one absmax each; with double
// quantization the absmax is stored in 8 bits with one fp32 per 256 blocks
// (Dettmers et al. 2023, QLoRA, section 3: 0.127 bits per parameter).
constexpr double kNf4BlockSize = 64;
constexpr double kNf4DoubleQuantBlocks = 256;
// GPTQ and AWQ checkpoints: group size 128 (AutoGPTQ / AutoAWQ defaults).
constexpr double kGroupSize = 128;
// FP8 checkpoints with block scales: 128 x 128 blocks (DeepSeek-V3, Qwen3-FP8).
constexpr double kFp8Block = 128;

bool quantizable(const Module& m) {
  // Linear layers of the decoder; embeddings, norms, lm_head, routers and
  // vision towers keep their 16-bit weights in transformers/vLLM formats.
  return m.linear && m.role != ModuleRole::LmHead && m.role != ModuleRole::Router &&
         m.role != ModuleRole::Vision && m.role != ModuleRole::Other;
}

struct GgufChoice {
  std::string_view base;    // most linear tensors
  std::string_view output;  // the output (lm_head) tensor
};

GgufChoice gguf_types(std::string_view ftype) {
  if (ftype == "f32") return {"f32", "f32"};
  if (ftype == "f16") return {"f16", "f16"};
  if (ftype == "q8_0") return {"q8_0", "q8_0"};
  if (ftype == "q6_k") return {"q6_K", "q6_K"};
  if (ftype == "q5_k_m" || ftype == "q5_k_s") return {"q5_K", "q6_K"};
  if (ftype == "q5_0") return {"q5_0", "q6_K"};
  if (ftype == "q5_1") return {"q5_1", "q6_K"};
  if (ftype == "q4_k_m" || ftype == "q4_k_s") return {"q4_K", "q6_K"};
  if (ftype == "q4_0") return {"q4_0", "q6_K"};
  if (ftype == "q4_1") return {"q4_1", "q6_K"};
  if (ftype == "iq4_xs") return {"iq4_xs", "q6_K"};
  if (ftype == "iq4_nl") return {"iq4_nl", "q6_K"};
  if (ftype == "mxfp4") return {"mxfp4", "q8_0"};
  if (ftype.substr(0, 4) == "q3_k") return {"q3_K", "q6_K"};
  if (ftype.substr(0, 3) == "iq3") return {"iq3_s", "q6_K"};
  if (ftype.substr(0, 4) == "q2_k") return {"q2_K", "q6_K"};
  if (ftype == "iq2_xxs") return {"iq2_xxs", "q6_K"};
  if (ftype == "iq2_xs") return {"iq2_xs", "q6_K"};
  if (ftype.substr(0, 3) == "iq2") return {"iq2_s", "q6_K"};
  if (ftype == "iq1_s") return {"iq1_s", "q6_K"};
  if (ftype == "iq1_m") return {"iq1_m", "q6_K"};
  if (ftype == "tq1_0") return {"tq1_0", "q6_K"};
  if (ftype == "tq2_0") return {"tq2_0", "q6_K"};
  return {"f16", "f16"};
}

// Bytes of a tensor of `elements` values stored as ggml type `t` (whole blocks per row).
double ggml_bytes(const GgmlType& t, double rows, double cols) {
  return rows * std::ceil(cols / t.block_size) * t.type_size;
}

}  // namespace

double compute_bytes(const WeightFormat& format) { return format.id == "fp32" || format.id == "f32" ? 4 : 2; }

WeightBreakdown weight_bytes(const ModelArch& arch, const WeightSpec& spec) {
  WeightBreakdown out;
  const WeightFormat& f = *spec.format;
  const double other_bytes = f.id == "fp32" || f.id == "f32" ? 4 : 2;  // unquantized tensors
  double quantized_bytes = 0, other = 0;

  if (f.family == FormatFamily::Gguf) {
    const GgufChoice choice = gguf_types(f.id);
    const GgmlType* base = find_ggml_type(choice.base);
    const GgmlType* head = find_ggml_type(choice.output);
    const GgmlType* f32 = find_ggml_type("f32");
    double host = 0;
    arch.for_each_module([&](const Module& m, std::int64_t layers) {
      const double copies = double(m.copies) * double(layers);
      // 1-D tensors (norms, biases, sinks) stay F32 in GGUF files.
      const double bias = m.bias ? ggml_bytes(*f32, 1, double(m.out)) * copies : 0;
      if (m.role == ModuleRole::Norm || m.in == 1) {
        other += ggml_bytes(*f32, 1, m.params_per_copy()) * copies;
        out.other_params += module_params(m, layers);
        return;
      }
      const GgmlType* t = m.role == ModuleRole::LmHead ? head : base;
      double b = ggml_bytes(*t, double(m.in), double(m.out)) * copies;
      quantized_bytes += b + bias;
      out.quantized_params += module_params(m, layers);
      // llama.cpp keeps the input embedding on the host (get_rows runs on the CPU).
      if (m.role == ModuleRole::Embedding) host += b;
      if (spec.experts_on_cpu && m.role == ModuleRole::Expert) host += b + bias;
    });
    // Tied embeddings: llama.cpp stores the output tensor anyway only when untied.
    out.file = Bytes(quantized_bytes + other);
    if (spec.bits_per_weight > 0) {
      const double all = out.quantized_params.value + out.other_params.value;
      const double scale = all * spec.bits_per_weight / 8 / out.file.value;
      out.file = Bytes(all * spec.bits_per_weight / 8);
      host *= scale;
    }
    out.host = Bytes(host);
    out.device = out.file - out.host;
    out.formula = format_count(out.quantized_params.value + out.other_params.value) + " params as GGUF " +
                  std::string(f.label) + " (" + std::string(choice.base) + " blocks of " +
                  format_number(base->bits()) + " bits, output " + std::string(choice.output) +
                  ", norms F32) = " + format_gib(out.file) + " file; " + format_gib(out.host) +
                  " stays on the host (token_embd) → " + format_gib(out.device) + " on the GPU";
    return out;
  }

  const auto dq = arch.quantization ? arch.quantization->double_quant : true;
  double per_param = 0;  // bytes per quantized parameter, scales included
  std::string rule;
  switch (f.family) {
    case FormatFamily::Float: per_param = f.nominal_bits / 8; rule = std::string(f.label); break;
    case FormatFamily::Fp8: per_param = 1 + 4 / (kFp8Block * kFp8Block); rule = "FP8 + fp32 scale per 128×128 block"; break;
    case FormatFamily::BnbInt8: per_param = 1; rule = "int8 + fp32 scale per row"; break;
    case FormatFamily::BnbNf4:
      per_param = 0.5 + (dq ? 1 / kNf4BlockSize + 4 / (kNf4BlockSize * kNf4DoubleQuantBlocks) : 4 / kNf4BlockSize);
      rule = dq ? "NF4 + 8-bit absmax per 64 (double quantization)" : "NF4 + fp32 absmax per 64";
      break;
    case FormatFamily::Int4: per_param = 0.5 + 2 / kGroupSize; rule = "4-bit + fp16 scale per 128"; break;
    case FormatFamily::Gptq:
    case FormatFamily::Awq: {
      const double bits = f.nominal_bits;
      per_param = bits / 8 + (2 + bits / 8) / kGroupSize;
      rule = std::string(f.label) + " + fp16 scale and packed zero per 128-group";
      break;
    }
    case FormatFamily::Gguf: break;
  }
  arch.for_each_module([&](const Module& m, std::int64_t layers) {
    const double copies = double(m.copies) * double(layers);
    if (f.family != FormatFamily::Float && quantizable(m)) {
      double b = m.weight_elements() * per_param * copies;
      if (f.family == FormatFamily::BnbInt8) b += 4.0 * double(m.out) * copies;  // SCB row scales
      if (f.family == FormatFamily::Gptq) b += 4.0 * double(m.in) * copies;      // g_idx
      if (m.bias) b += 2.0 * double(m.out) * copies;
      quantized_bytes += b;
      out.quantized_params += module_params(m, layers);
    } else {
      const double per = f.family == FormatFamily::Float ? per_param : other_bytes;
      other += m.params_per_copy() * copies * per;
      out.other_params += module_params(m, layers);
    }
  });
  out.file = Bytes(quantized_bytes + other);
  out.device = out.file;
  if (f.family == FormatFamily::Float) {
    out.formula = format_count(out.other_params.value) + " params × " + format_number(per_param) + " B (" +
                  rule + ") = " + format_gb(out.device);
  } else {
    out.formula = format_count(out.quantized_params.value) + " params × " + format_number(per_param, 5) +
                  " B (" + rule + ") + " + format_count(out.other_params.value) + " params × " +
                  format_number(other_bytes) + " B (embeddings, norms, lm_head, routers) = " +
                  format_gb(out.device);
  }
  return out;
}

}  // namespace llmmem
