#include "parts/weights.hpp"

#include <algorithm>
#include <cmath>

#include "api/request.hpp"
#include "util/text.hpp"

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
// gpt-oss ships its experts as MXFP4: 4-bit values + one 8-bit scale per 32 = 4.25 bits.
constexpr double kMxfp4Bits = 4.25;

bool quantizable(const Module& m) {
  // Linear layers of the decoder; embeddings, norms, lm_head, routers and
  // vision towers keep their 16-bit weights in transformers/vLLM formats.
  return m.linear && m.role != ModuleRole::LmHead && m.role != ModuleRole::Router &&
         m.role != ModuleRole::Vision && m.role != ModuleRole::Other;
}

}  // namespace

double compute_bytes(const WeightFormat& format) {
  return format.id == "fp32" || format.id == "f32" ? 4 : 2;
}

namespace {

// Bytes per quantized parameter of a checkpoint format, scales included, and
// how they come about.
struct QuantRule {
  double per_param = 0;
  std::string rule;
};

QuantRule checkpoint_rule(const WeightFormat& f, bool double_quant) {
  switch (f.family) {
    case FormatFamily::Float:
      return {f.nominal_bits / 8, std::string(f.label)};
    case FormatFamily::Fp8:
      return {1 + 4 / (kFp8Block * kFp8Block), "FP8 + fp32 scale per 128×128 block"};
    case FormatFamily::BnbInt8:
      return {1, "int8 + fp32 scale per row"};
    case FormatFamily::BnbNf4:
      return {0.5 + (double_quant ? 1 / kNf4BlockSize + 4 / (kNf4BlockSize * kNf4DoubleQuantBlocks)
                                  : 4 / kNf4BlockSize),
              double_quant ? "NF4 + 8-bit absmax per 64 (double quantization)"
                           : "NF4 + fp32 absmax per 64"};
    case FormatFamily::Int4:
      // transformers' plain load_in_4bit: bitsandbytes FP4, an fp32 absmax per 64 values, no double
      // quantization.
      return {0.5 + 4 / kNf4BlockSize, "4-bit (bitsandbytes default) + fp32 absmax per 64"};
    case FormatFamily::Gptq:
    case FormatFamily::Awq: {
      const double bits = f.nominal_bits;
      return {bits / 8 + (2 + bits / 8) / kGroupSize,
              std::string(f.label) + " + fp16 scale and packed zero per 128-group"};
    }
    case FormatFamily::Gguf:
      break;
  }
  return {};
}

}  // namespace

