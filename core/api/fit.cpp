#include "api/fit.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "catalog/catalog.hpp"
#include "formats/formats.hpp"
#include "model/model.hpp"
#include "util/text.hpp"

namespace llmmem {
namespace {

std::string count(double x) {
  return format_integer(x);
}

// The widest attention of the model: query heads and K/V heads that tensor
// parallelism splits (MLA: no K/V heads to split).
struct Heads {
  std::int64_t q = 0;
  std::int64_t kv = 0;
};

Heads heads_of(const ModelArch& arch) {
  Heads h;
  for (const auto& g : arch.layers) {
    const auto& a = g.spec.attn;
    if (a.kind != AttnKind::Standard && a.kind != AttnKind::Mla) continue;
    h.q = std::max(h.q, a.num_heads);
    if (a.kind == AttnKind::Standard) h.kv = std::max(h.kv, a.num_kv_heads);
  }
  return h;
}

class Checker {
 public:
  Checker(const Request& req, const Report& r) : req_(req), r_(r) {
    fit_.gpus = req.gpus;
    fit_.usable = Bytes(double(*req.gpu_memory_bytes));
    card_ = req.gpu_id.empty() ? nullptr : find_gpu(req.gpu_id);
  }

  Fit run() {
    memory();
    if (req_.task == Task::Inference) {
      hardware();
      cache_type();
      if (req_.engine == Engine::Vllm) {
        tensor_parallel();
        vllm_start();
      }
    }
    fit_.ok = fit_.reasons.empty();
    return fit_;
  }

 private:
  void add(const char* id, std::string message) {
    fit_.reasons.push_back({id, std::move(message)});
  }
  std::string card_name() const { return card_ ? card_->name : "the card"; }

  void memory() {
    const Bytes total = r_.total();
    if (total.value <= fit_.usable.value) return;
    add("memory", "needs " + format_gb(total) + " per GPU; " + card_name() + " has " +
                      format_gb(fit_.usable) + " usable");
  }

  // Kernels the card lacks. vLLM's platforms are CUDA, ROCm, Intel Gaudi/XPU
  // and TPU (vllm/platforms); on macOS it runs on the CPU only.
  void hardware() {
    if (!card_) return;
    if (req_.engine == Engine::Vllm && card_->arch == "apple")
      add("engine_hardware",
          "vLLM has no Apple-GPU backend (on macOS it runs on the CPU): use "
          "llama.cpp on " +
              card_->name);
    const WeightFormat* f = find_weight_format(req_.weights);
    if (!f || f->family != FormatFamily::Fp8 || req_.engine == Engine::LlamaCpp) return;
    if (!fp8_runs(*f)) {
      const bool vllm = req_.engine == Engine::Vllm;
      add("format_hardware",
          std::string("FP8 weights need ") +
              (vllm ? "an NVIDIA GPU of compute capability 8.0 or newer (Marlin FP8 kernels; "
                      "native FP8 from 8.9), AMD MI300 or newer, or Intel Gaudi"
                    : "an NVIDIA GPU of compute capability 8.9 or newer (transformers' FP8 "
                      "quantizer)") +
              ": " + card_->name + " has none");
    }
  }

  bool fp8_runs(const WeightFormat&) const {
    const double cc = compute_capability(*card_);
    if (req_.engine == Engine::Transformers) return cc >= 8.9;
    return cc >= 8.0 || card_->arch == "cdna3" || card_->arch == "cdna4" || card_->arch == "gaudi";
  }

  // A KV-cache type the engine does not have (engines/support.cpp lists them).
  void cache_type() {
    for (const auto* id : {&req_.kv_cache, req_.kv_cache_v ? &*req_.kv_cache_v : nullptr}) {
      if (!id || *id == "auto") continue;
      const CacheFormat* c = find_cache_format(*id);
      if (!c) continue;
      const bool llama = req_.engine == Engine::LlamaCpp;
      if (llama && *id == "fp8")
        add("kv_cache_type",
            "llama.cpp has no fp8 KV cache (its -ctk/-ctv types are f32, f16, bf16, q8_0, q4_0, "
            "q4_1, iq4_nl, q5_0, q5_1)");
      else if (!llama && c->llama_cpp_only)
        add("kv_cache_type", std::string(to_string(req_.engine)) + " has no " + *id +
                                 " KV cache (a llama.cpp cache type)");
    }
  }

