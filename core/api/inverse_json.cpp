// The JSON side of the inverse questions and the plan: one question object in,
// one answer object out (wasm/api.js wraps each as a JS function).
#include <cmath>
#include <exception>

#include "util/json.hpp"

#include "api/estimate.hpp"
#include "api/fields.hpp"
#include "api/inverse.hpp"
#include "api/plan.hpp"
#include "api/request_json.hpp"
#include "engines/engines.hpp"
#include "model/config_json.hpp"

namespace llmmem {
namespace {

using json = Json;

constexpr const char* kOps = "maxSeqLen, maxBatch, bestFormat, gpusNeeded, sweep, plan, formats";

json fail(std::vector<FieldError> errs) {
  json list = json::array();
  for (const auto& e : errs) list.push_back({{"field", e.field}, {"message", e.message}});
  return {{"ok", false}, {"errors", list}};
}

json bytes_json(Bytes b) {
  return whole_bytes(b);
}

// A positive finite number field of the question; records an error otherwise.
std::optional<double> positive(const json& q, const char* key, Errors& errors,
                               std::optional<double> fallback = {}) {
  auto it = q.find(key);
  if (it == q.end() || it->is_null()) {
    if (!fallback) errors.add(key, std::string(key) + " is required");
    return fallback;
  }
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() <= 0 ||
      it->get<double>() > kMaxExactInteger) {
    errors.add(key, std::string(key) + " must be a positive number");
    return std::nullopt;
  }
  return it->get<double>();
}

// A count of the question (limit, points, maxGpus...): a whole number >= 1.
std::optional<std::int64_t> count(const json& q, const char* key, Errors& errors,
                                  std::optional<double> fallback, double bound) {
  const auto v = positive(q, key, errors, fallback);
  if (!v) return std::nullopt;
  if (std::floor(*v) != *v || *v < 1) {
    errors.add(key, std::string(key) + " must be a whole number of at least 1");
    return std::nullopt;
  }
  return static_cast<std::int64_t>(std::min(*v, bound));
}

// The budget: required unless the request names a card (then fit decides).
Target target_of(const json& q, const char* key, const Request& req, Errors& errors) {
  Target t;
  if (const auto b =
          positive(q, key, errors, req.gpu_memory_bytes ? std::optional<double>(0) : std::nullopt);
      b && *b > 0)
    t.budget = Bytes(*b);
  return t;
}

json fit_json(const std::optional<Fit>& f) {
  if (!f) return nullptr;
  Report r = empty_report("detailed");
  r.ok = true;
  r.fit = f;
  // Parsed from pointers, as the core's other parses (string_view iterators):
  // a std::string's iterators made a second copy of the parser (10 KB; 0.8 KB
  // gzipped).
  const std::string text = report_to_text(r);
  return json::parse(text.data(), text.data() + text.size()).at("fit");
}

json engine_formats_json() {
  json out = json::object();
  for (const auto& f : kEngines) {
    json list = json::array();
    for (auto w : f.weights) list.push_back(std::string(w));
    out[std::string(to_string(f.engine))] = list;
  }
  return out;
}

json largest(const json& q, const std::string& op, const Request& req, Errors& errors) {
  const Target target = target_of(q, "budgetBytes", req, errors);
  const Axis axis = op == "maxSeqLen" ? Axis::SeqLen : Axis::Batch;
  // The longest context defaults to the model's own maximum when the
  // architecture gives one: a longer answer would be one the model cannot use.
  double default_limit = double(axis_bound(axis));
  if (axis == Axis::SeqLen && req.model.arch && req.model.arch->max_position_embeddings > 0)
    default_limit = static_cast<double>(req.model.arch->max_position_embeddings);
  const auto limit = count(q, "limit", errors, default_limit, double(axis_bound(axis)));
  if (!errors.empty()) return fail(errors.take());
  const auto r = largest_fitting(req, axis, target, *limit);
  json out = {{"ok", true},
              {"value", r.value},
              {"capped", r.capped},
              {"limit", *limit},
              {"totalBytes", bytes_json(r.total)}};
  if (req.gpu_memory_bytes) out["binding"] = r.capped ? "limit" : r.binding;
  if (r.max_model_len) out["changes"] = {{"maxModelLen", *r.max_model_len}};
  return out;
}

json best(const json& q, const Request& req, Errors& errors) {
  const Target target = target_of(q, "budgetBytes", req, errors);
  std::vector<std::string> candidates;
  if (auto c = q.find("candidates"); c != q.end() && !c->is_null()) {
    if (!c->is_array() || c->size() > 64) {
      errors.add("candidates", "candidates must be a list of at most 64 weight formats");
    } else {
      for (const auto& w : *c) {
        if (w.is_string() && w.get<std::string>().size() < 64)
          candidates.push_back(w.get<std::string>());
        else
          errors.add("candidates", "candidates must be weight format names");
      }
    }
  }
  if (!errors.empty()) return fail(errors.take());
  const auto r = best_format(req, target, candidates);
  json list = json::array();
  for (const auto& c : r.candidates)
    list.push_back({{"weights", c.weights},
                    {"ok", c.ok},
                    {"totalBytes", c.ok ? json(bytes_json(c.total)) : json(nullptr)},
                    {"fits", c.fits}});
  return {
      {"ok", true}, {"value", r.weights ? json(*r.weights) : json(nullptr)}, {"candidates", list}};
}

json needed(const json& q, const Request& req, Errors& errors) {
  const Target target = target_of(q, "gpuBytes", req, errors);
  const auto limit = count(q, "limit", errors, 1024.0, double(fields::kMaxGpus));
  if (!errors.empty()) return fail(errors.take());
  const auto r = gpus_needed(req, target, *limit);
  return {{"ok", true},
          {"value", r.count ? json(*r.count) : json(nullptr)},
          {"perGpuBytes", bytes_json(r.per_gpu)},
          {"basis", r.basis}};
}

json sweep_answer(const json& q, const Request& req, Errors& errors) {
  const auto axis_it = q.find("axis");
  Axis axis = Axis::SeqLen;
  if (axis_it == q.end() || !axis_it->is_string() || (*axis_it != "seqLen" && *axis_it != "batch"))
    errors.add("axis", "axis must be \"seqLen\" or \"batch\"");
  else
    axis = *axis_it == "seqLen" ? Axis::SeqLen : Axis::Batch;
  const double bound = double(axis_bound(axis));
  const auto from = count(q, "from", errors, 1.0, bound);
  const auto to = count(q, "to", errors, std::nullopt, bound);
  const auto points = count(q, "points", errors, 1000.0, kMaxExactInteger);
  if (!errors.empty()) return fail(errors.take());
  if (*points > kMaxSweepPoints)
    return fail({{"points", "points must be at most " + std::to_string(kMaxSweepPoints)}});
  if (*from > *to) return fail({{"from", "from must be at most to"}});
  const auto list = sweep(req, axis, *from, *to, *points);
  json xs = json::array(), totals = json::array();
  for (const auto& p : list) {
    xs.push_back(p.x);
    totals.push_back(p.total ? json(bytes_json(*p.total)) : json(nullptr));
  }
  return {{"ok", true}, {"axis", *axis_it}, {"x", xs}, {"totalBytes", totals}};
}

json plan_answer(const json& q, const Request& req, Errors& errors) {
  const auto max_gpus = count(q, "maxGpus", errors, 8.0, double(fields::kMaxGpus));
  if (!req.gpu_memory_bytes)
    errors.add("gpu", "plan needs a card: gpu (an id from gpus()) or gpuMemoryBytes");
  if (!errors.empty()) return fail(errors.take());
  const Plan p = plan(req, PlanOptions{*max_gpus});
  return {{"ok", p.ok},
          {"gpus", p.gpus},
          {"changes", p.changes},
          {"totalBytes", bytes_json(p.total)},
          {"binding", p.binding},
          {"summary", p.summary},
          {"fit", fit_json(p.fit)}};
}

// The request of a question; plan's own gpu / gpuMemoryBytes replace the request's card.
std::optional<Request> request_of(const json& q, const std::string& op, Errors& errors) {
  const auto req_it = q.find("request");
  if (req_it == q.end()) {
    errors.add("request", "request is required");
    return std::nullopt;
  }
  if (op != "plan" || !req_it->is_object() || (!q.contains("gpu") && !q.contains("gpuMemoryBytes")))
    return parse_request(*req_it, errors);
  json r = *req_it;
  r.erase("gpu");
  r.erase("gpuMemoryBytes");
  for (const char* k : {"gpu", "gpuMemoryBytes"})
    if (q.contains(k)) r[k] = q.at(k);
  return parse_request(r, errors);
}

json answer(const json& q) {
  Errors errors;
  if (!q.is_object()) return fail({{"question", "the question must be an object"}});
  const auto op_it = q.find("op");
  if (op_it == q.end() || !op_it->is_string()) return fail({{"op", "op must be a string"}});
  const std::string op = op_it->get<std::string>();
  if (op == "formats") return {{"ok", true}, {"formats", engine_formats_json()}};
  if (op != "maxSeqLen" && op != "maxBatch" && op != "bestFormat" && op != "gpusNeeded" &&
      op != "sweep" && op != "plan")
    return fail({{"op", std::string("op must be one of ") + kOps}});
  auto req = request_of(q, op, errors);
  if (!req) return fail(errors.take());
  // A request the estimator rejects as it stands gets that answer.
  if (Report r = estimate(*req); !r.ok) return fail(r.errors);
  if (op == "maxSeqLen" || op == "maxBatch") return largest(q, op, *req, errors);
  if (op == "bestFormat") return best(q, *req, errors);
  if (op == "gpusNeeded") return needed(q, *req, errors);
  if (op == "plan") return plan_answer(q, *req, errors);
  return sweep_answer(q, *req, errors);
}

}  // namespace

std::string inverse_json(std::string_view text) {
  Errors errors;
  json q = parse_json_limited(text, "question", kMaxRequestBytes, errors);
  if (q.is_discarded()) return fail(errors.take()).dump();
  return answer(q).dump();
}

}  // namespace llmmem
