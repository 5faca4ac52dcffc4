// llama.cpp's GGUF files: which ggml type each tensor gets (llama-quant.cpp)
// and what the model's tensors then take, on the GPU and in host memory.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "parts/weights.hpp"
#include "util/text.hpp"

namespace llmmem {
namespace {

// k-quants and i-quants work on 256-value super-blocks (ggml QK_K).
constexpr std::int64_t kQK_K = 256;

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

// Everything about its layer that gguf_tensor_type reads (keep the two in
// step): layers with the same signature get the same types, so their bytes
// are the previous such layer's.
unsigned layer_signature(const GgufContext& c) {
  const std::int64_t i = c.layer, n = c.n_layer, v = c.i_attn_v;
  return unsigned(use_more_bits(v, c.n_attn_v)) | unsigned(v < 2) << 1 | unsigned(v < 4) << 2 |
         unsigned(i < n / 8) << 3 | unsigned(i < n / 16) << 4 | unsigned(use_more_bits(i, n)) << 5;
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

// The layer-dependent rules below read c.layer and c.i_attn_v only through
// the predicates layer_signature() lists.
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

namespace {

// The file-wide facts llama-quant.cpp decides tensor types by.
GgufContext gguf_context(const ModelArch& arch) {
  GgufContext ctx;
  ctx.n_layer = arch.num_layers;
  ctx.has_output = false;
  for (const auto& m : arch.tail_modules) ctx.has_output |= m.role == ModuleRole::LmHead;
  ctx.is_70b = (arch.model_type == "llama") && arch.num_layers == 80;
  std::int64_t n_v = 0;
  for (const auto& g : arch.layers) {
    if (g.spec.ffn.kind == FfnKind::Moe)
      ctx.n_expert = std::max(ctx.n_expert, g.spec.ffn.num_experts);
    if (g.spec.attn.num_kv_heads > 0)
      ctx.n_gqa = std::max<std::int64_t>(1, g.spec.attn.num_heads / g.spec.attn.num_kv_heads);
    for (const auto& m : g.modules)
      if (m.role == ModuleRole::Attention && gguf_kind(m) == GgufTensor::AttnV) n_v += g.count;
  }
  ctx.n_attn_v = std::max<std::int64_t>(1, n_v);
  return ctx;
}

// The model's tensors in one file type: their bytes, where they sit, and the
// types used (for the formula).
class GgufTensors {
 public:
  GgufTensors(const WeightFormat& format, WeightBreakdown& out)
      : format_(format), out_(out), f32_(*find_ggml_type("f32")) {}

  double quant = 0, vec = 0;  // 2-D (typed) and 1-D (F32) tensor bytes of the file
  double host = 0, device = 0, embd = 0;
  std::string mix;  // distinct types used, for the formula

  // One module's copies as added: its bytes and the parameters it counted.
  struct Added {
    double bytes = 0, vec = 0;
    ParamCount quantized, other;
  };

  // One module (all its copies) into the file.
  Added add(const Module& m, const GgufContext& c) {
    const Added a = bytes(m, c);
    add_again(a);
    return a;
  }
  // The same module of another layer with the same types: the same sums.
  void add_again(const Added& a) {
    out_.quantized_params += a.quantized;
    out_.other_params += a.other;
    quant += a.bytes, vec += a.vec;
  }

 private:
  void note_type(std::string_view t) {
    if (mix.find(t) == std::string::npos) mix += (mix.empty() ? "" : ", ") + std::string(t);
  }
  // One module's copies: (2-D bytes, 1-D bytes) and the parameters counted.
  Added bytes(const Module& m, const GgufContext& c) {
    const double copies = double(m.copies);
    Added a;
    if (m.role == ModuleRole::Norm || m.in <= 1 || m.out <= 1) {
      a.other = ParamCount(m.params_per_copy() * copies);
      a.vec = m.params_per_copy() * copies * f32_.bits() / 8;
      return a;
    }
    const bool embedding =
        m.role == ModuleRole::Embedding || m.role == ModuleRole::PositionEmbedding;
    const std::int64_t row = embedding ? m.out : m.in;  // ne[0]
    const double rows = embedding ? double(m.in) : double(m.out);
    std::string_view tname;
    if (m.role == ModuleRole::Router)
      tname = "f32";  // ffn_gate_inp is never quantized
    else if (format_.id == "mxfp4" && m.role == ModuleRole::Expert)
      tname = "mxfp4";
    else
      tname = gguf_tensor_type(format_.id, gguf_kind(m), c, row);
    const GgmlType* t = find_ggml_type(tname);
    if (!t) t = find_ggml_type("f16");
    note_type(t->name);
    a.bytes = rows * std::ceil(double(row) / t->block_size) * t->type_size * copies;
    a.quantized = ParamCount(m.weight_elements() * copies);
    a.vec = m.bias ? double(m.out) * 4 * copies : 0;
    if (m.bias) a.other = ParamCount(double(m.out) * copies);
    return a;
  }

  const WeightFormat& format_;
  WeightBreakdown& out_;
  const GgmlType& f32_;
};

// Every tensor to the GPU or the host: llama.cpp keeps token_embd on the host,
// layers below -ngl and (-ot exps=CPU) experts too.
bool place_tensors(const ModelArch& arch, const WeightSpec& spec, GgufTensors& t) {
  const GgufContext ctx = gguf_context(arch);
  const std::int64_t n_layers = arch.num_layers;
  const bool all_on_gpu = spec.gpu_layers < 0 || spec.gpu_layers > n_layers;
  const std::int64_t first_gpu =
      spec.gpu_layers < 0 ? 0 : std::max<std::int64_t>(0, n_layers - spec.gpu_layers);
  for (const auto& m : arch.head_modules) {
    const auto a = t.add(m, ctx);
    // llama.cpp keeps the input embedding on the host (get_rows runs on the CPU).
    t.host += a.bytes + a.vec;
    if (m.role == ModuleRole::Embedding) t.embd += a.bytes;
  }
  // The modules as added, one run of them per layer signature seen, kept
  // across groups with the same modules (Gemma's sliding and global layers).
  std::vector<unsigned> signatures;
  std::vector<GgufTensors::Added> added;
  const std::vector<Module>* cached = nullptr;
  for (const auto& g : arch.layers) {
    const std::size_t n = g.modules.size();
    if (!cached || *cached != g.modules) signatures.clear(), added.clear(), cached = &g.modules;
    for (std::int64_t i = g.first; i < g.first + g.count; ++i) {
      GgufContext c = ctx;
      c.layer = i;
      c.i_attn_v = i;
      const unsigned signature = layer_signature(c);
      std::size_t k = 0;
      while (k < signatures.size() && signatures[k] != signature) ++k;
      const bool again = k < signatures.size();
      if (!again) signatures.push_back(signature), added.resize(added.size() + n);
      for (std::size_t j = 0; j < n; ++j) {
        const Module& m = g.modules[j];
        GgufTensors::Added& a = added[k * n + j];
        if (again)
          t.add_again(a);
        else
          a = t.add(m, c);
        const bool on_gpu = i >= first_gpu;
        const bool expert_cpu = spec.experts_on_cpu && m.role == ModuleRole::Expert;
        ((on_gpu && !expert_cpu) ? t.device : t.host) += a.bytes + a.vec;
      }
    }
  }
  bool output_seen = false;
  for (const auto& m : arch.tail_modules) {
    const auto a = t.add(m, ctx);
    (all_on_gpu ? t.device : t.host) += a.bytes + a.vec;
    output_seen |= m.role == ModuleRole::LmHead;
  }
  // Tied embeddings: the output reuses token_embd, duplicated onto the GPU (TENSOR_DUPLICATED).
  const bool tied_duplicate = !output_seen && all_on_gpu;
  if (tied_duplicate) t.device += t.embd;
  for (const auto& m : arch.extra_modules) {
    const auto a = t.add(m, ctx);
    t.device += a.bytes + a.vec;
  }
  return tied_duplicate;
}

}  // namespace

WeightBreakdown gguf_weight_bytes(const ModelArch& arch, const WeightSpec& spec) {
  WeightBreakdown out;
  const WeightFormat& f = *spec.format;
  GgufTensors t(f, out);
  const bool tied_duplicate = place_tensors(arch, spec, t);
  const bool all_on_gpu = spec.gpu_layers < 0 || spec.gpu_layers > arch.num_layers;

  double file = t.quant + t.vec, device = t.device, host = t.host;
  std::string bpw_text;
  if (spec.bits_per_weight > 0) {
    // A specific file: scale the 2-D tensors so that the file has the stated bits per weight.
    const double all = out.quantized_params.value + out.other_params.value;
    const double target = all * spec.bits_per_weight / 8;
    const double k = t.quant > 0 ? std::max(0.0, (target - t.vec) / t.quant) : 1;
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
      " (llama.cpp's per-tensor types: " + t.mix + "; 1-D tensors F32) = " + format_gib(out.file) +
      " file (" + format_number(8 * file / std::max(1.0, all), 3) + " bits/weight)" + bpw_text +
      "; " + format_gib(out.host) + " stays on the host (token_embd" +
      (spec.experts_on_cpu ? ", experts" : "") + (all_on_gpu ? "" : ", layers not offloaded") + ")";
  if (tied_duplicate) out.formula += ", and the tied output is duplicated on the GPU";
  out.formula += " → " + format_gib(out.device) + " on the GPU";
  return out;
}

}  // namespace llmmem
