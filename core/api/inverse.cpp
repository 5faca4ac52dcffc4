#include "api/inverse.hpp"

#include <algorithm>
#include <cmath>

#include "api/estimate.hpp"
#include "api/fields.hpp"
#include "api/fit.hpp"
#include "engines/engines.hpp"
#include "formats/formats.hpp"
#include "model/model.hpp"
#include "util/text.hpp"

namespace llmmem {

namespace {

// gpu_counts lists every count up to this one, then powers of two; between
// those, gpus_needed bisects (the per-GPU total falls as cards are added when
// layers or shards are spread evenly). vLLM's counts are the tensor-parallel
// sizes that divide the heads, all below this bound for every real model.
constexpr std::int64_t kGpuLinearSearch = 64;

void set_axis(Request& req, Axis axis, std::int64_t v) {
  if (axis == Axis::SeqLen)
    req.seq_len = v;
  else
    req.batch = v;
}

// The request as the searches try it: vLLM's max_model_len follows the
// sequence length when the request leaves it to the engine (see
// assumes_max_model_len).
Request tried(Request req, bool tie_max_model_len) {
  if (tie_max_model_len) req.max_model_len = req.seq_len;
  return req;
}

}  // namespace

std::optional<Bytes> total_bytes(const Request& req) {
  const QuietText numbers_only;
  Report r = estimate(req);
  if (!r.ok) return std::nullopt;
  return r.total();
}

Probe probe(const Request& req, const Target& target) {
  Probe p;
  const QuietText numbers_only;  // the fit reasons' ids are read, not their words
  const Report r = estimate(req);
  if (!r.ok) {
    p.binding = "estimate";
    return p;
  }
  p.ok = true;
  p.total = r.total();
  p.fits = true;
  if (target.budget && p.total.value > target.budget->value) {
    p.fits = false;
    p.binding = "budget";
  }
  if (r.fit && !r.fit->ok) {
    p.fits = false;
    if (p.binding.empty()) p.binding = r.fit->reasons.front().id;
  }
  return p;
}

bool assumes_max_model_len(const Request& req) {
  return req.task == Task::Inference && req.engine == Engine::Vllm && req.gpu_memory_bytes &&
         !req.max_model_len && req.model.arch && req.estimator == EstimatorKind::Detailed;
}

std::int64_t axis_bound(Axis axis) {
  return axis == Axis::SeqLen ? fields::kMaxSeqLen : fields::kMaxBatch;
}

Edge largest_edge(std::int64_t from, std::int64_t limit, const Probe& at_from,
                  const std::function<Probe(std::int64_t)>& at, bool scan_above) {
  Edge e;
  e.value = from;
  e.at = at_from;
  if (limit <= from) return e;
  const Probe top = at(limit);
  if (top.fits) {
    e.value = limit;
    e.capped = true;
    e.at = top;
    return e;
  }
  std::int64_t hi = limit;  // at(e.value) fits, at(hi) does not
  e.beyond = top;
  for (;;) {
    while (hi - e.value > 1) {
      const std::int64_t mid = e.value + (hi - e.value) / 2;
      if (Probe p = at(mid); p.fits) {
        e.value = mid;
        e.at = p;
      } else {
        hi = mid;
        e.beyond = p;
      }
    }
    if (!scan_above) return e;
    // Above the edge: does a larger region fit again? Steps of 2^(1/8).
    bool again = false;
    for (double x = double(hi) * 1.0905; x < double(limit); x *= 1.0905) {
      const auto v = static_cast<std::int64_t>(x);
      if (Probe p = at(v); p.fits) {
        e.value = v;
        e.at = p;
        hi = limit;
        again = true;
        break;
      }
    }
    if (!again) return e;
  }
}

bool may_fit_again(const Request& req, Axis axis) {
  return axis == Axis::SeqLen && req.task == Task::Inference && req.engine == Engine::Vllm;
}

Largest largest_fitting(const Request& base, Axis axis, const Target& target, std::int64_t limit) {
  Largest out;
  const bool tie = assumes_max_model_len(base);
  limit = std::clamp<std::int64_t>(limit, 1, axis_bound(axis));
  auto at = [&](std::int64_t v) {
    Request req = base;
    set_axis(req, axis, v);
    return probe(tried(req, tie), target);
  };
  const Probe first = at(1);
  out.total = first.total;
  if (!first.fits) {
    out.binding = first.binding;
    return out;
  }
  const Edge e = largest_edge(1, limit, first, at, may_fit_again(base, axis));
  out.value = e.value;
  out.capped = e.capped;
  out.total = e.at.total;
  if (!e.capped) out.binding = e.beyond.binding;
  if (tie) out.max_model_len = axis == Axis::SeqLen ? out.value : base.seq_len;
  return out;
}

BestFormat best_format(const Request& base, const Target& target,
                       std::vector<std::string> candidates) {
  if (candidates.empty())
    for (auto w : engine_spec(base.engine).weights) candidates.emplace_back(w);
  BestFormat out;
  for (const auto& w : candidates) {
    Request req = base;
    req.weights = w;
    req.weights_given = true;
    FormatFit f;
    f.weights = w;
    if (find_weight_format(w)) {
      const Probe p = probe(req, target);
      f.ok = p.ok;
      f.total = p.total;
      f.fits = p.fits;
    }
    if (f.fits && !out.weights) out.weights = w;
    out.candidates.push_back(f);
  }
  return out;
}

std::vector<std::int64_t> gpu_counts(const Request& req, std::int64_t limit) {
  std::vector<std::int64_t> out;
  limit = std::clamp<std::int64_t>(limit, 1, fields::kMaxGpus);
  const bool vllm = req.task == Task::Inference && req.engine == Engine::Vllm && req.model.arch &&
                    req.estimator == EstimatorKind::Detailed;
  for (std::int64_t n = 1; n <= limit; n = n < kGpuLinearSearch ? n + 1 : n * 2) {
    if (vllm && !tensor_parallel_problem(*req.model.arch, n).empty()) continue;
    out.push_back(n);
  }
  return out;
}

namespace {

Request with_gpus(const Request& base, std::int64_t n) {
  Request req = base;
  req.gpus = n;
  if (req.task == Task::Inference) req.tensor_parallel = n;
  return req;
}

// Without a card in the request: the old rule of thumb where the estimator
// does not spread the work over cards (divide the one-card total evenly).
GpusNeeded even_split(const Bytes one, const Bytes card, std::int64_t limit) {
  GpusNeeded out;
  out.basis = "even-split";
  out.per_gpu = one;
  if (card.value <= 0) return out;
  const double n = std::ceil(one.value / card.value);
  if (n <= static_cast<double>(limit)) {
    out.count = static_cast<std::int64_t>(n);
    out.per_gpu = Bytes(one.value / n);
  }
  return out;
}

}  // namespace

GpusNeeded gpus_needed(const Request& base, const Target& target, std::int64_t limit) {
  GpusNeeded out;
  out.basis = "estimate";
  limit = std::clamp<std::int64_t>(limit, 1, fields::kMaxGpus);
  const Probe one = probe(with_gpus(base, 1), target);
  if (!one.ok) return out;
  out.per_gpu = one.total;
  if (one.fits) {
    out.count = 1;
    return out;
  }
  if (!base.gpu_memory_bytes && target.budget) {
    const auto two = limit >= 2 ? total_bytes(with_gpus(base, 2)) : std::nullopt;
    if (!two || !(*two < one.total)) return even_split(one.total, *target.budget, limit);
  }
  std::int64_t last = 1;  // the largest count tried that does not fit
  for (const std::int64_t n : gpu_counts(base, limit)) {
    if (n == 1) continue;
    const Probe p = probe(with_gpus(base, n), target);
    if (!p.ok || !p.fits) {
      last = n;
      continue;
    }
    // Past the linear range, the smallest count between the last two tried.
    std::int64_t lo = last, hi = n;
    Probe at_hi = p;
    while (n > kGpuLinearSearch && hi - lo > 1) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      if (const Probe m = probe(with_gpus(base, mid), target); m.ok && m.fits)
        hi = mid, at_hi = m;
      else
        lo = mid;
    }
    out.count = hi;
    out.per_gpu = at_hi.total;
    return out;
  }
  return out;
}

std::vector<SweepPoint> sweep(const Request& base, Axis axis, std::int64_t from, std::int64_t to,
                              std::int64_t points) {
  std::vector<SweepPoint> out;
  from = std::clamp<std::int64_t>(from, 1, axis_bound(axis));
  to = std::clamp<std::int64_t>(to, from, axis_bound(axis));
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

}  // namespace llmmem
