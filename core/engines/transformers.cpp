// transformers: PyTorch generate() with a DynamicCache. The peak is at the
// end of generation: the weights, the full cache, and one decode step's
// working memory.
#include <algorithm>

#include "engines/common.hpp"
#include "engines/engines.hpp"
#include "engines/inference.hpp"
#include "util/formula.hpp"
#include "util/text.hpp"

namespace llmmem {

namespace {

// PyTorch's cuBLAS workspace, allocated through the caching allocator and so
// counted by max_memory_allocated: ":4096:8" = 32 MiB on Hopper
// (CUDABlasHandlePool.cpp getChosenWorkspaceSize), 8 MiB + 128 KiB before.
constexpr double kCublasWorkspaceBytes = 32.0 * 1024 * 1024;
// generate() keeps the last token's logits upcast to fp32, then their softmax.
constexpr double kLogitBytes = 4, kLogitCopies = 2;

// Working memory of a decode step: generate() keeps only the last token's
// logits (logits_to_keep=1), upcast to fp32, then softmax for sampling;
// plus the step's hidden states and PyTorch's cuBLAS workspace.
Formula decode_working_memory(const Request& req, const ModelArch& arch, Attention attention,
                              double compute_bytes) {
  using engines::format_mib;
  const engines::Shape s = engines::shape_of(arch);
  const double b = double(req.batch);
  Formula act = Formula(b, "last-token logits " + format_integer(b)) * integer(s.vocab) *
                number(kLogitBytes, "B") * number(kLogitCopies).note(" (fp32 + softmax)");
  const double hidden =
      b * (4 * s.hidden + 3 * std::max(s.ff, s.top_k * s.expert_ff)) * compute_bytes;
  act = act + named_bytes("hidden states", hidden, format_mib);
  if (attention == Attention::Eager) {
    // eager attention materialises one layer's scores for the whole prompt at
    // prefill (fp32 softmax, then cast): batch × heads × s² × (4 + 2) B, prompt ≈ seqLen.
    const double scores = b * s.heads * double(req.seq_len) * double(req.seq_len) * 6;
    if (scores > 0) act = act + named_bytes("eager attention scores", scores, format_mib);
  }
  return act + named_bytes("cuBLAS workspace", kCublasWorkspaceBytes, format_mib);
}

}  // namespace

void estimate_transformers(const Request& req, const ModelArch& arch, Report& r) {
  const WeightFormat* f = engines::checkpoint_format(req, r);
  const Attention att = req.attention.value_or(Attention::Sdpa);
  r.setting("weights", std::string(f->id));
  r.setting("attention", std::string(to_string(att)) + (req.attention ? "" : " (default)"));
  if (req.kv_cache_v)
    r.warnings.push_back(
        "kvCacheV applies to llama.cpp only; transformers uses kvCache for K and V");
  const auto [w, kv, cb, ks] = engines::torch_base(req, arch, f, Engine::Transformers, 1, r);
  r.set("weights", w.device, w.formula);
  r.set("kv_cache", kv.device, "DynamicCache: " + kv.formula);
  r.setting("kv cache", req.kv_cache == "auto" ? "DynamicCache, model dtype" : req.kv_cache);

  const Formula act = decode_working_memory(req, arch, att, cb);
  r.set("activations", act.bytes(), act.equals(engines::format_mib));
  r.set("overhead", Bytes(kCudaContextBytes),
        "CUDA context (not in torch's statistics): " + engines::mib(kCudaContextBytes));
  r.warnings.push_back(
      "peak at the end of generation (weights + full DynamicCache); a long prompt's prefill adds "
      "its "
      "MLP intermediates (prompt × intermediate_size × 2 B × 3) for one layer");
}

}  // namespace llmmem