namespace {

WeightBreakdown format_weight_bytes(const ModelArch& arch, const WeightSpec& spec) {
  const WeightFormat& f = *spec.format;
  if (f.family == FormatFamily::Gguf) return gguf_weight_bytes(arch, spec);

  WeightBreakdown out;
  const double other_bytes = f.id == "fp32" ? 4 : 2;  // unquantized tensors
  const bool dq = arch.quantization ? arch.quantization->double_quant : true;
  // gpt-oss ships MXFP4 experts; vLLM and transformers keep them so on Hopper and later.
  const bool ckpt_mxfp4 =
      (arch.quantization && arch.quantization->method == "mxfp4") || arch.model_type == "gpt_oss";
  const bool vllm = spec.engine == Engine::Vllm;
  const double tp = vllm ? double(std::max<std::int64_t>(1, spec.tensor_parallel)) : 1.0;
  const QuantRule quant = checkpoint_rule(f, dq);
  const double per_param = quant.per_param;  // bytes per quantized parameter, scales included
  const std::string& rule = quant.rule;
  double quantized_bytes = 0, other = 0, mx = 0;
  arch.for_each_module([&](const Module& m, std::int64_t layers) {
    const double copies = double(m.copies) * double(layers);
    // vLLM: embeddings and lm_head padded to 64 rows, then split; norms and routers replicated.
    double share = 1.0;
    double pad = 1.0;
    if (vllm) {
      const bool vocab = m.role == ModuleRole::Embedding || m.role == ModuleRole::LmHead;
      if (vocab) {
        const double rows = m.role == ModuleRole::Embedding ? double(m.in) : double(m.out);
        pad = double(round_up_vocab(std::int64_t(rows))) / std::max(1.0, rows);
      }
      const bool replicated =
          m.role == ModuleRole::Norm || m.role == ModuleRole::Router || m.in <= 1;
      share = replicated ? 1.0 : 1.0 / tp;
    }
    if (ckpt_mxfp4 && m.role == ModuleRole::Expert) {
      // gpt-oss: the checkpoint's experts stay MXFP4 whatever the requested format (already
      // smaller).
      const double b = (m.weight_elements() * kMxfp4Bits / 8 + (m.bias ? double(m.out) * 2 : 0)) *
                       copies * share;
      mx += b;
      out.quantized_params += module_params(m, layers);
      return;
    }
    if (f.family != FormatFamily::Float && quantizable(m)) {
      double b = m.weight_elements() * per_param * copies;
      if (f.family == FormatFamily::BnbInt8) b += 4.0 * double(m.out) * copies;  // SCB row scales
      if (f.family == FormatFamily::Gptq) b += 4.0 * double(m.in) * copies;      // g_idx
      if (m.bias) b += 2.0 * double(m.out) * copies;
      quantized_bytes += b * share;
      out.quantized_params += module_params(m, layers);
    } else {
      const double per = f.family == FormatFamily::Float ? per_param : other_bytes;
      other += m.params_per_copy() * copies * per * share * pad;
      out.other_params += module_params(m, layers);
    }
  });
  out.file = Bytes(quantized_bytes + other + mx);
  out.device = out.file;
  const std::string tp_text = tp > 1 ? " per rank at tensor parallel " + format_number(tp) : "";
  const std::string mx_text = mx > 0 ? " + MXFP4 experts (4.25 bits) " + format_gb(Bytes(mx)) : "";
  if (f.family == FormatFamily::Float) {
    out.formula = format_count(out.other_params.value) + " params × " + format_number(per_param) +
                  " B (" + rule + (vllm ? "; vocabulary padded to 64" : "") + ")" + mx_text +
                  tp_text + " = " + format_gb(out.device);
  } else {
    out.formula = format_count(out.quantized_params.value) + " params × " +
                  format_number(per_param, 5) + " B (" + rule + ") + " +
                  format_count(out.other_params.value) + " params × " + format_number(other_bytes) +
                  " B (embeddings, norms, lm_head, routers)" + tp_text + " = " +
                  format_gb(out.device);
  }
  return out;
}

}  // namespace

WeightBreakdown weight_bytes(const ModelArch& arch, const WeightSpec& spec) {
  if (spec.file_bytes <= 0) return format_weight_bytes(arch, spec);
  // The files' exact bytes replace the format's estimate of the whole model; where the
  // tensors sit (GPU, host, each tensor-parallel rank) keeps the estimate's shares.
  WeightSpec whole = spec;
  whole.file_bytes = 0;
  whole.bits_per_weight = 0;
  whole.tensor_parallel = 1;
  const double estimated = format_weight_bytes(arch, whole).file.value;
  WeightSpec own = spec;
  own.file_bytes = 0;
  own.bits_per_weight = 0;
  WeightBreakdown out = format_weight_bytes(arch, own);
  const double k = estimated > 0 ? spec.file_bytes / estimated : 1;
  out.device = Bytes(out.device.value * k);
  out.host = Bytes(out.host.value * k);
  out.file = Bytes(spec.file_bytes);
  out.formula = "the files' tensors: " + format_integer(spec.file_bytes) +
                " B = " + format_gb(out.file) + " (read from their headers; the " +
                std::string(spec.format->label) + " estimate was " + format_gb(Bytes(estimated)) +
                ")";
  if (out.host.value > 0 || out.device.value != spec.file_bytes)
    out.formula += " → " + format_gb(out.device) + " on the GPU" +
                   (out.host.value > 0 ? ", " + format_gb(out.host) + " on the host" : "");
  return out;
}

}  // namespace llmmem
