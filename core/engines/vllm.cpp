// vLLM: the weights, a profile run that finds the peak of one forward pass of
// max_num_batched_tokens, and a KV-block pool that fills what
// gpu_memory_utilization leaves.
#include <algorithm>
#include <cmath>

#include "engines/common.hpp"
#include "engines/engines.hpp"
#include "engines/inference.hpp"
#include "parts/vllm_pages.hpp"
#include "util/formula.hpp"
#include "util/text.hpp"

namespace llmmem {

namespace {

using engines::mib;

// vLLM CUDA-graph capture: "Graph capturing finished in N secs, took
// 0.17-0.62 GiB" in the start-up logs (measurements.md).
constexpr double kVllmCudaGraphBytes = 0.4 * 1024 * 1024 * 1024;
// vLLM defaults: gpu_memory_utilization 0.9, max_num_seqs 256 (EngineArgs).
constexpr double kVllmDefaultUtilization = 0.9;
constexpr std::int64_t kVllmDefaultMaxNumSeqs = 256;
// Bytes per logit in vLLM's profile run: the model's bf16 logits, an fp32
// copy, the softmax probabilities and the log-probabilities (V0 sampler).
constexpr double kVllmLogitBytes = 2 + 4 + 4 + 4;
// AWQ in vLLM: at 256 tokens or more it dequantizes the weight to fp16 and
// runs a plain matmul (awq.py FP16_MATMUL_HEURISTIC_CONDITION).
constexpr std::int64_t kAwqDequantTokens = 256;

// The engine arguments, with vLLM's defaults where the request leaves them.
struct VllmArgs {
  std::int64_t tp = 1;
  double util = kVllmDefaultUtilization;
  std::int64_t max_model_len = 0;
  std::int64_t mnbt = 0;  // max_num_batched_tokens
  std::int64_t max_seqs = kVllmDefaultMaxNumSeqs;
  bool graphs = true;
};

VllmArgs engine_args(const Request& req, const ModelArch& arch, const WeightFormat* f, Report& r) {
  VllmArgs a;
  a.tp = std::max<std::int64_t>(1, req.tensor_parallel);
  a.util = req.gpu_memory_utilization.value_or(kVllmDefaultUtilization);
  a.max_model_len = req.max_model_len.value_or(
      arch.max_position_embeddings > 0 ? arch.max_position_embeddings : req.seq_len);
  // V0 without chunked prefill profiles max(max_model_len, 2048) tokens;
  // with chunked prefill (long contexts; always in V1) `vllm serve` uses 8192.
  a.mnbt = req.max_num_batched_tokens.value_or(
      a.max_model_len > 32768 ? 8192 : std::max<std::int64_t>(a.max_model_len, 2048));
  a.max_seqs = req.max_num_seqs.value_or(kVllmDefaultMaxNumSeqs);
  a.graphs = req.cuda_graphs.value_or(true);
  r.setting("weights", std::string(f->id));
  r.setting("tensor parallel", std::to_string(a.tp));
  r.setting("gpu_memory_utilization",
            format_number(a.util) + (req.gpu_memory_utilization ? "" : " (default)"));
  r.setting("max_model_len", format_integer(double(a.max_model_len)) +
                                 (req.max_model_len ? "" : " (model default)"));
  r.setting("max_num_batched_tokens",
            format_integer(double(a.mnbt)) + (req.max_num_batched_tokens ? "" : " (default)"));
  r.setting("max_num_seqs", std::to_string(a.max_seqs) + (req.max_num_seqs ? "" : " (default)"));
  r.setting("cuda graphs", a.graphs ? "on" : "off (--enforce-eager)");
  if (!req.max_num_batched_tokens)
    r.warnings.push_back(
        "vLLM's profile run assumed at max_num_batched_tokens " + format_integer(double(a.mnbt)) +
        " (V0 rule up to a 32K context, 8192 above); set maxNumBatchedTokens for your version");
  if (req.kv_cache_v)
    r.warnings.push_back("kvCacheV applies to llama.cpp only; vLLM uses kvCache for K and V");
  return a;
}

// Profile run: one dummy forward of max_num_batched_tokens tokens over
// min(max_num_seqs, tokens) sequences; the peak holds the widest layer's
// transients and the sampler's logits.
double set_profile_run(const ModelArch& arch, const WeightFormat* f, const VllmArgs& a, double cb,
                       Report& r) {
  const engines::Shape s = engines::shape_of(arch);
  const double T = double(a.mnbt), S = double(std::min<std::int64_t>(a.max_seqs, a.mnbt)),
               tpd = double(a.tp);
  const double base = 3 * T * s.hidden * cb;  // residual, hidden states, normed input
  const double attn = T * (2 * s.q_dim + 2 * s.kv_dim) / tpd * cb;
  const double mlp =
      s.moe ? T * s.top_k * (3 * s.expert_ff / tpd + s.hidden) * cb + T * 3 * s.shared_ff / tpd * cb
            : T * 3 * s.ff / tpd * cb;
  double dequant = 0;
  if (f->family == FormatFamily::Awq && a.mnbt >= kAwqDequantTokens) {
    // the largest dequantized fp16 weight (gate_up of one layer)
    dequant = s.hidden * 2 * std::max(s.ff, s.expert_ff) / tpd * 2;
  }
  const double layer = base + std::max(attn, mlp) + dequant;
  const double logits = S * s.vocab * kVllmLogitBytes;
  const double act = layer + logits;
  // The text shows the widest transient per token, not the sum it comes from.
  r.set("activations", Bytes(act),
        "profile run of " + format_integer(T) + " tokens: " + format_integer(T) + " × (3 × " +
            format_integer(s.hidden) + " + " + format_integer(std::max(attn, mlp) / T / cb) +
            ") × " + format_number(cb) + " B" +
            (dequant > 0 ? " + AWQ dequantized weight " + mib(dequant) : "") + " + logits " +
            format_integer(S) + " seqs × " + format_integer(s.vocab) + " × " +
            format_number(kVllmLogitBytes) + " B = " + mib(act));
  return act;
}

// With recurrent layers the pool is counted in pages (vllm_pages.hpp): the
// blocks it holds, vLLM's logged "GPU KV cache size" (which charges every
// group as attention), the sequences each holding its blocks ("Maximum
// concurrency"), and the longest request that fits.
void set_hybrid_capacity(const VllmHybridPages& p, double pool, std::int64_t seq_len,
                         VllmCapacity& cap) {
  const double blocks = std::floor(pool / p.block_bytes());
  cap.kv_tokens = p.reported_tokens(blocks);
  cap.max_concurrent_seqs = blocks / p.blocks_per_seq(seq_len);
  cap.seqs_at_once = std::floor(cap.max_concurrent_seqs);
  const double attention_blocks = blocks - double(p.state_groups);
  cap.longest_request =
      attention_blocks < 0 ? 0
      : p.attention_groups > 0
          ? std::floor(attention_blocks / double(p.attention_groups)) * double(p.block_tokens)
          : cap.max_model_len;
}

// What vLLM claims of the card and how many tokens its KV pool holds.
void set_capacity(const Request& req, const ModelArch& arch, const VllmArgs& a,
                  const WeightBreakdown& w, double act, const KvSpec& ks, Report& r) {
  VllmCapacity cap;
  cap.card = Bytes(double(*req.gpu_memory_bytes));
  cap.budget = cap.card * a.util;
  cap.max_model_len = double(a.max_model_len);
  cap.max_num_seqs = double(a.max_seqs);
  const double pool = std::max(0.0, cap.budget.value - w.device.value - act - kVllmNonTorchBytes);
  cap.kv_pool = Bytes(pool);
  const double block = vllm_block_bytes(arch, ks);
  cap.kv_tokens = block > 0 ? std::floor(pool / block) * double(kVllmBlockTokens) : 0;
  cap.max_concurrent_seqs = cap.kv_tokens / double(req.seq_len);
  cap.longest_request = cap.kv_tokens;
  cap.seqs_at_once = std::floor(std::floor(cap.kv_tokens / double(kVllmBlockTokens)) /
                                std::ceil(double(req.seq_len) / double(kVllmBlockTokens)));
  if (const auto p = vllm_hybrid_pages(arch, ks)) set_hybrid_capacity(*p, pool, req.seq_len, cap);
  r.vllm = cap;
  r.warnings.push_back("vLLM claims " + format_gib(cap.budget) + " (" + format_number(a.util) +
                       " of the card) and fills " + format_gib(cap.kv_pool) +
                       " with KV blocks: " + format_integer(cap.kv_tokens) + " tokens, " +
                       format_number(cap.max_concurrent_seqs, 3) + " sequences of " +
                       format_integer(double(req.seq_len)) + "; nvidia-smi shows the whole budget");
  if (cap.longest_request < double(std::min(a.max_model_len, req.seq_len)))
    r.warnings.push_back("the KV pool holds fewer tokens than one sequence: vLLM refuses to start");
}

}  // namespace

void estimate_vllm(const Request& req, const ModelArch& arch, Report& r) {
  const WeightFormat* f = engines::checkpoint_format(req, r);
  const VllmArgs a = engine_args(req, arch, f, r);
  const auto [w, kv, cb, ks] = engines::torch_base(req, arch, f, Engine::Vllm, a.tp, r);
  r.set("weights", w.device, w.formula);
  r.set("kv_cache", kv.device, kv.formula + (a.tp > 1 ? " per rank" : ""));
  r.setting("kv cache", req.kv_cache == "auto" ? "model dtype" : req.kv_cache);
  if (req.seq_len > a.max_model_len)
    r.warnings.push_back("seqLen " + format_integer(double(req.seq_len)) +
                         " exceeds max_model_len " + format_integer(double(a.max_model_len)) +
                         ": vLLM rejects longer requests");

  const double act = set_profile_run(arch, f, a, cb, r);
  Formula overhead =
      named_bytes("CUDA context", kCudaContextBytes, engines::format_mib) +
      named_bytes("non-torch memory (NCCL, cuBLAS)", kVllmNonTorchBytes, engines::format_mib);
  if (a.graphs)
    overhead = overhead + named_bytes("CUDA graphs", kVllmCudaGraphBytes, engines::format_mib);
  r.set("overhead", overhead.bytes(), overhead.equals(engines::format_mib));

  if (req.gpu_memory_bytes) set_capacity(req, arch, a, w, act, ks, r);
}

}  // namespace llmmem
