// llama.cpp: GGUF weights with per-tensor types, a KV cache preallocated for
// n_ctx cells, and a compute buffer reserved for the worst-case ubatch.
#include <algorithm>
#include <string>

#include "engines/common.hpp"
#include "engines/engines.hpp"
#include "engines/inference.hpp"
#include "util/text.hpp"

namespace llmmem {

namespace {

using engines::mib;

// llama.cpp defaults (common.h): n_ubatch 512, n_batch 2048; flash attention "auto" (on where
// supported).
constexpr std::int64_t kLlamaDefaultUbatch = 512;

std::string integer(double x) {
  return format_integer(x);
}

// llama.cpp only runs GGUF files: map the contract's names onto file types.
const WeightFormat* gguf_format(const Request& req, Report& r) {
  const WeightFormat* f = engines::requested_format(req);
  if (f->family == FormatFamily::Gguf) return f;
  std::string_view id = "f16";
  if (f->id == "fp32")
    id = "f32";
  else if (f->family == FormatFamily::Float)
    id = "f16";
  else if (f->nominal_bits >= 8)
    id = "q8_0";
  else
    id = "q4_k_m";
  if (f->family != FormatFamily::Float)
    r.warnings.push_back("llama.cpp runs GGUF files: " + std::string(f->label) +
                         " is estimated as GGUF " + std::string(id));
  return find_weight_format(id);
}

// --split-mode layer (the default) spreads whole layers over the GPUs; one
// device holds about 1/gpus of the weights and of the KV cache.
struct LayerSplit {
  double gpus = 1;
  std::string text;  // " ÷ 2 GPUs (layer split)", empty on one GPU
  explicit LayerSplit(const Request& req) : gpus(double(std::max<std::int64_t>(1, req.gpus))) {
    if (gpus > 1) text = " ÷ " + std::to_string(req.gpus) + " GPUs (layer split)";
  }
};

// The model's tensors as llama.cpp loads them, split over the GPUs.
WeightBreakdown set_weights(const Request& req, const ModelArch& arch, const WeightFormat* f,
                            Report& r) {
  WeightSpec ws;
  ws.format = f;
  ws.engine = Engine::LlamaCpp;
  ws.bits_per_weight = req.bits_per_weight.value_or(0);
  ws.experts_on_cpu = req.experts_on_cpu;
  ws.gpu_layers = req.gpu_layers.value_or(-1);
  ws.file_bytes = double(req.weights_bytes.value_or(0));
  const WeightBreakdown w = weight_bytes(arch, ws);
  const LayerSplit split(req);
  r.set("weights", w.device / split.gpus, w.formula + split.text);
  if (split.gpus > 1) r.setting("split mode", "layer (" + std::to_string(req.gpus) + " GPUs)");
  return w;
}

KvBreakdown set_kv_cache(const Request& req, const ModelArch& arch, bool flash, std::int64_t n_ub,
                         Report& r) {
  using engines::cache_bits;
  KvSpec ks;
  ks.engine = Engine::LlamaCpp;
  ks.k_bits = cache_bits(req.kv_cache, Engine::LlamaCpp, 2, r, "kvCache");
  ks.v_bits =
      req.kv_cache_v ? cache_bits(*req.kv_cache_v, Engine::LlamaCpp, 2, r, "kvCacheV") : ks.k_bits;
  ks.batch = req.batch;
  ks.seq_len = req.seq_len;
  ks.llama_flash = flash;
  ks.swa_full = req.swa_full;
  ks.ubatch = n_ub;
  ks.gpu_layers = req.gpu_layers.value_or(-1);
  if (!flash && req.kv_cache_v && *req.kv_cache_v != "fp16" && *req.kv_cache_v != "bf16" &&
      *req.kv_cache_v != "auto")
    r.warnings.push_back("llama.cpp needs flash attention (-fa) for a quantized V cache");
  const KvBreakdown kv = kv_cache_bytes(arch, ks);
  const LayerSplit split(req);
  r.set("kv_cache", kv.device / split.gpus, kv.formula + split.text);
  r.setting("kv cache", req.kv_cache == "auto" ? "f16" : req.kv_cache);
  return kv;
}

// Compute buffer: ggml-alloc reuses memory between graph nodes, so the
// buffer is the largest set of tensors live at once (f32 activations),
// reserved for a worst-case ubatch in which every token outputs logits.
void set_compute_buffer(const Request& req, const ModelArch& arch, bool flash, std::int64_t n_ub,
                        double cells, const WeightBreakdown& w, Report& r) {
  const engines::Shape s = engines::shape_of(arch);
  const double ub = double(n_ub), f32 = 4;
  const double hidden_live = 4 * ub * std::max(s.hidden, s.q_dim) * f32;
  const double attn =
      flash ? cells * ub * 2 + hidden_live  // f16 mask + Q, K/V views, output
            : cells * ub * s.heads * f32 + cells * ub * f32 + hidden_live;  // KQ scores + mask
  double ffn_width = s.moe ? s.top_k * s.expert_ff + s.shared_ff : s.ff;
  double ffn = 2 * ub * ffn_width * f32 + 2 * ub * s.hidden * f32;
  double expert_copy = 0;
  if (req.experts_on_cpu && s.moe && n_ub >= 32 && arch.is_moe()) {
    // With experts in host memory, a large ubatch runs their matmuls on the
    // GPU: the scheduler copies one expert tensor into the compute buffer.
    double expert_host = 0;
    std::int64_t moe_layers = 0;
    for (const auto& g : arch.layers)
      if (g.spec.ffn.kind == FfnKind::Moe) moe_layers += g.count;
    expert_host = w.host.value;  // token_embd is small next to the experts
    if (moe_layers > 0) expert_copy = expert_host / double(moe_layers) / 3;
    ffn += expert_copy;
  }
  const double out = ub * s.vocab * f32 + ub * s.hidden * f32;
  const double compute = std::max({attn, ffn, out});
  std::string which =
      compute == out ? "output logits " + integer(ub) + " × " + integer(s.vocab) + " × 4 B + hidden"
      : compute == attn
          ? (flash ? "flash attention: mask " + integer(cells) + " × " + integer(ub) +
                         " × 2 B + 4 hidden"
                   : "attention scores " + integer(cells) + " × " + integer(ub) + " × " +
                         integer(s.heads) + " heads × 4 B + mask + 4 hidden")
          : "FFN " + integer(ub) + " × " + integer(ffn_width) + " × 2 × 4 B" +
                (expert_copy > 0 ? " + one expert tensor copied from the host " + mib(expert_copy)
                                 : "");
  r.set("activations", Bytes(compute),
        "compute buffer = max(attention " + mib(attn) + ", FFN " + mib(ffn) + ", output " +
            mib(out) + ") = " + which + " = " + mib(compute));
}

}  // namespace

void estimate_llama_cpp(const Request& req, const ModelArch& arch, Report& r) {
  const WeightFormat* f = gguf_format(req, r);
  const bool flash = req.attention.value_or(Attention::Flash) != Attention::Eager;
  const std::int64_t ubatch = req.ubatch.value_or(kLlamaDefaultUbatch);
  const std::int64_t n_ctx = req.batch * req.seq_len;
  const std::int64_t n_ub = std::min(ubatch, n_ctx);
  r.setting("weights", std::string(f->id));
  r.setting("flash attention", req.attention ? (flash ? "on" : "off") : "on (-fa auto)");
  r.setting("n_ctx", integer(double(n_ctx)));
  r.setting("n_ubatch", integer(double(n_ub)) + (req.ubatch ? "" : " (default)"));
  r.setting("gpu layers", req.gpu_layers ? std::to_string(*req.gpu_layers) : "all (-ngl 999)");
  if (req.experts_on_cpu) r.setting("experts", "on the CPU (-ot exps=CPU)");
  if (req.swa_full) r.setting("swa", "--swa-full");

  const WeightBreakdown w = set_weights(req, arch, f, r);
  const KvBreakdown kv = set_kv_cache(req, arch, flash, n_ub, r);
  set_compute_buffer(req, arch, flash, n_ub, double(kv.cells), w, r);
  r.set("overhead", Bytes(kCudaContextBytes),
        "CUDA context and cuBLAS handles outside llama.cpp's buffers: " + mib(kCudaContextBytes));
  if (w.host.value > 0)
    r.warnings.push_back(format_gib(w.host) + " of weights stay in host memory (token_embd" +
                         std::string(req.experts_on_cpu ? ", experts" : "") +
                         (req.gpu_layers ? ", CPU layers" : "") + ")");
  if (kv.host.value > 0)
    r.warnings.push_back(format_gib(kv.host) +
                         " of KV cache stays in host memory with the CPU layers");
  if (has_mixed_windows(arch) && !req.swa_full)
    r.warnings.push_back(
        "sliding-window layers keep n_swa + n_ubatch cells (llama.cpp iSWA cache); --swa-full "
        "keeps n_ctx");
}

}  // namespace llmmem
