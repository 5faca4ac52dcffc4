#include "engines/inference.hpp"

#include <algorithm>
#include <cmath>

#include "formats/formats.hpp"
#include "model/model.hpp"
#include "parts/kv_cache.hpp"
#include "parts/weights.hpp"
#include "util/text.hpp"

namespace llmmem {

std::vector<InferenceFormat> inference_formats(Engine engine) {
  switch (engine) {
    case Engine::Transformers:
      return {{"16-bit", "bf16"}, {"8-bit", "int8"}, {"4-bit", "nf4"}};
    case Engine::Vllm:
      return {{"16-bit", "bf16"}, {"8-bit", "fp8"}, {"4-bit", "awq-int4"}};
    case Engine::LlamaCpp:
      return {{"16-bit", "f16"}, {"8-bit", "q8_0"}, {"4-bit", "q4_k_m"}};
  }
  return {};
}

namespace {

std::string mib(double b) {
  return format_number(b / kMiB, 5) + " MiB";
}
std::string integer(double x) {
  return format_integer(x);
}

// The shapes the working-memory formulas need, taken from the widest layer.
struct Shape {
  double hidden = 0, vocab = 0, heads = 0, q_dim = 0, kv_dim = 0,
         ff = 0;  // ff: live MLP width per token
  bool moe = false;
  double top_k = 0, expert_ff = 0, shared_ff = 0;
};

Shape shape_of(const ModelArch& arch) {
  Shape s;
  s.hidden = double(arch.hidden_size);
  s.vocab = double(arch.vocab_size);
  for (const auto& g : arch.layers) {
    const auto& a = g.spec.attn;
    s.heads = std::max(s.heads, double(a.num_heads));
    const double qk = a.kind == AttnKind::Mla ? double(a.qk_nope_head_dim + a.qk_rope_head_dim)
                                              : double(a.head_dim);
    s.q_dim = std::max(s.q_dim, double(a.num_heads) * qk);
    s.kv_dim = std::max(s.kv_dim, double(a.num_kv_heads) * double(a.head_dim));
    const auto& f = g.spec.ffn;
    if (f.kind == FfnKind::Dense) s.ff = std::max(s.ff, double(f.intermediate));
    if (f.kind == FfnKind::Moe) {
      s.moe = true;
      s.top_k = std::max(s.top_k, double(f.top_k));
      s.expert_ff = std::max(s.expert_ff, double(f.expert_intermediate));
      s.shared_ff = std::max(s.shared_ff, double(f.shared_intermediate));
    }
  }
  return s;
}

const WeightFormat* resolve_format(const Request& req, Report& r) {
  const WeightFormat* f = find_weight_format(req.weights);
  if (!f) f = find_weight_format("bf16");
  if (req.engine == Engine::LlamaCpp && f->family != FormatFamily::Gguf) {
    // llama.cpp only runs GGUF files: map the contract's names onto file types.
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
    f = find_weight_format(id);
  } else if (req.engine != Engine::LlamaCpp && f->family == FormatFamily::Gguf) {
    r.warnings.push_back(std::string(f->label) +
                         " is a llama.cpp file type; estimated with llama.cpp's tensor types "
                         "as if the engine loaded it unchanged");
  }
  return f;
}

// Bits per KV element of a cache type id ("auto" = the engine's default).
double cache_bits(const std::string& id, Engine engine, double compute_bytes, Report& r,
                  const char* which) {
  if (id == "auto") return engine == Engine::LlamaCpp ? 16 : compute_bytes * 8;
  const CacheFormat* c = find_cache_format(id);
  if (!c) return 16;
  if (c->llama_cpp_only && engine != Engine::LlamaCpp) {
    r.warnings.push_back(std::string(which) + " type " + id + " is a llama.cpp cache type; " +
                         std::string(to_string(engine)) +
                         " has no such cache, estimated at its size anyway");
  }
  return c->bits;
}

void set_params(Report& r, const ModelArch& arch) {
  const ParamTotals t = count_params(arch);
  r.total_params = t.total;
  r.active_params = t.active;
  r.trainable_params = ParamCount(0);
}

// ---------------------------------------------------------------- llama.cpp

void llama_cpp(const Request& req, const ModelArch& arch, Report& r) {
  const WeightFormat* f = resolve_format(req, r);
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

  WeightSpec ws;
  ws.format = f;
  ws.engine = Engine::LlamaCpp;
  ws.bits_per_weight = req.bits_per_weight.value_or(0);
  ws.experts_on_cpu = req.experts_on_cpu;
  ws.gpu_layers = req.gpu_layers.value_or(-1);
  const WeightBreakdown w = weight_bytes(arch, ws);
  // --split-mode layer (the default) spreads whole layers over the GPUs; one
  // device holds about 1/gpus of the weights and of the KV cache.
  const double split = double(std::max<std::int64_t>(1, req.gpus));
  const std::string split_text =
      split > 1 ? " ÷ " + std::to_string(req.gpus) + " GPUs (layer split)" : "";
  r.set("weights", w.device / split, w.formula + split_text);
  if (split > 1) r.setting("split mode", "layer (" + std::to_string(req.gpus) + " GPUs)");

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
  r.set("kv_cache", kv.device / split, kv.formula + split_text);
  r.setting("kv cache", req.kv_cache == "auto" ? "f16" : req.kv_cache);

  // Compute buffer: ggml-alloc reuses memory between graph nodes, so the
  // buffer is the largest set of tensors live at once (f32 activations),
  // reserved for a worst-case ubatch in which every token outputs logits.
  const Shape s = shape_of(arch);
  const double ub = double(n_ub), cells = double(kv.cells), f32 = 4;
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

// ---------------------------------------------------------------- vLLM and transformers

// Weights in the requested format and a KV cache of batch × seqLen tokens in the
// kvCache dtype: what the two PyTorch engines share before their own working memory.
struct TorchBase {
  WeightBreakdown w;
  KvBreakdown kv;
  double cb = 2;  // bytes per element of the compute dtype
  KvSpec ks;      // the cache asked for (vLLM sizes its blocks from it)
};

TorchBase torch_base(const Request& req, const ModelArch& arch, const WeightFormat* f,
                     Engine engine, std::int64_t tp, Report& r) {
  TorchBase out;
  WeightSpec ws;
  ws.format = f;
  ws.engine = engine;
  ws.tensor_parallel = tp;
  out.w = weight_bytes(arch, ws);
  out.cb = compute_bytes(*f);
  KvSpec& ks = out.ks;
  ks.engine = engine;
  ks.k_bits = ks.v_bits = cache_bits(req.kv_cache, engine, out.cb, r, "kvCache");
  ks.batch = req.batch;
  ks.seq_len = req.seq_len;
  ks.tensor_parallel = tp;
  out.kv = kv_cache_bytes(arch, ks);
  return out;
}

// ---------------------------------------------------------------- vLLM

void vllm(const Request& req, const ModelArch& arch, Report& r) {
  const WeightFormat* f = resolve_format(req, r);
  const std::int64_t tp = std::max<std::int64_t>(1, req.tensor_parallel);
  const double util = req.gpu_memory_utilization.value_or(kVllmDefaultUtilization);
  const std::int64_t max_model_len = req.max_model_len.value_or(
      arch.max_position_embeddings > 0 ? arch.max_position_embeddings : req.seq_len);
  // V0 without chunked prefill profiles max(max_model_len, 2048) tokens;
  // with chunked prefill (long contexts; always in V1) `vllm serve` uses 8192.
  const std::int64_t mnbt = req.max_num_batched_tokens.value_or(
      max_model_len > 32768 ? 8192 : std::max<std::int64_t>(max_model_len, 2048));
  const std::int64_t max_seqs = req.max_num_seqs.value_or(kVllmDefaultMaxNumSeqs);
  const bool graphs = req.cuda_graphs.value_or(true);
  r.setting("weights", std::string(f->id));
  r.setting("tensor parallel", std::to_string(tp));
  r.setting("gpu_memory_utilization",
            format_number(util) + (req.gpu_memory_utilization ? "" : " (default)"));
  r.setting("max_model_len",
            integer(double(max_model_len)) + (req.max_model_len ? "" : " (model default)"));
  r.setting("max_num_batched_tokens",
            integer(double(mnbt)) + (req.max_num_batched_tokens ? "" : " (default)"));
  r.setting("max_num_seqs", std::to_string(max_seqs) + (req.max_num_seqs ? "" : " (default)"));
  r.setting("cuda graphs", graphs ? "on" : "off (--enforce-eager)");
  if (!req.max_num_batched_tokens)
    r.warnings.push_back(
        "vLLM's profile run assumed at max_num_batched_tokens " + integer(double(mnbt)) +
        " (V0 rule up to a 32K context, 8192 above); set maxNumBatchedTokens for your version");
  if (req.kv_cache_v)
    r.warnings.push_back("kvCacheV applies to llama.cpp only; vLLM uses kvCache for K and V");

  const auto [w, kv, cb, ks] = torch_base(req, arch, f, Engine::Vllm, tp, r);
  r.set("weights", w.device, w.formula);
  r.set("kv_cache", kv.device, kv.formula + (tp > 1 ? " per rank" : ""));
  r.setting("kv cache", req.kv_cache == "auto" ? "model dtype" : req.kv_cache);
  if (req.seq_len > max_model_len)
    r.warnings.push_back("seqLen " + integer(double(req.seq_len)) + " exceeds max_model_len " +
                         integer(double(max_model_len)) + ": vLLM rejects longer requests");

  // Profile run: one dummy forward of max_num_batched_tokens tokens over
  // min(max_num_seqs, tokens) sequences; the peak holds the widest layer's
  // transients and the sampler's logits.
  const Shape s = shape_of(arch);
  const double T = double(mnbt), S = double(std::min<std::int64_t>(max_seqs, mnbt)),
               tpd = double(tp);
  const double base = 3 * T * s.hidden * cb;  // residual, hidden states, normed input
  const double attn = T * (2 * s.q_dim + 2 * s.kv_dim) / tpd * cb;
  const double mlp =
      s.moe ? T * s.top_k * (3 * s.expert_ff / tpd + s.hidden) * cb + T * 3 * s.shared_ff / tpd * cb
            : T * 3 * s.ff / tpd * cb;
  double dequant = 0;
  if (f->family == FormatFamily::Awq && mnbt >= kAwqDequantTokens) {
    // the largest dequantized fp16 weight (gate_up of one layer)
    dequant = s.hidden * 2 * std::max(s.ff, s.expert_ff) / tpd * 2;
  }
  const double layer = base + std::max(attn, mlp) + dequant;
  const double logits = S * s.vocab * kVllmLogitBytes;
  const double act = layer + logits;
  r.set("activations", Bytes(act),
        "profile run of " + integer(T) + " tokens: " + integer(T) + " × (3 × " + integer(s.hidden) +
            " + " + integer(std::max(attn, mlp) / T / cb) + ") × " + format_number(cb) + " B" +
            (dequant > 0 ? " + AWQ dequantized weight " + mib(dequant) : "") + " + logits " +
            integer(S) + " seqs × " + integer(s.vocab) + " × " + format_number(kVllmLogitBytes) +
            " B = " + mib(act));
  const double overhead =
      kCudaContextBytes + kVllmNonTorchBytes + (graphs ? kVllmCudaGraphBytes : 0);
  r.set("overhead", Bytes(overhead),
        "CUDA context " + mib(kCudaContextBytes) + " + non-torch memory (NCCL, cuBLAS) " +
            mib(kVllmNonTorchBytes) + (graphs ? " + CUDA graphs " + mib(kVllmCudaGraphBytes) : "") +
            " = " + mib(overhead));

  if (req.gpu_memory_bytes) {
    VllmCapacity cap;
    cap.card = Bytes(double(*req.gpu_memory_bytes));
    cap.budget = cap.card * util;
    cap.max_model_len = double(max_model_len);
    const double pool = std::max(0.0, cap.budget.value - w.device.value - act - kVllmNonTorchBytes);
    cap.kv_pool = Bytes(pool);
    const double block = vllm_block_bytes(arch, ks);
    cap.kv_tokens = block > 0 ? std::floor(pool / block) * double(kVllmBlockTokens) : 0;
    cap.max_concurrent_seqs = cap.kv_tokens / double(req.seq_len);
    r.vllm = cap;
    r.warnings.push_back("vLLM claims " + format_gib(cap.budget) + " (" + format_number(util) +
                         " of the card) and fills " + format_gib(cap.kv_pool) +
                         " with KV blocks: " + integer(cap.kv_tokens) + " tokens, " +
                         format_number(cap.max_concurrent_seqs, 3) + " sequences of " +
                         integer(double(req.seq_len)) + "; nvidia-smi shows the whole budget");
    if (cap.kv_tokens < double(std::min(max_model_len, req.seq_len)))
      r.warnings.push_back(
          "the KV pool holds fewer tokens than one sequence: vLLM refuses to start");
  }
}

// ---------------------------------------------------------------- transformers

void transformers(const Request& req, const ModelArch& arch, Report& r) {
  const WeightFormat* f = resolve_format(req, r);
  const Attention att = req.attention.value_or(Attention::Sdpa);
  r.setting("weights", std::string(f->id));
  r.setting("attention", std::string(to_string(att)) + (req.attention ? "" : " (default)"));
  if (req.kv_cache_v)
    r.warnings.push_back(
        "kvCacheV applies to llama.cpp only; transformers uses kvCache for K and V");
  const auto [w, kv, cb, ks] = torch_base(req, arch, f, Engine::Transformers, 1, r);
  r.set("weights", w.device, w.formula);
  r.set("kv_cache", kv.device, "DynamicCache: " + kv.formula);
  r.setting("kv cache", req.kv_cache == "auto" ? "DynamicCache, model dtype" : req.kv_cache);

  // Working memory of a decode step: generate() keeps only the last token's
  // logits (logits_to_keep=1), upcast to fp32, then softmax for sampling;
  // plus the step's hidden states and PyTorch's cuBLAS workspace.
  const Shape s = shape_of(arch);
  const double b = double(req.batch);
  const double logits = b * s.vocab * 4 * 2;
  const double hidden = b * (4 * s.hidden + 3 * std::max(s.ff, s.top_k * s.expert_ff)) * cb;
  double scores = 0;
  if (att == Attention::Eager) {
    // eager attention materialises one layer's scores for the whole prompt at
    // prefill (fp32 softmax, then cast): batch × heads × s² × (4 + 2) B, prompt ≈ seqLen.
    scores = b * s.heads * double(req.seq_len) * double(req.seq_len) * 6;
  }
  const double act = logits + hidden + scores + kCublasWorkspaceBytes;
  r.set("activations", Bytes(act),
        "last-token logits " + integer(b) + " × " + integer(s.vocab) +
            " × 4 B × 2 (fp32 + softmax) + hidden states " + mib(hidden) +
            (scores > 0 ? " + eager attention scores " + mib(scores) : "") +
            " + cuBLAS workspace " + mib(kCublasWorkspaceBytes) + " = " + mib(act));
  r.set("overhead", Bytes(kCudaContextBytes),
        "CUDA context (not in torch's statistics): " + mib(kCudaContextBytes));
  r.warnings.push_back(
      "peak at the end of generation (weights + full DynamicCache); a long prompt's prefill adds "
      "its "
      "MLP intermediates (prompt × intermediate_size × 2 B × 3) for one layer");
}

}  // namespace

Report estimate_inference(const Request& req) {
  Report r = empty_report("detailed");
  const ModelArch& arch = *req.model.arch;
  set_params(r, arch);
  r.setting("engine", std::string(to_string(req.engine)));
  switch (req.engine) {
    case Engine::LlamaCpp:
      llama_cpp(req, arch, r);
      break;
    case Engine::Vllm:
      vllm(req, arch, r);
      break;
    case Engine::Transformers:
      transformers(req, arch, r);
      break;
  }
  if (req.engine != Engine::Vllm && req.tensor_parallel > 1)
    r.warnings.push_back(
        "tensorParallel applies to vLLM only; figures are for one GPU holding the model");
  r.ok = true;
  return r;
}

}  // namespace llmmem
