#include "api/request_json.hpp"

#include <array>
#include <cmath>
#include <string>
#include <utility>

#include "catalog/catalog.hpp"
#include "formats/formats.hpp"
#include "model/config_json.hpp"
#include "model/model.hpp"
#include "util/text.hpp"

namespace llmmem {
namespace {

using json = nlohmann::json;

// Bounds of the request fields: wide enough for every real deployment
// (1M-token contexts, 1024 GPUs), narrow enough that no result overflows.
constexpr std::int64_t kMaxBatch = 1 << 20;
constexpr std::int64_t kMaxSeqLen = 1 << 24;  // 16.7M tokens
constexpr std::int64_t kMaxGpus = 1 << 16;
constexpr std::int64_t kMaxRank = 1 << 16;
constexpr double kMaxParams = 1e14;
constexpr std::size_t kMaxTargets = 256;

template <typename E>
struct Name {
  std::string_view name;
  E value;
};

constexpr std::array<Name<Task>, 2> kTasks{
    {{"inference", Task::Inference}, {"finetune", Task::Finetune}}};
constexpr std::array<Name<EstimatorKind>, 2> kEstimators{
    {{"detailed", EstimatorKind::Detailed}, {"simple", EstimatorKind::Simple}}};
constexpr std::array<Name<Engine>, 3> kEngines{{{"transformers", Engine::Transformers},
                                                {"vllm", Engine::Vllm},
                                                {"llama.cpp", Engine::LlamaCpp}}};
constexpr std::array<Name<Method>, 4> kMethods{{{"full", Method::Full},
                                                {"lora", Method::Lora},
                                                {"qlora-8bit", Method::QLora8},
                                                {"qlora-4bit", Method::QLora4}}};
constexpr std::array<Name<Optimizer>, 9> kOptimizers{
    {{"adamw", Optimizer::AdamW},
     {"adam", Optimizer::Adam},
     {"sgd", Optimizer::Sgd},
     {"sgd-momentum", Optimizer::SgdMomentum},
     {"rmsprop", Optimizer::RmsProp},
     {"adamw-8bit", Optimizer::AdamW8bit},
     {"paged-adamw-8bit", Optimizer::PagedAdamW8bit},
     {"adafactor", Optimizer::Adafactor},
     {"lion", Optimizer::Lion}}};
constexpr std::array<Name<Attention>, 3> kAttention{
    {{"eager", Attention::Eager}, {"sdpa", Attention::Sdpa}, {"flash", Attention::Flash}}};
constexpr std::array<Name<TrainingPrecision>, 4> kPrecisions{
    {{"bf16", TrainingPrecision::Bf16},
     {"mixed-bf16", TrainingPrecision::MixedBf16},
     {"mixed-fp16", TrainingPrecision::MixedFp16},
     {"fp32", TrainingPrecision::Fp32}}};
constexpr std::array<Name<CpuOffload>, 3> kOffloads{
    {{"none", CpuOffload::None},
     {"optimizer", CpuOffload::Optimizer},
     {"optimizer+params", CpuOffload::OptimizerParams}}};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<Name<E>, N>& table, E v) {
  for (const auto& n : table)
    if (n.value == v) return n.name;
  return "?";
}

template <typename E, std::size_t N>
std::string choices(const std::array<Name<E>, N>& table) {
  std::string s;
  for (std::size_t i = 0; i < N; ++i) {
    if (i) s += i + 1 == N ? " or " : ", ";
    s += '"';
    s += table[i].name;
    s += '"';
  }
  return s;
}

// A value as the user wrote it, for messages. The JS wrapper turns NaN and
// Infinity (which JSON cannot carry) into {"$nonfinite": "NaN"}.
std::string shown(const json& v) {
  if (v.is_object() && v.contains("$nonfinite") && v["$nonfinite"].is_string())
    return v["$nonfinite"].get<std::string>();
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.size() > 40) s = s.substr(0, 40) + "...";
    return json(s).dump();
  }
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_number_float()) {
    const double x = v.get<double>();
    if (std::floor(x) == x && std::fabs(x) < 1e15) return std::to_string(std::int64_t(x));
  }
  return v.dump();
}

class Reader {
 public:
  Reader(const json& req, Errors& errors) : req_(req), errors_(errors) {}

  const json* get(const char* key) const {
    auto it = req_.find(key);
    return it == req_.end() ? nullptr : &*it;
  }

