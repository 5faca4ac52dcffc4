#include "api/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>

#include "api/fit.hpp"
#include "api/request_json.hpp"
#include "catalog/catalog.hpp"
#include "engines/inference.hpp"
#include "finetune/finetune.hpp"
#include "model/config_json.hpp"
#include "model/model.hpp"
#include "simple/simple.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"

namespace llmmem {

namespace {

using json = Json;

// Every size must be a finite, non-negative whole number a JS number holds exactly.
std::vector<FieldError> check_sizes(const Report& r) {
  std::vector<FieldError> errors;
  double total = 0;
  for (const auto& c : r.components) {
    if (!std::isfinite(c.bytes.value) || c.bytes.value < 0) {
      errors.push_back({"request", "internal error: component " + c.id + " is not a valid size"});
      return errors;
    }
    total += c.bytes.value;
  }
  if (total >= kMaxExactInteger)
    errors.push_back(
        {"request", "the estimate exceeds 2^53 bytes (9 PB): reduce batch, seqLen or the model"});
  return errors;
}

// A context longer than the model was trained for still runs on transformers
// and llama.cpp (which logs "n_ctx_seq > n_ctx_train"), but its answers
// degrade; vLLM refuses it (engines/inference.cpp says so).
void warn_beyond_context(const Request& req, Report& r) {
  if (!req.model.arch || req.estimator == EstimatorKind::Simple) return;
  if (req.task == Task::Inference && req.engine == Engine::Vllm) return;
  const std::int64_t trained = req.model.arch->max_position_embeddings;
  if (trained <= 0 || req.seq_len <= trained) return;
  r.warnings.push_back(
      "seqLen " + format_integer(double(req.seq_len)) + " is longer than the model's context of " +
      format_integer(double(trained)) +
      " tokens (max_position_embeddings): it runs, but quality degrades beyond it");
}

// Settings the engine or trainer would refuse or waste, said even when the
// request names no card (with one, fit says it too).
void warn_settings(const Request& req, Report& r) {
  if (!req.model.arch || req.estimator == EstimatorKind::Simple) return;
  const ModelArch& arch = *req.model.arch;
  if (req.task == Task::Inference && req.engine == Engine::Vllm && req.tensor_parallel > 1)
    if (std::string why = tensor_parallel_problem(arch, req.tensor_parallel); !why.empty())
      r.warnings.push_back(why + ": vLLM refuses to start");
  const bool adapters = req.method != Method::Full;
  if (req.task == Task::Finetune && adapters && req.lora_rank > arch.hidden_size)
    r.warnings.push_back("loraRank " + format_integer(double(req.lora_rank)) +
                         " is larger than the hidden size " +
                         format_integer(double(arch.hidden_size)) +
                         ": an adapter of that rank has more parameters than the matrix it adapts");
}

}  // namespace

Report estimate(const Request& req) {
  Report r;
  if (req.estimator == EstimatorKind::Simple || !req.model.arch) {
    r = estimate_simple(req);
  } else if (req.task == Task::Inference) {
    r = estimate_inference(req);
  } else {
    r = estimate_finetune(req);
  }
  if (!r.ok) return r;
  if (auto errs = check_sizes(r); !errs.empty()) return error_report(std::move(errs));
  r.checkpoint_params = r.total_params;
  if (req.model.arch) {
    r.checkpoint_params += ParamCount(req.model.arch->mtp_params);
    for (const auto& w : req.model.arch->warnings) r.warnings.push_back(w);
  }
  r.warnings.insert(r.warnings.begin(), req.warnings.begin(), req.warnings.end());
  warn_beyond_context(req, r);
  warn_settings(req, r);
  r.fit = check_fit(req, r);
  return r;
}

namespace {

void write_fit(JsonText& out, const Fit& f) {
  out.raw(",\"fit\":{\"gpus\":");
  out.integer(f.gpus);
  out.raw(",\"ok\":");
  out.boolean(f.ok);
  out.raw(",\"reasons\":[");
  for (std::size_t i = 0; i < f.reasons.size(); ++i) {
    if (i) out.raw(',');
    out.raw("{\"id\":");
    out.string(f.reasons[i].id);
    out.raw(",\"message\":");
    out.string(f.reasons[i].message);
    out.raw('}');
  }
  out.raw("],\"usableBytes\":");
  out.unsigned_integer(whole_bytes(f.usable));
  out.raw('}');
}

}  // namespace

std::string report_to_text(const Report& r) {
  std::string text;
  JsonText out(text);
  // Keys in nlohmann's order (bytewise ascending), as dump() writes them.
  if (!r.ok) {
    out.raw("{\"errors\":[");
    for (std::size_t i = 0; i < r.errors.size(); ++i) {
      if (i) out.raw(',');
      out.raw("{\"field\":");
      out.string(r.errors[i].field);
      out.raw(",\"message\":");
      out.string(r.errors[i].message);
      out.raw('}');
    }
    out.raw("],\"ok\":false}");
    return text;
  }
  text.reserve(256 + 160 * r.components.size() + 64 * r.settings.size());
  out.raw("{\"components\":[");
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < r.components.size(); ++i) {
    const auto& c = r.components[i];
    const std::uint64_t b = whole_bytes(c.bytes);
    total += b;
    if (i) out.raw(',');
    out.raw("{\"bytes\":");
    out.unsigned_integer(b);
    out.raw(",\"formula\":");
    out.string(c.formula);
    out.raw(",\"id\":");
    out.string(c.id);
    out.raw('}');
  }
  out.raw("],\"estimator\":");
  out.string(r.estimator);
  if (r.fit) write_fit(out, *r.fit);
  if (r.memory) {
    out.raw(",\"memory\":{\"allocatedBytes\":");
    out.unsigned_integer(whole_bytes(r.memory->allocated));
    out.raw(",\"deviceBytes\":");
    out.unsigned_integer(total);
    out.raw(",\"reservedBytes\":");
    out.unsigned_integer(whole_bytes(r.memory->reserved));
    out.raw('}');
  }
  out.raw(",\"ok\":true,\"params\":{\"active\":");
  out.integer(std::llround(r.active_params.value));
  out.raw(",\"checkpoint\":");
  out.integer(std::llround(r.checkpoint_params.value));
  out.raw(",\"total\":");
  out.integer(std::llround(r.total_params.value));
  out.raw(",\"trainable\":");
  out.integer(std::llround(r.trainable_params.value));
  out.raw('}');
  if (r.range) {
    // Keys sorted, as every object the writer prints.
    out.raw(",\"range\":{\"cases\":");
    out.integer(r.range->cases);
    out.raw(",\"highBytes\":");
    out.unsigned_integer(whole_bytes(r.range->high));
    out.raw(",\"lowBytes\":");
    out.unsigned_integer(whole_bytes(r.range->low));
    out.raw(",\"medianError\":");
    out.raw(format_number(r.range->median_error, 4));
    out.key("method");
    out.string(r.range->method);
    out.key("trainer");
    out.string(r.range->trainer);
    out.raw('}');
  }
  out.raw(",\"settings\":{");
  // An object: keys sorted, a repeated key keeps its last value.
  std::vector<std::size_t> order(r.settings.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return r.settings[a].first < r.settings[b].first;
  });
  bool first = true;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto& [key, value] = r.settings[order[k]];
    if (k + 1 < order.size() && r.settings[order[k + 1]].first == key) continue;
    out.key(key, first);
    first = false;
    out.string(value);
  }
  out.raw("},\"totalBytes\":");
  out.unsigned_integer(total);
  if (r.vllm) {
    out.raw(",\"vllm\":{\"budgetBytes\":");
    out.unsigned_integer(whole_bytes(r.vllm->budget));
    out.raw(",\"cardBytes\":");
    out.unsigned_integer(whole_bytes(r.vllm->card));
    out.raw(",\"kvCapacityTokens\":");
    out.integer(std::llround(r.vllm->kv_tokens));
    out.raw(",\"kvPoolBytes\":");
    out.unsigned_integer(whole_bytes(r.vllm->kv_pool));
    out.raw(",\"maxConcurrentSeqs\":");
    out.integer(std::llround(r.vllm->max_concurrent_seqs));
    out.raw('}');
  }
  out.raw(",\"warnings\":[");
  for (std::size_t i = 0; i < r.warnings.size(); ++i) {
    if (i) out.raw(',');
    out.string(r.warnings[i]);
  }
  out.raw("]}");
  return text;
}

