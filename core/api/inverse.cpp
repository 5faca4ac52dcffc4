#include "api/inverse.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

#include <nlohmann/json.hpp>

#include "api/estimate.hpp"
#include "api/request_json.hpp"
#include "engines/engines.hpp"
#include "formats/formats.hpp"
#include "model/config_json.hpp"

namespace llmmem {

namespace {

using json = nlohmann::json;

// gpus_needed tries every count up to this one, then powers of two (the sizes
// clusters come in). Sharding rules (heads divisible by the tensor-parallel
// degree) make the per-GPU total non-monotonic in the count, so no bisection.
constexpr std::int64_t kGpuLinearSearch = 16;

void set_axis(Request& req, Axis axis, std::int64_t v) {
  if (axis == Axis::SeqLen)
    req.seq_len = v;
  else
    req.batch = v;
}

bool fits(const Request& req, Bytes budget, Bytes* total = nullptr) {
  auto t = total_bytes(req);
  if (t && total) *total = *t;
  return t && *t <= budget;
}

}  // namespace

std::optional<Bytes> total_bytes(const Request& req) {
  Report r = estimate(req);
  if (!r.ok) return std::nullopt;
  // The report's total is the sum of whole-byte components.
  double sum = 0;
  for (const auto& c : r.components) sum += static_cast<double>(whole_bytes(c.bytes));
  return Bytes(sum);
}

Largest largest_fitting(const Request& base, Axis axis, Bytes budget, std::int64_t limit) {
  Largest out;
  Request req = base;
  limit = std::max<std::int64_t>(limit, 1);
  set_axis(req, axis, 1);
  if (!fits(req, budget, &out.total)) return out;
  set_axis(req, axis, limit);
  Bytes at_limit;
  if (fits(req, budget, &at_limit)) {
    out.value = limit;
    out.capped = true;
    out.total = at_limit;
    return out;
  }
  std::int64_t lo = 1, hi = limit;  // fits(lo), !fits(hi)
  Bytes at_lo = out.total;
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    set_axis(req, axis, mid);
    Bytes t;
    if (fits(req, budget, &t)) {
      lo = mid;
      at_lo = t;
    } else {
      hi = mid;
    }
  }
  out.value = lo;
  out.total = at_lo;
  return out;
}

BestFormat best_format(const Request& base, Bytes budget, std::vector<std::string> candidates) {
  if (candidates.empty())
    for (auto w : engine_spec(base.engine).weights) candidates.emplace_back(w);
  BestFormat out;
  for (const auto& w : candidates) {
    Request req = base;
    req.weights = w;
    req.weights_given = true;
    FormatFit f;
    f.weights = w;
    if (auto t = find_weight_format(w) ? total_bytes(req) : std::nullopt) {
      f.ok = true;
      f.total = *t;
      f.fits = *t <= budget;
    }
    if (f.fits && !out.weights) out.weights = w;
    out.candidates.push_back(f);
  }
  return out;
}

GpusNeeded gpus_needed(const Request& base, Bytes card, std::int64_t limit) {
  GpusNeeded out;
  out.basis = "estimate";
  limit = std::max<std::int64_t>(limit, 1);
  auto with_count = [&](std::int64_t n) {
    Request req = base;
    req.gpus = n;
    if (req.task == Task::Inference) req.tensor_parallel = n;
    return total_bytes(req);
  };
  const auto one = with_count(1);
  if (!one) return out;
  out.per_gpu = *one;
  if (*one <= card) {
    out.count = 1;
    return out;
  }
  const auto two = limit >= 2 ? with_count(2) : std::nullopt;
  if (!two || !(*two < *one)) {
    // The estimator does not spread this case over cards: divide evenly.
    out.basis = "even-split";
    if (card.value <= 0) return out;
    const double n = std::ceil(one->value / card.value);
    if (n <= static_cast<double>(limit)) {
      out.count = static_cast<std::int64_t>(n);
      out.per_gpu = Bytes(one->value / n);
    }
    return out;
  }
  for (std::int64_t n = 2; n <= limit; n = n < kGpuLinearSearch ? n + 1 : n * 2) {
    auto t = n == 2 ? two : with_count(n);
    if (t && *t <= card) {
      out.count = n;
      out.per_gpu = *t;
      return out;
    }
  }
  return out;
}

std::vector<SweepPoint> sweep(const Request& base, Axis axis, std::int64_t from, std::int64_t to,
                              std::int64_t points) {
  std::vector<SweepPoint> out;
  from = std::max<std::int64_t>(from, 1);
  to = std::max(to, from);
  points = std::clamp<std::int64_t>(points, 1, kMaxSweepPoints);
  points = std::min(points, to - from + 1);
  Request req = base;
  std::int64_t last = 0;
  for (std::int64_t i = 0; i < points; ++i) {
    const double t = points == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(points - 1);
    const auto x =
        from + static_cast<std::int64_t>(std::llround(t * static_cast<double>(to - from)));
    if (x == last) continue;
    last = x;
    set_axis(req, axis, x);
    out.push_back({x, total_bytes(req)});
  }
  return out;
}

// --- JSON -------------------------------------------------------------------