  template <typename E, std::size_t N>
  void enumeration(const char* key, const std::array<Name<E>, N>& table, E& out) const {
    const json* v = get(key);
    if (!v) return;
    if (v->is_string()) {
      const auto s = v->get<std::string>();
      for (const auto& n : table)
        if (n.name == s) {
          out = n.value;
          return;
        }
    }
    errors_.add(key, std::string(key) + " must be " + choices(table) + " (got " + shown(*v) + ")");
  }

  template <typename E, std::size_t N>
  void enumeration(const char* key, const std::array<Name<E>, N>& table,
                   std::optional<E>& out) const {
    if (!get(key)) return;
    E value = table[0].value;
    const std::size_t before = errors_.list().size();
    enumeration(key, table, value);
    if (errors_.list().size() == before) out = value;
  }

  bool integer(const char* key, std::int64_t lo, std::int64_t hi, std::int64_t& out,
               const char* what = nullptr) const {
    const json* v = get(key);
    if (!v) return false;
    const std::string desc = what ? what
                                  : (lo == 1   ? "a positive integer"
                                     : lo == 0 ? "a non-negative integer"
                                               : "an integer");
    double x = 0;
    bool integral = false;
    if (v->is_number_integer()) {
      x = v->is_number_unsigned() ? double(v->get<std::uint64_t>())
                                  : double(v->get<std::int64_t>());
      integral = true;
    } else if (v->is_number_float()) {
      x = v->get<double>();
      integral = std::isfinite(x) && std::floor(x) == x;
    }
    if (!integral) {
      errors_.add(key, std::string(key) + " must be " + desc + " (got " + shown(*v) + ")");
      return false;
    }
    if (x < double(lo)) {
      errors_.add(key, std::string(key) + " must be " + desc +
                           (lo > 1 ? " of at least " + std::to_string(lo) : "") + " (got " +
                           shown(*v) + ")");
      return false;
    }
    if (x > double(hi)) {
      errors_.add(key, std::string(key) + " is too large (got " + shown(*v) + ", at most " +
                           format_count(double(hi)) + ")");
      return false;
    }
    out = std::int64_t(x);
    return true;
  }

  void integer(const char* key, std::int64_t lo, std::int64_t hi,
               std::optional<std::int64_t>& out) const {
    std::int64_t x = 0;
    if (integer(key, lo, hi, x)) out = x;
  }

  bool number(const char* key, double lo_exclusive, double hi, double& out,
              const std::string& desc) const {
    const json* v = get(key);
    if (!v) return false;
    if (!v->is_number() || !(v->get<double>() > lo_exclusive) || !(v->get<double>() <= hi)) {
      errors_.add(key, std::string(key) + " must be " + desc + " (got " + shown(*v) + ")");
      return false;
    }
    out = v->get<double>();
    return true;
  }

  void boolean(const char* key, bool& out) const {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_boolean()) {
      errors_.add(key, std::string(key) + " must be true or false (got " + shown(*v) + ")");
      return;
    }
    out = v->get<bool>();
  }

  void boolean(const char* key, std::optional<bool>& out) const {
    if (!get(key)) return;
    bool b = false;
    const std::size_t before = errors_.list().size();
    boolean(key, b);
    if (errors_.list().size() == before) out = b;
  }

  Errors& errors() const { return errors_; }

 private:
  const json& req_;
  Errors& errors_;
};