  void tensor_parallel() {
    if (req_.tensor_parallel <= 1 || !req_.model.arch) return;
    std::string why = tensor_parallel_problem(*req_.model.arch, req_.tensor_parallel);
    if (!why.empty()) add("tensor_parallel", why + ": vLLM refuses to start");
  }

  // vLLM's start-up and scheduling limits (vllm/v1/core/kv_cache_utils.py
  // check_enough_kv_cache_memory; the scheduler's max_num_seqs).
  void vllm_start() {
    if (!r_.vllm || !req_.model.arch) return;
    const VllmCapacity& v = *r_.vllm;
    const double model_max = double(req_.model.arch->max_position_embeddings);
    if (req_.max_model_len && model_max > 0 && double(*req_.max_model_len) > model_max)
      add("max_model_len", "maxModelLen " + count(double(*req_.max_model_len)) +
                               " is longer than the model's " + count(model_max) +
                               " tokens: vLLM refuses it (unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1)");
    if (v.kv_tokens <= 0) {
      add("kv_pool",
          "no memory is left for the KV cache after the weights and the profile run "
          "(vLLM: \"No available memory for the cache blocks\")");
      return;
    }
    if (v.max_model_len > v.longest_request) {
      add("max_model_len", "max_model_len " + count(v.max_model_len) + " is larger than the " +
                               count(v.longest_request) +
                               " tokens the KV cache can hold: vLLM refuses to start (set "
                               "maxModelLen to at most " +
                               count(v.longest_request) + ")");
      return;
    }
    if (double(req_.seq_len) > v.max_model_len) {
      add("context", "sequences of " + count(double(req_.seq_len)) +
                         " tokens are longer than max_model_len " + count(v.max_model_len) +
                         ": vLLM rejects them");
      return;
    }
    concurrency(v);
  }

  // Every sequence of the batch holds its whole blocks at once.
  void concurrency(const VllmCapacity& v) {
    const double at_once = v.seqs_at_once;
    const double max_seqs = req_.max_num_seqs ? double(*req_.max_num_seqs) : 256;
    if (double(req_.batch) > at_once)
      add("kv_pool", "the KV cache holds " + count(at_once) + " sequences of " +
                         count(double(req_.seq_len)) + " tokens at once, not " +
                         count(double(req_.batch)) + ": the rest wait (or are preempted)");
    else if (double(req_.batch) > max_seqs)
      add("max_num_seqs", "max_num_seqs " + count(max_seqs) + " runs at most that many of the " +
                              count(double(req_.batch)) + " sequences at once");
  }

  const Request& req_;
  const Report& r_;
  const Gpu* card_ = nullptr;
  Fit fit_;
};

}  // namespace

std::string tensor_parallel_problem(const ModelArch& arch, std::int64_t tp) {
  const Heads h = heads_of(arch);
  if (tp <= 1) return {};
  if (h.q > 0 && h.q % tp != 0)
    return "tensor parallel " + std::to_string(tp) + " does not divide the " + std::to_string(h.q) +
           " attention heads";
  if (h.kv > 0 && h.kv % tp != 0 && tp % h.kv != 0)
    return "tensor parallel " + std::to_string(tp) + " neither divides nor is a multiple of the " +
           std::to_string(h.kv) + " key/value heads";
  return {};
}

std::optional<Fit> check_fit(const Request& req, const Report& report) {
  if (!req.gpu_memory_bytes || !report.ok) return std::nullopt;
  return Checker(req, report).run();
}

}  // namespace llmmem