std::string estimate_json(std::string_view text) {
  Errors errors;
  json req = parse_json_limited(text, "request", kMaxRequestBytes, errors);
  if (req.is_discarded()) return report_to_text(error_report(errors.take()));
  auto parsed = parse_request(req, errors);
  if (!parsed) return report_to_text(error_report(errors.take()));
  return report_to_text(estimate(*parsed));
}

namespace {

std::string presets_text() {
  json out = json::array();
  for (const auto& p : presets()) {
    out.push_back({{"id", p.id},
                   {"name", p.name},
                   {"family", p.family},
                   {"hfId", p.hf_id},
                   {"modelType", p.arch->model_type},
                   {"params", std::llround(p.params.total.value)},
                   {"activeParams", std::llround(p.params.active.value)},
                   {"maxContext", p.arch->max_position_embeddings},
                   {"source", p.source}});
  }
  return out.dump();
}

std::string gpus_text() {
  json out = json::array();
  for (const auto& g : gpus()) {
    out.push_back({{"id", g.id},
                   {"name", g.name},
                   {"vendor", g.vendor},
                   {"segment", g.segment},
                   {"arch", g.arch},
                   {"computeCapability",
                    g.compute_capability.empty() ? json(nullptr) : json(g.compute_capability)},
                   {"memoryBytes", std::llround(g.memory_bytes)},
                   {"usableBytes", std::llround(g.usable_bytes)},
                   {"basis", g.basis},
                   {"source", g.source},
                   {"notes", g.notes}});
  }
  return out.dump();
}

}  // namespace

// The catalogs never change: their text is written once.
std::string presets_json() {
  static const std::string text = presets_text();
  return text;
}

std::string gpus_json() {
  static const std::string text = gpus_text();
  return text;
}

}  // namespace llmmem