void read_model(const Reader& r, Request& out, bool& params_only) {
  Errors& errors = r.errors();
  const json* m = r.get("model");
  const std::string forms =
      "{preset: \"<id>\"}, {config: {...}}, {configJson: \"...\"} or {params: 7e9}";
  if (!m) {
    errors.add("model", "model is required: one of " + forms);
    return;
  }
  if (!m->is_object()) {
    errors.add("model", "model must be an object: one of " + forms + " (got " + shown(*m) + ")");
    return;
  }
  int given = 0;
  for (const char* k : {"preset", "config", "configJson", "params"})
    given += m->contains(k) ? 1 : 0;
  if (given != 1) {
    errors.add("model", "model must have exactly one of preset, config, configJson or params");
    return;
  }
  if (auto it = m->find("preset"); it != m->end()) {
    if (!it->is_string()) {
      errors.add("model.preset",
                 "model.preset must be a preset id string (got " + shown(*it) + ")");
      return;
    }
    const auto id = it->get<std::string>();
    const Preset* p = find_preset(id);
    if (!p) {
      errors.add("model.preset", "unknown preset " + shown(*it) + ": see presets() for the ids");
      return;
    }
    out.model.arch = p->arch;
    out.model.preset_id = p->id;
  } else if (auto cfg = m->find("config"); cfg != m->end()) {
    out.model.arch = parse_config(*cfg, "model.config", errors);
  } else if (auto txt = m->find("configJson"); txt != m->end()) {
    if (!txt->is_string()) {
      errors.add("model.configJson",
                 "model.configJson must be the text of a config.json (got " + shown(*txt) + ")");
      return;
    }
    const auto& s = txt->get_ref<const std::string&>();
    out.model.arch = parse_config_text(s, "model.configJson", errors);
  } else {
    const json& p = (*m)["params"];
    if (!p.is_number() || !(p.get<double>() >= 1) || !(p.get<double>() <= kMaxParams)) {
      errors.add("model.params", "model.params must be a parameter count between 1 and 1e14 (got " +
                                     shown(p) + ")");
      return;
    }
    out.model.params_only = ParamCount(std::round(p.get<double>()));
    params_only = true;
  }
}

}  // namespace

std::string_view to_string(Task v) {
  return name_of(kTasks, v);
}
std::string_view to_string(EstimatorKind v) {
  return name_of(kEstimators, v);
}
std::string_view to_string(Engine v) {
  return name_of(kEngines, v);
}
std::string_view to_string(Method v) {
  return name_of(kMethods, v);
}
std::string_view to_string(Optimizer v) {
  return name_of(kOptimizers, v);
}
std::string_view to_string(Attention v) {
  return name_of(kAttention, v);
}
std::string_view to_string(TrainingPrecision v) {
  return name_of(kPrecisions, v);
}
std::string_view to_string(CpuOffload v) {
  return name_of(kOffloads, v);
}

