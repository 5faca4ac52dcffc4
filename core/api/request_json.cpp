#include "api/request_json.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "api/fields.hpp"
#include "catalog/catalog.hpp"
#include "formats/formats.hpp"
#include "model/config_cache.hpp"
#include "model/config_json.hpp"
#include "model/model.hpp"
#include "util/text.hpp"

namespace llmmem {
namespace {

using json = Json;
using namespace fields;

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
    // At most 40 bytes, cut between characters (never inside a UTF-8 sequence).
    std::string s = v.get<std::string>();
    if (s.size() > 40) {
      std::size_t cut = 40;
      while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
      s = s.substr(0, cut) + "...";
    }
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
  Reader(const json& req, Errors& errors) : errors_(errors) {
    const auto& object = req.get_ref<const json::object_t&>();
    fields_.reserve(object.size());
    for (const auto& [name, value] : object) fields_.push_back({name, &value});
  }

  // A request holds a few of the ~70 keys asked for: a scan of its own keys
  // (listed once, lengths first) costs less than the map's find, which runs
  // strlen and a string compare at every node (a tenth of an estimate() in
  // WebAssembly). Out of line: inlined into each reader, 1.5 KB of module.
  [[gnu::noinline]] const json* get(std::string_view key) const {
    for (const auto& [name, value] : fields_)
      if (name.size() == key.size() && name == key) return value;
    return nullptr;
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
  std::vector<std::pair<std::string_view, const json*>> fields_;
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
  for (const auto k : kModelFields) given += m->contains(k) ? 1 : 0;
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
    const Preset* p = find_preset(it->get<std::string>());
    if (!p) {
      errors.add("model.preset", "unknown preset " + shown(*it) + ": see presets() for the ids");
      return;
    }
    out.model.arch = p->arch;
    out.model.preset_id = p->id;
  } else if (auto cfg = m->find("config"); cfg != m->end()) {
    out.model.arch = cached_config(*cfg, "model.config", errors);
  } else if (auto txt = m->find("configJson"); txt != m->end()) {
    if (!txt->is_string()) {
      errors.add("model.configJson",
                 "model.configJson must be the text of a config.json (got " + shown(*txt) + ")");
      return;
    }
    const auto& s = txt->get_ref<const std::string&>();
    out.model.arch = cached_config_text(s, "model.configJson", errors);
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

// "auto", "fp16", ... "q5_1": the cache types of formats/formats.cpp.
std::string cache_choices() {
  std::string s = "\"auto\"";
  const auto all = cache_formats();
  for (std::size_t i = 0; i < all.size(); ++i)
    s += std::string(i + 1 == all.size() ? " or " : ", ") + "\"" + std::string(all[i].id) + "\"";
  return s;
}

void read_cache(const Reader& r, const char* key, std::string& out_id, bool allow_auto) {
  const json* v = r.get(key);
  if (!v) return;
  if (v->is_string()) {
    const auto s = v->get<std::string>();
    if ((allow_auto && s == "auto") || find_cache_format(s)) {
      out_id = s;
      return;
    }
  }
  r.errors().add(key,
                 std::string(key) + " must be " + cache_choices() + " (got " + shown(*v) + ")");
}

// weights, kvCache and kvCacheV.
void read_formats(const Reader& r, Request& out) {
  Errors& errors = r.errors();
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
  read_cache(r, "kvCache", out.kv_cache, true);
  if (r.get("kvCacheV")) {
    std::string v = "fp16";
    const std::size_t before = errors.list().size();
    read_cache(r, "kvCacheV", v, false);
    if (errors.list().size() == before) out.kv_cache_v = v;
  }
}

// A list of module names (loraTargets, modulesToSave); false when malformed.
bool read_module_names(const Reader& r, const json& list, const char* key, const char* example,
                       std::vector<std::string>& out) {
  for (const auto& e : list) {
    if (!e.is_string() || e.get<std::string>().empty() ||
        e.get<std::string>().size() > kMaxModuleName) {
      r.errors().add(key, std::string(key) + " entries must be module names such as \"" + example +
                              "\" (got " + shown(e) + ")");
      return false;
    }
    out.push_back(e.get<std::string>());
  }
  return true;
}

void read_lora(const Reader& r, Request& out) {
  Errors& errors = r.errors();
  r.integer("loraRank", 1, kMaxRank, out.lora_rank);
  if (const json* t = r.get("loraTargets")) {
    if (t->is_string() && t->get<std::string>() == "all-linear") {
      out.lora_all_linear = true;
    } else if (t->is_array() && !t->empty() && t->size() <= kMaxTargets) {
      out.lora_all_linear = false;
      read_module_names(r, *t, "loraTargets", "q_proj", out.lora_targets);
    } else {
      errors.add("loraTargets",
                 "loraTargets must be \"all-linear\" or a non-empty list of module names (got " +
                     shown(*t) + ")");
    }
  }
  if (const json* t = r.get("modulesToSave")) {
    if (t->is_array() && t->size() <= kMaxTargets)
      read_module_names(r, *t, "modulesToSave", "lm_head", out.modules_to_save);
    else
      errors.add("modulesToSave",
                 "modulesToSave must be a list of module names (got " + shown(*t) + ")");
  }
}

void read_parallelism(const Reader& r, Request& out) {
  r.integer("gpus", 1, kMaxGpus, out.gpus);
  r.integer("zeroStage", 0, 3, out.zero_stage, "0, 1, 2 or 3");
  r.integer("tensorParallel", 1, kMaxGpus, out.tensor_parallel);
  if (out.gpus % out.tensor_parallel != 0)
    r.errors().add("tensorParallel", "tensorParallel must divide gpus (" +
                                         std::to_string(out.tensor_parallel) + " does not divide " +
                                         std::to_string(out.gpus) + ")");
}

void read_engine_settings(const Reader& r, Request& out) {
  r.enumeration("attention", kAttention, out.attention);
  r.integer("ubatch", 1, kMaxSeqLen, out.ubatch);
  r.integer("gpuLayers", 0, kMaxGpuLayers, out.gpu_layers);
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
  if (r.number("bitsPerWeight", 0.0, kMaxBitsPerWeight, bpw, "bits per weight in (0, 64]"))
    out.bits_per_weight = bpw;
  std::int64_t wb = 0;
  if (r.integer("weightsBytes", 1, kMaxWeightsBytes, wb,
                "the model files' tensor bytes, a positive whole number"))
    out.weights_bytes = wb;
}

void read_training_settings(const Reader& r, Request& out) {
  r.enumeration("trainingPrecision", kPrecisions, out.training_precision);
  r.enumeration("cpuOffload", kOffloads, out.cpu_offload);
  r.boolean("optimizerInBackward", out.optimizer_in_backward);
  r.boolean("activationOffloading", out.activation_offloading);
  r.boolean("chunkedLoss", out.chunked_loss);
  r.enumeration("trainer", kTrainers, out.trainer);
  r.boolean("compile", out.compile);
  if (std::int64_t v = 0; r.integer("fsdpVersion", 1, 2, v, "1 or 2")) out.fsdp_version = v;
  r.boolean("emptyCacheEachStep", out.empty_cache_each_step);
  r.boolean("useCache", out.use_cache);
  r.boolean("fusedOptimizer", out.fused_optimizer);
  r.boolean("zeroGradSetToNone", out.zero_grad_set_to_none);
}

// The card, for engines that size themselves by it (vLLM) and for fit checks.
void read_card(const Reader& r, Request& out) {
  if (const json* g = r.get("gpu")) {
    const Gpu* gpu = g->is_string() ? find_gpu(g->get<std::string>()) : nullptr;
    if (!gpu)
      r.errors().add("gpu", "gpu must be an id from gpus() (got " + shown(*g) + ")");
    else {
      out.gpu_memory_bytes = std::int64_t(gpu->usable_bytes);
      out.gpu_id = gpu->id;
    }
  }
  std::int64_t mem = 0;
  if (r.integer("gpuMemoryBytes", kMinGpuMemoryBytes, kMaxGpuMemoryBytes, mem,
                "a byte count of at least 1 MiB")) {
    out.gpu_memory_bytes = mem;  // a custom card: its memory, no known chip
    out.gpu_id.clear();
  }
}

// Levenshtein distance, case-insensitive (seqlen -> seqLen is one letter off).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

// A warning for each field of `object` that `known` does not list, naming the
// closest known field when one is near (at most a third of its letters off).
template <std::size_t N>
void warn_unknown(const json& object, const std::array<std::string_view, N>& known,
                  const std::string& prefix, std::vector<std::string>& warnings) {
  constexpr std::size_t kMaxWarned = 8;
  for (auto it = object.begin(); it != object.end() && warnings.size() < kMaxWarned; ++it) {
    const std::string& key = it.key();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string_view best;
    std::size_t best_d = key.size() > 64 ? 0 : 1 + std::max<std::size_t>(2, key.size() / 3);
    if (best_d)
      for (const auto k : known)
        if (const std::size_t d = edit_distance(key, k); d < best_d) best_d = d, best = k;
    std::string text = shown(json(key));
    std::string w =
        "unknown field " + (prefix.empty() ? text : "\"" + prefix + text.substr(1)) + " is ignored";
    if (!best.empty()) w += ": did you mean \"" + prefix + std::string(best) + "\"?";
    warnings.push_back(std::move(w));
  }
}

void warn_unknown_fields(const json& req, Request& out) {
  warn_unknown(req, kRequestFields, "", out.warnings);
  if (auto m = req.find("model"); m != req.end() && m->is_object())
    warn_unknown(*m, kModelFields, "model.", out.warnings);
}

}  // namespace

std::string_view to_string(Task v) {
  return name_of(kTasks, v);
}
std::string_view to_string(EstimatorKind v) {
  return name_of(kEstimators, v);
}
std::string_view to_string(Engine v) {
  return name_of(kEngineNames, v);
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
std::string_view to_string(Trainer v) {
  return name_of(kTrainers, v);
}

std::optional<Request> parse_request(const Json& req, Errors& errors) {
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
  r.enumeration("engine", kEngineNames, out.engine);
  read_formats(r, out);
  r.integer("batch", 1, kMaxBatch, out.batch);
  r.integer("seqLen", 1, kMaxSeqLen, out.seq_len);
  r.enumeration("method", kMethods, out.method);
  r.enumeration("optimizer", kOptimizers, out.optimizer);
  read_lora(r, out);
  r.boolean("gradientCheckpointing", out.gradient_checkpointing);
  read_parallelism(r, out);
  read_engine_settings(r, out);
  read_training_settings(r, out);
  read_card(r, out);

  if (!errors.empty()) return std::nullopt;
  warn_unknown_fields(req, out);
  return out;
}

}  // namespace llmmem
