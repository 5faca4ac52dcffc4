#include "api/schema.hpp"

#include "util/json.hpp"

#include "api/estimate.hpp"
#include "api/fields.hpp"
#include "engines/engines.hpp"
#include "engines/support.hpp"
#include "finetune/accuracy.hpp"
#include "formats/formats.hpp"
#include "model/config_json.hpp"

namespace llmmem {
namespace {

using json = Json;
using namespace fields;

template <typename E, std::size_t N>
json enum_field(const std::array<Name<E>, N>& table, const json& def) {
  json values = json::array(), labels = json::object();
  for (const auto& n : table) {
    values.push_back(std::string(n.name));
    labels[std::string(n.name)] = std::string(n.label);
  }
  return {{"type", "enum"}, {"values", values}, {"labels", labels}, {"default", def}};
}

template <typename E, std::size_t N>
json enum_field(const std::array<Name<E>, N>& table, E def) {
  return enum_field(table, json(std::string(name_of(table, def))));
}

json integer_field(std::int64_t lo, std::int64_t hi, const json& def) {
  return {{"type", "integer"}, {"min", lo}, {"max", hi}, {"default", def}};
}

json boolean_field(const json& def) {
  return {{"type", "boolean"}, {"default", def}};
}

json weight_ids() {
  json ids = json::array();
  for (const auto& f : weight_formats()) ids.push_back(std::string(f.id));
  return ids;
}

json cache_ids(bool with_auto) {
  json ids = json::array();
  if (with_auto) ids.push_back("auto");
  for (const auto& c : cache_formats()) ids.push_back(std::string(c.id));
  return ids;
}

// Where a field applies, when not everywhere.
json only(std::initializer_list<const char*> where) {
  json out = json::array();
  for (const char* w : where) out.push_back(w);
  return out;
}

// The request fields, keyed by name; defaults from a default Request (the
// parser's own), null where the engine or trainer decides (see settings in
// the report).
json request_fields() {
  const Request d;
  json f = json::object();
  f["model"] = {
      {"type", "model"}, {"forms", kModelFields}, {"params", {{"min", 1}, {"max", kMaxParams}}}};
  f["estimator"] = enum_field(kEstimators, json(nullptr));
  f["task"] = enum_field(kTasks, d.task);
  f["engine"] = enum_field(kEngineNames, d.engine);
  f["weights"] = {{"type", "enum"}, {"values", weight_ids()}, {"default", d.weights}};
  f["kvCache"] = {{"type", "enum"}, {"values", cache_ids(true)}, {"default", d.kv_cache}};
  f["kvCacheV"] = {{"type", "enum"},
                   {"values", cache_ids(false)},
                   {"default", nullptr},
                   {"appliesTo", only({"llama.cpp"})}};
  f["batch"] = integer_field(1, kMaxBatch, d.batch);
  f["seqLen"] = integer_field(1, kMaxSeqLen, d.seq_len);
  f["method"] = enum_field(kMethods, d.method);
  f["optimizer"] = enum_field(kOptimizers, d.optimizer);
  f["loraRank"] = integer_field(1, kMaxRank, d.lora_rank);
  f["loraTargets"] = {{"type", "modules"},
                      {"values", {"all-linear"}},
                      {"maxItems", kMaxTargets},
                      {"maxLength", kMaxModuleName},
                      {"default", "all-linear"}};
  f["modulesToSave"] = {{"type", "modules"},
                        {"maxItems", kMaxTargets},
                        {"maxLength", kMaxModuleName},
                        {"default", json::array()}};
  f["gradientCheckpointing"] = boolean_field(d.gradient_checkpointing);
  f["gpus"] = integer_field(1, kMaxGpus, d.gpus);
  f["zeroStage"] = integer_field(0, 3, d.zero_stage);
  f["tensorParallel"] = integer_field(1, kMaxGpus, d.tensor_parallel);
  return f;
}

json engine_fields() {
  const Request d;
  json f = json::object();
  f["attention"] = enum_field(kAttention, json(nullptr));
  f["ubatch"] = integer_field(1, kMaxSeqLen, nullptr);
  f["ubatch"]["appliesTo"] = only({"llama.cpp"});
  f["gpuLayers"] = integer_field(0, kMaxGpuLayers, nullptr);
  f["gpuLayers"]["appliesTo"] = only({"llama.cpp"});
  f["expertsOnCpu"] = boolean_field(d.experts_on_cpu);
  f["expertsOnCpu"]["appliesTo"] = only({"llama.cpp"});
  f["swaFull"] = boolean_field(d.swa_full);
  f["swaFull"]["appliesTo"] = only({"llama.cpp"});
  f["gpuMemoryUtilization"] = {{"type", "number"},
                               {"minExclusive", 0},
                               {"max", 1},
                               {"default", nullptr},
                               {"appliesTo", only({"vllm"})}};
  for (const char* k : {"maxNumBatchedTokens", "maxModelLen"}) {
    f[k] = integer_field(1, kMaxSeqLen, nullptr);
    f[k]["appliesTo"] = only({"vllm"});
  }
  f["maxNumSeqs"] = integer_field(1, kMaxBatch, nullptr);
  f["maxNumSeqs"]["appliesTo"] = only({"vllm"});
  f["cudaGraphs"] = boolean_field(nullptr);
  f["cudaGraphs"]["appliesTo"] = only({"vllm"});
  f["bitsPerWeight"] = {
      {"type", "number"}, {"minExclusive", 0}, {"max", kMaxBitsPerWeight}, {"default", nullptr}};
  f["weightsBytes"] = integer_field(1, kMaxWeightsBytes, nullptr);
  return f;
}

json training_fields() {
  const Request d;
  json f = json::object();
  f["trainingPrecision"] = enum_field(kPrecisions, json(nullptr));
  f["cpuOffload"] = enum_field(kOffloads, d.cpu_offload);
  f["optimizerInBackward"] = boolean_field(d.optimizer_in_backward);
  f["activationOffloading"] = boolean_field(d.activation_offloading);
  // null: the trainer's default (core/finetune/trainer.cpp); with no trainer
  // named, that of the trainer the other fields imply.
  f["chunkedLoss"] = boolean_field(nullptr);
  f["trainer"] = enum_field(kTrainers, json(nullptr));
  f["compile"] = boolean_field(nullptr);
  f["fsdpVersion"] = integer_field(1, 2, nullptr);
  for (const char* k : {"emptyCacheEachStep", "useCache", "fusedOptimizer", "zeroGradSetToNone"})
    f[k] = boolean_field(nullptr);
  for (auto& [k, v] : f.items()) v["appliesTo"] = only({"finetune"});
  f["gpu"] = {{"type", "gpu"}, {"default", nullptr}};
  f["gpuMemoryBytes"] = integer_field(kMinGpuMemoryBytes, kMaxGpuMemoryBytes, nullptr);
  f["notes"] = {{"type", "string"}, {"default", nullptr}};
  return f;
}

json engines_json() {
  json out = json::array();
  for (const auto& n : kEngineNames) {
    json rows = json::array();
    for (auto w : engine_spec(n.value).weights) rows.push_back(std::string(w));
    json weights = json::array(), caches = json::array({"auto"});
    for (const auto& f : weight_formats())
      if (engine_loads(n.value, f)) weights.push_back(std::string(f.id));
    for (const auto& c : cache_formats())
      if (engine_offers_cache(n.value, c)) caches.push_back(std::string(c.id));
    out.push_back(
        {{"id", std::string(n.name)}, {"rows", rows}, {"weights", weights}, {"kvCache", caches}});
  }
  return out;
}

json formats_json() {
  json weights = json::array(), caches = json::array();
  for (const auto& f : weight_formats())
    weights.push_back({{"id", std::string(f.id)},
                       {"label", std::string(f.label)},
                       {"bits", f.nominal_bits},
                       {"gguf", f.family == FormatFamily::Gguf}});
  for (const auto& c : cache_formats())
    caches.push_back({{"id", std::string(c.id)}, {"bits", c.bits}});
  return {{"weights", weights}, {"kvCache", caches}};
}

}  // namespace

std::string schema_json() {
  static const std::string text = [] {
    json fields = request_fields();
    fields.update(engine_fields());
    fields.update(training_fields());
    json out = {{"version", 1}, {"fields", fields}, {"engines", engines_json()}};
    out.update(formats_json());
    // The order a form would show them in: the contract's.
    json order = json::array();
    for (const auto k : kRequestFields) order.push_back(std::string(k));
    out["fieldOrder"] = order;
    out["limits"] = {{"requestBytes", kMaxRequestBytes}, {"configJsonBytes", kMaxConfigTextBytes}};
    // The measured errors (make bench), for notes beside the numbers.
    const auto accuracy = finetune::accuracy_json_text();
    out["accuracy"] = json::parse(accuracy.begin(), accuracy.end(), nullptr, false);
    if (out["accuracy"].is_discarded()) out["accuracy"] = nullptr;
    return out.dump();
  }();
  return text;
}

}  // namespace llmmem