std::optional<Request> parse_request(const nlohmann::json& req, Errors& errors) {
  if (!req.is_object()) {
    errors.add("request", "the request must be an object (got " + shown(req) + ")");
    return std::nullopt;
  }
  Reader r(req, errors);
  Request out;

  bool params_only = false;
  read_model(r, out, params_only);

  out.estimator = params_only ? EstimatorKind::Simple : EstimatorKind::Detailed;
  r.enumeration("estimator", kEstimators, out.estimator);
  if (params_only && out.estimator == EstimatorKind::Detailed && r.get("estimator"))
    errors.add("estimator",
               "the detailed estimator needs the architecture: give model.preset or a config.json "
               "(a parameter count alone uses the simple estimator)");
  r.enumeration("task", kTasks, out.task);
  r.enumeration("engine", kEngines, out.engine);

  if (const json* w = r.get("weights")) {
    if (w->is_string() && find_weight_format(w->get<std::string>())) {
      out.weights = w->get<std::string>();
      out.weights_given = true;
    } else {
      errors.add("weights",
                 "weights must be a known format such as \"bf16\", \"fp8\", \"int8\", "
                 "\"nf4\", \"awq-int4\" or a GGUF type like \"q4_k_m\" (got " +
                     shown(*w) + ")");
    }
  }
  auto cache = [&](const char* key, std::string& out_id, bool allow_auto) {
    const json* v = r.get(key);
    if (!v) return;
    if (v->is_string()) {
      const auto s = v->get<std::string>();
      if ((allow_auto && s == "auto") || find_cache_format(s)) {
        out_id = s;
        return;
      }
    }
    errors.add(key,
               std::string(key) +
                   " must be \"auto\", \"fp16\", \"bf16\", \"fp32\", \"fp8\", \"q8_0\", \"q4_0\", "
                   "\"q4_1\", \"iq4_nl\", \"q5_0\" or \"q5_1\" (got " +
                   shown(*v) + ")");
  };
  cache("kvCache", out.kv_cache, true);
  if (r.get("kvCacheV")) {
    std::string v = "fp16";
    const std::size_t before = errors.list().size();
    cache("kvCacheV", v, false);
    if (errors.list().size() == before) out.kv_cache_v = v;
  }

  r.integer("batch", 1, kMaxBatch, out.batch);
  r.integer("seqLen", 1, kMaxSeqLen, out.seq_len);
  r.enumeration("method", kMethods, out.method);
  r.enumeration("optimizer", kOptimizers, out.optimizer);
  r.integer("loraRank", 1, kMaxRank, out.lora_rank);
  if (const json* t = r.get("loraTargets")) {
    if (t->is_string() && t->get<std::string>() == "all-linear") {
      out.lora_all_linear = true;
    } else if (t->is_array() && !t->empty() && t->size() <= kMaxTargets) {
      out.lora_all_linear = false;
      for (const auto& e : *t) {
        if (!e.is_string() || e.get<std::string>().empty() || e.get<std::string>().size() > 200) {
          errors.add(
              "loraTargets",
              "loraTargets entries must be module names such as \"q_proj\" (got " + shown(e) + ")");
          break;
        }
        out.lora_targets.push_back(e.get<std::string>());
      }
    } else {
      errors.add("loraTargets",
                 "loraTargets must be \"all-linear\" or a non-empty list of module names (got " +
                     shown(*t) + ")");
    }
  }
  if (const json* t = r.get("modulesToSave")) {
    if (t->is_array() && t->size() <= kMaxTargets) {
      for (const auto& e : *t) {
        if (!e.is_string() || e.get<std::string>().empty() || e.get<std::string>().size() > 200) {
          errors.add("modulesToSave",
                     "modulesToSave entries must be module names such as \"lm_head\" (got " +
                         shown(e) + ")");
          break;
        }
        out.modules_to_save.push_back(e.get<std::string>());
      }
    } else {
      errors.add("modulesToSave",
                 "modulesToSave must be a list of module names (got " + shown(*t) + ")");
    }
  }
  r.boolean("gradientCheckpointing", out.gradient_checkpointing);
  r.integer("gpus", 1, kMaxGpus, out.gpus);
  r.integer("zeroStage", 0, 3, out.zero_stage, "0, 1, 2 or 3");
  r.integer("tensorParallel", 1, kMaxGpus, out.tensor_parallel);
  if (out.gpus % out.tensor_parallel != 0)
    errors.add("tensorParallel", "tensorParallel must divide gpus (" +
                                     std::to_string(out.tensor_parallel) + " does not divide " +
                                     std::to_string(out.gpus) + ")");

  r.enumeration("attention", kAttention, out.attention);
  r.integer("ubatch", 1, kMaxSeqLen, out.ubatch);
  r.integer("gpuLayers", 0, 1 << 20, out.gpu_layers);
  r.boolean("expertsOnCpu", out.experts_on_cpu);
  r.boolean("swaFull", out.swa_full);
  double util = 0;
  if (r.number("gpuMemoryUtilization", 0.0, 1.0, util, "a fraction in (0, 1]"))
    out.gpu_memory_utilization = util;
  r.integer("maxNumBatchedTokens", 1, kMaxSeqLen, out.max_num_batched_tokens);
  r.integer("maxNumSeqs", 1, kMaxBatch, out.max_num_seqs);
  r.integer("maxModelLen", 1, kMaxSeqLen, out.max_model_len);
  r.boolean("cudaGraphs", out.cuda_graphs);
  double bpw = 0;
  if (r.number("bitsPerWeight", 0.0, 64.0, bpw, "bits per weight in (0, 64]"))
    out.bits_per_weight = bpw;
  r.enumeration("trainingPrecision", kPrecisions, out.training_precision);
  r.enumeration("cpuOffload", kOffloads, out.cpu_offload);
  r.boolean("optimizerInBackward", out.optimizer_in_backward);
  r.boolean("activationOffloading", out.activation_offloading);
  r.boolean("chunkedLoss", out.chunked_loss);

  // The card, for engines that size themselves by it (vLLM) and for fit checks.
  if (const json* g = r.get("gpu")) {
    const Gpu* gpu = g->is_string() ? find_gpu(g->get<std::string>()) : nullptr;
    if (!gpu)
      errors.add("gpu", "gpu must be an id from gpus() (got " + shown(*g) + ")");
    else
      out.gpu_memory_bytes = std::int64_t(gpu->usable_bytes);
  }
  std::int64_t mem = 0;
  if (r.integer("gpuMemoryBytes", 1 << 20, std::int64_t(1) << 50, mem,
                "a byte count of at least 1 MiB"))
    out.gpu_memory_bytes = mem;

  if (!errors.empty()) return std::nullopt;
  return out;
}

}  // namespace llmmem
