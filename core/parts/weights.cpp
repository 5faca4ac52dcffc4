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
// k-quants and i-quants work on 256-value super-blocks (ggml QK_K).
constexpr std::int64_t kQK_K = 256;

bool quantizable(const Module& m) {
  // Linear layers of the decoder; embeddings, norms, lm_head, routers and
  // vision towers keep their 16-bit weights in transformers/vLLM formats.
  return m.linear && m.role != ModuleRole::LmHead && m.role != ModuleRole::Router &&
         m.role != ModuleRole::Vision && m.role != ModuleRole::Other;
}

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}
bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The llama.cpp tensor a Hugging Face module becomes (convert_hf_to_gguf's tensor map).
GgufTensor gguf_kind(const Module& m) {
  const std::string_view n = m.name;
  switch (m.role) {
    case ModuleRole::Embedding:
      return GgufTensor::TokenEmbd;
    case ModuleRole::LmHead:
      return GgufTensor::Output;
    case ModuleRole::Attention:
      if (contains(n, "qkv") || contains(n, "query_key_value") || n == "c_attn")
        return GgufTensor::AttnQkv;
      if (n == "v_proj" || n == "v" || n == "value" || ends_with(n, ".v")) return GgufTensor::AttnV;
      if (n == "k_proj" || n == "k" || n == "key" || ends_with(n, ".k")) return GgufTensor::AttnK;
      if (n == "q_proj" || n == "q" || n == "query" || ends_with(n, ".q")) return GgufTensor::AttnQ;
      if (n == "o_proj" || n == "dense" || n == "c_proj" || n == "out_proj" || n == "o" ||
          ends_with(n, ".o") || contains(n, "output.dense"))
        return GgufTensor::AttnOutput;
      return GgufTensor::Other;
    case ModuleRole::Mlp:
    case ModuleRole::Expert:
    case ModuleRole::SharedExpert:
      if (contains(n, "down") || contains(n, "4h_to_h") || contains(n, "c_proj") ||
          ends_with(n, "w2") || ends_with(n, "wo") || contains(n, "fc2") || n == "output.dense")
        return GgufTensor::FfnDown;
      if (contains(n, "gate")) return GgufTensor::FfnGate;
      return GgufTensor::FfnUp;
    default:
      return GgufTensor::Other;
  }
}

// llama-quant.cpp use_more_bits: the first and last eighth of the layers and every third in
// between.
constexpr bool use_more_bits(std::int64_t i, std::int64_t n) {
  return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

// The file type's default tensor type (llama_model_quantize_impl default_type).
std::string_view gguf_default_type(std::string_view f) {
  if (f == "f32" || f == "f16" || f == "q8_0" || f == "q5_0" || f == "q5_1" || f == "q4_0" ||
      f == "q4_1" || f == "iq4_xs" || f == "iq4_nl" || f == "iq2_xxs" || f == "iq2_xs" ||
      f == "iq2_s" || f == "iq3_xxs" || f == "iq3_s" || f == "iq1_s" || f == "iq1_m" ||
      f == "tq1_0" || f == "tq2_0")
    return f;
  if (f == "q6_k") return "q6_K";
  if (f == "q5_k_m" || f == "q5_k_s") return "q5_K";
  if (f == "q4_k_m" || f == "q4_k_s") return "q4_K";
  if (f == "q3_k_s" || f == "q3_k_m" || f == "q3_k_l") return "q3_K";
  if (f == "q2_k" || f == "q2_k_s") return "q2_K";
  if (f == "iq2_m") return "iq2_s";
  if (f == "iq3_m" || f == "iq3_xs") return "iq3_s";
  if (f == "mxfp4") return "q8_0";  // LLAMA_FTYPE_MOSTLY_MXFP4_MOE: experts MXFP4, the rest Q8_0
  return "f16";
}

bool is_float_file(std::string_view f) {
  return f == "f32" || f == "f16";
}

}  // namespace

std::string_view gguf_tensor_type(std::string_view f, GgufTensor t, const GgufContext& c,
                                  std::int64_t row) {
  std::string_view type = gguf_default_type(f);
  if (is_float_file(f)) return type;  // F16/F32 files keep every 2-D tensor as is
  const bool low_iq = f == "iq2_xxs" || f == "iq2_xs" || f == "iq3_xxs" || f == "iq1_s" ||
                      f == "iq2_s" || f == "iq2_m" || f == "iq1_m";
  if (t == GgufTensor::Output || (t == GgufTensor::TokenEmbd && !c.has_output)) {
    if (row % kQK_K != 0) return "q8_0";
    if (low_iq) return "q5_K";
    return type == "q8_0" ? "q8_0" : "q6_K";
  }
  if (t == GgufTensor::TokenEmbd) {
    if (f == "iq2_xxs" || f == "iq2_xs" || f == "iq1_s" || f == "iq1_m")
      type = "q2_K";
    else if (f == "iq2_s" || f == "iq2_m")
      type = "iq3_s";
  } else if (t == GgufTensor::AttnV) {
    if (f == "q2_k")
      type = c.n_gqa >= 4 ? "q4_K" : "q3_K";
    else if (f == "q2_k_s" && c.n_gqa >= 4)
      type = "q4_K";
    else if (f == "q3_k_m")
      type = c.i_attn_v < 2 ? "q5_K" : "q4_K";
    else if (f == "q3_k_l")
      type = "q5_K";
    else if ((f == "iq4_nl" || f == "iq4_xs") && c.n_gqa >= 4)
      type = "q5_K";
    else if ((f == "q4_k_m" || f == "q5_k_m") && use_more_bits(c.i_attn_v, c.n_attn_v))
      type = "q6_K";
    else if (f == "q4_k_s" && c.i_attn_v < 4)
      type = "q5_K";
    if (c.is_70b && (type == "q3_K" || type == "q4_K")) type = "q5_K";
    if (c.n_expert == 8) type = "q8_0";
  } else if (t == GgufTensor::AttnK) {
    if (c.n_expert == 8) type = "q8_0";
  } else if (t == GgufTensor::FfnDown) {
    const std::int64_t i = c.layer, n = c.n_layer;
    if (f == "q2_k")
      type = "q3_K";
    else if (f == "q2_k_s" && i < n / 8)
      type = "q4_K";
    else if (f == "q3_k_m")
      type = i < n / 16 ? "q5_K" : "q4_K";
    else if (f == "q3_k_l")
      type = "q5_K";
    else if ((f == "q4_k_m" || f == "q5_k_m") && use_more_bits(i, n))
      type = "q6_K";
    else if ((f == "iq4_nl" || f == "iq4_xs") && i < n / 8)
      type = "q5_K";
    else if (f == "q4_k_s" && i < n / 8)
      type = "q5_K";
  } else if (t == GgufTensor::AttnOutput) {
    if (c.n_expert != 8) {
      if (f == "q2_k")
        type = "q3_K";
      else if (f == "iq3_m" || f == "q3_k_m")
        type = "q4_K";
      else if (f == "q3_k_l")
        type = "q5_K";
    }
  } else if (t == GgufTensor::AttnQkv) {
    if (f == "q3_k_m" || f == "q3_k_l" || f == "iq3_m")
      type = "q4_K";
    else if (f == "q4_k_m")
      type = "q5_K";
    else if (f == "q5_k_m")
      type = "q6_K";
  }
  // Rows that are not whole 256-value super-blocks fall back (llama-quant.cpp).
  const GgmlType* g = find_ggml_type(type);
  if (g && row % g->block_size != 0) {
    if (type == "q4_K") return "q5_0";
    if (type == "q5_K") return "q5_1";
    if (type == "q6_K") return "q8_0";
    return "iq4_nl";
  }
  return type;
}

double compute_bytes(const WeightFormat& format) {
  return format.id == "fp32" || format.id == "f32" ? 4 : 2;
}

namespace {

WeightBreakdown gguf_weights(const ModelArch& arch, const WeightSpec& spec) {
  WeightBreakdown out;
  const WeightFormat& f = *spec.format;
  const GgmlType& f32 = *find_ggml_type("f32");
  const bool mxfp4 = f.id == "mxfp4";
  bool has_output = false;
  for (const auto& m : arch.tail_modules) has_output |= m.role == ModuleRole::LmHead;

  GgufContext ctx;
  ctx.n_layer = arch.num_layers;
  ctx.has_output = has_output;
  ctx.is_70b = (arch.model_type == "llama") && arch.num_layers == 80;
  std::int64_t n_v = 0;
  for (const auto& g : arch.layers) {
    if (g.spec.ffn.kind == FfnKind::Moe)
      ctx.n_expert = std::max(ctx.n_expert, g.spec.ffn.num_experts);
    if (g.spec.attn.num_kv_heads > 0)
      ctx.n_gqa = std::max<std::int64_t>(1, g.spec.attn.num_heads / g.spec.attn.num_kv_heads);
    for (const auto& m : g.modules)
      if (gguf_kind(m) == GgufTensor::AttnV) n_v += g.count;
  }
  ctx.n_attn_v = std::max<std::int64_t>(1, n_v);

  const std::int64_t n_layers = arch.num_layers;
  const bool all_on_gpu = spec.gpu_layers < 0 || spec.gpu_layers > n_layers;
  const std::int64_t first_gpu =
      spec.gpu_layers < 0 ? 0 : std::max<std::int64_t>(0, n_layers - spec.gpu_layers);

  double quant = 0, vec = 0, host = 0, device = 0, embd = 0;
  double by_type_q4 = 0;
  (void)by_type_q4;
  std::string mix;  // distinct types used, for the formula
  auto note_type = [&](std::string_view t) {
    if (!contains(mix, std::string(t) + " ") && !contains(mix, std::string(t) + ",") &&
        mix.find(t) == std::string::npos)
      mix += (mix.empty() ? "" : ", ") + std::string(t);
  };
  // One module (all its copies) in one place; returns its bytes (2-D part, 1-D part).
  auto tensor = [&](const Module& m, const GgufContext& c,
                    double layers) -> std::pair<double, double> {
    const double copies = double(m.copies) * layers;
    if (m.role == ModuleRole::Norm || m.in <= 1 || m.out <= 1) {
      out.other_params += ParamCount(m.params_per_copy() * copies);
      return {0, m.params_per_copy() * copies * f32.bits() / 8};
    }
    const GgufTensor kind = gguf_kind(m);
    const bool embedding =
        m.role == ModuleRole::Embedding || m.role == ModuleRole::PositionEmbedding;
    const std::int64_t row = embedding ? m.out : m.in;  // ne[0]
    const double rows = embedding ? double(m.in) : double(m.out);
    std::string_view tname;
    if (m.role == ModuleRole::Router)
      tname = "f32";  // ffn_gate_inp is never quantized
    else if (mxfp4 && m.role == ModuleRole::Expert)
      tname = "mxfp4";
    else
      tname = gguf_tensor_type(f.id, kind, c, row);
    const GgmlType* t = find_ggml_type(tname);
    if (!t) t = find_ggml_type("f16");
    note_type(t->name);
    const double b = rows * std::ceil(double(row) / t->block_size) * t->type_size * copies;
    out.quantized_params += ParamCount(m.weight_elements() * copies);
    const double bias = m.bias ? double(m.out) * 4 * copies : 0;
    if (m.bias) out.other_params += ParamCount(double(m.out) * copies);
    return {b, bias};
  };

  for (const auto& m : arch.head_modules) {
    auto [b, v] = tensor(m, ctx, 1);
    quant += b, vec += v;
    // llama.cpp keeps the input embedding on the host (get_rows runs on the CPU).
    host += b + v;
    if (m.role == ModuleRole::Embedding) embd += b;
  }
  for (const auto& g : arch.layers) {
    for (std::int64_t i = g.first; i < g.first + g.count; ++i) {
      GgufContext c = ctx;
      c.layer = i;
      c.i_attn_v = i;
      for (const auto& m : g.modules) {
        auto [b, v] = tensor(m, c, 1);
        quant += b, vec += v;
        const bool on_gpu = i >= first_gpu;
        const bool expert_cpu = spec.experts_on_cpu && m.role == ModuleRole::Expert;
        ((on_gpu && !expert_cpu) ? device : host) += b + v;
      }
    }
  }
  bool output_seen = false;
  for (const auto& m : arch.tail_modules) {
    auto [b, v] = tensor(m, ctx, 1);
    quant += b, vec += v;
    (all_on_gpu ? device : host) += b + v;
    output_seen |= m.role == ModuleRole::LmHead;
  }
  // Tied embeddings: the output reuses token_embd, duplicated onto the GPU (TENSOR_DUPLICATED).
  if (!output_seen && all_on_gpu) device += embd;
  for (const auto& m : arch.extra_modules) {
    auto [b, v] = tensor(m, ctx, 1);
    quant += b, vec += v;
    device += b + v;
  }

  double file = quant + vec;
  std::string bpw_text;
  if (spec.bits_per_weight > 0) {
    // A specific file: scale the 2-D tensors so that the file has the stated bits per weight.
    const double all = out.quantized_params.value + out.other_params.value;
    const double target = all * spec.bits_per_weight / 8;
    const double k = quant > 0 ? std::max(0.0, (target - vec) / quant) : 1;
    device *= k, host *= k;  // 1-D tensors are a negligible share of either
    file = target;
    bpw_text =
        " (scaled to the file's " + format_number(spec.bits_per_weight) + " bits per weight)";
  }
  out.file = Bytes(file);
  out.host = Bytes(host);
  out.device = Bytes(device);
  const double all = out.quantized_params.value + out.other_params.value;
  out.formula =
      format_count(all) + " params as " + std::string(f.label) +
      " (llama.cpp's per-tensor types: " + mix + "; 1-D tensors F32) = " + format_gib(out.file) +
      " file (" + format_number(8 * file / std::max(1.0, all), 3) + " bits/weight)" + bpw_text +
      "; " + format_gib(out.host) + " stays on the host (token_embd" +
      (spec.experts_on_cpu ? ", experts" : "") + (all_on_gpu ? "" : ", layers not offloaded") + ")";
  if (!output_seen && all_on_gpu) out.formula += ", and the tied output is duplicated on the GPU";
  out.formula += " → " + format_gib(out.device) + " on the GPU";
  return out;
}

}  // namespace

WeightBreakdown weight_bytes(const ModelArch& arch, const WeightSpec& spec) {
  const WeightFormat& f = *spec.format;
  if (f.family == FormatFamily::Gguf) return gguf_weights(arch, spec);

  WeightBreakdown out;
  const double other_bytes = f.id == "fp32" ? 4 : 2;  // unquantized tensors
  const bool dq = arch.quantization ? arch.quantization->double_quant : true;
  // gpt-oss ships MXFP4 experts; vLLM and transformers keep them so on Hopper and later.
  const bool ckpt_mxfp4 =
      (arch.quantization && arch.quantization->method == "mxfp4") || arch.model_type == "gpt_oss";
  const bool vllm = spec.engine == Engine::Vllm;
  const double tp = vllm ? double(std::max<std::int64_t>(1, spec.tensor_parallel)) : 1.0;
  double per_param = 0;  // bytes per quantized parameter, scales included
  std::string rule;
  switch (f.family) {
    case FormatFamily::Float:
      per_param = f.nominal_bits / 8;
      rule = std::string(f.label);
      break;
    case FormatFamily::Fp8:
      per_param = 1 + 4 / (kFp8Block * kFp8Block);
      rule = "FP8 + fp32 scale per 128×128 block";
      break;
    case FormatFamily::BnbInt8:
      per_param = 1;
      rule = "int8 + fp32 scale per row";
      break;
    case FormatFamily::BnbNf4:
      per_param = 0.5 + (dq ? 1 / kNf4BlockSize + 4 / (kNf4BlockSize * kNf4DoubleQuantBlocks)
                            : 4 / kNf4BlockSize);
      rule = dq ? "NF4 + 8-bit absmax per 64 (double quantization)" : "NF4 + fp32 absmax per 64";
      break;
    case FormatFamily::Int4:
      // transformers' plain load_in_4bit: bitsandbytes FP4, an fp32 absmax per 64 values, no double
      // quantization.
      per_param = 0.5 + 4 / kNf4BlockSize;
      rule = "4-bit (bitsandbytes default) + fp32 absmax per 64";
      break;
    case FormatFamily::Gptq:
    case FormatFamily::Awq: {
      const double bits = f.nominal_bits;
      per_param = bits / 8 + (2 + bits / 8) / kGroupSize;
      rule = std::string(f.label) + " + fp16 scale and packed zero per 128-group";
      break;
    }
    case FormatFamily::Gguf:
      break;
  }
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

}  // namespace llmmem