namespace {

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

json engine_formats_json() {
  json out = json::object();
  for (const auto& f : kEngines) {
    json list = json::array();
    for (auto w : f.weights) list.push_back(std::string(w));
    out[std::string(to_string(f.engine))] = list;
  }
  return out;
}

json answer(const json& q) {
  Errors errors;
  if (!q.is_object()) return fail({{"question", "the question must be an object"}});
  const auto op_it = q.find("op");
  if (op_it == q.end() || !op_it->is_string()) return fail({{"op", "op must be a string"}});
  const std::string op = op_it->get<std::string>();
  if (op == "formats") return {{"ok", true}, {"formats", engine_formats_json()}};
  if (op != "maxSeqLen" && op != "maxBatch" && op != "bestFormat" && op != "gpusNeeded" &&
      op != "sweep")
    return fail(
        {{"op", "op must be one of maxSeqLen, maxBatch, bestFormat, gpusNeeded, sweep, formats"}});

  const auto req_it = q.find("request");
  if (req_it == q.end()) return fail({{"request", "request is required"}});
  auto req = parse_request(*req_it, errors);
  if (!req) return fail(errors.take());
  // A request the estimator rejects as it stands gets that answer.
  if (Report r = estimate(*req); !r.ok) return fail(r.errors);

  if (op == "maxSeqLen" || op == "maxBatch") {
    const auto budget = positive(q, "budgetBytes", errors);
    // The longest context defaults to the model's own maximum when the
    // architecture gives one: a longer answer would be one the model cannot use.
    double default_limit = op == "maxSeqLen" ? 16777216.0 : 1048576.0;
    if (op == "maxSeqLen" && req->model.arch && req->model.arch->max_position_embeddings > 0)
      default_limit = static_cast<double>(req->model.arch->max_position_embeddings);
    const auto limit = positive(q, "limit", errors, default_limit);
    if (!errors.empty()) return fail(errors.take());
    const auto axis = op == "maxSeqLen" ? Axis::SeqLen : Axis::Batch;
    const auto r = largest_fitting(*req, axis, Bytes(*budget), static_cast<std::int64_t>(*limit));
    return {{"ok", true},
            {"value", r.value},
            {"capped", r.capped},
            {"limit", static_cast<std::int64_t>(*limit)},
            {"totalBytes", bytes_json(r.total)}};
  }
  if (op == "bestFormat") {
    const auto budget = positive(q, "budgetBytes", errors);
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
    const auto r = best_format(*req, Bytes(*budget), candidates);
    json list = json::array();
    for (const auto& c : r.candidates)
      list.push_back({{"weights", c.weights},
                      {"ok", c.ok},
                      {"totalBytes", c.ok ? json(bytes_json(c.total)) : json(nullptr)},
                      {"fits", c.fits}});
    return {{"ok", true},
            {"value", r.weights ? json(*r.weights) : json(nullptr)},
            {"candidates", list}};
  }
  if (op == "gpusNeeded") {
    const auto card = positive(q, "gpuBytes", errors);
    const auto limit = positive(q, "limit", errors, 1024.0);
    if (!errors.empty()) return fail(errors.take());
    const auto r = gpus_needed(*req, Bytes(*card), static_cast<std::int64_t>(*limit));
    return {{"ok", true},
            {"value", r.count ? json(*r.count) : json(nullptr)},
            {"perGpuBytes", bytes_json(r.per_gpu)},
            {"basis", r.basis}};
  }
  if (op == "sweep") {
    const auto axis_it = q.find("axis");
    Axis axis = Axis::SeqLen;
    if (axis_it == q.end() || !axis_it->is_string() ||
        (*axis_it != "seqLen" && *axis_it != "batch"))
      errors.add("axis", "axis must be \"seqLen\" or \"batch\"");
    else
      axis = *axis_it == "seqLen" ? Axis::SeqLen : Axis::Batch;
    const auto from = positive(q, "from", errors, 1.0);
    const auto to = positive(q, "to", errors);
    const auto points = positive(q, "points", errors, 1000.0);
    if (!errors.empty()) return fail(errors.take());
    if (*points > static_cast<double>(kMaxSweepPoints))
      return fail({{"points", "points must be at most " + std::to_string(kMaxSweepPoints)}});
    const auto list = sweep(*req, axis, static_cast<std::int64_t>(*from),
                            static_cast<std::int64_t>(*to), static_cast<std::int64_t>(*points));
    json xs = json::array(), totals = json::array();
    for (const auto& p : list) {
      xs.push_back(p.x);
      totals.push_back(p.total ? json(bytes_json(*p.total)) : json(nullptr));
    }
    return {{"ok", true}, {"axis", *axis_it}, {"x", xs}, {"totalBytes", totals}};
  }
  return fail(
      {{"op", "op must be one of maxSeqLen, maxBatch, bestFormat, gpusNeeded, sweep, formats"}});
}

}  // namespace

std::string inverse_json(std::string_view text) {
  try {
    Errors errors;
    json q = parse_json_limited(text, "question", kMaxRequestBytes, errors);
    if (q.is_discarded()) return fail(errors.take()).dump();
    return answer(q).dump();
  } catch (const std::exception& e) {
    return fail({{"question", std::string("internal error: ") + e.what()}}).dump();
  } catch (...) {
    return fail({{"question", "internal error"}}).dump();
  }
}

}  // namespace llmmem
