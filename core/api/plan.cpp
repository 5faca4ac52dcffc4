#include "api/plan.hpp"

#include <algorithm>
#include <functional>
#include <vector>

#include "api/estimate.hpp"
#include "api/fit.hpp"
#include "api/inverse.hpp"
#include "catalog/catalog.hpp"
#include "engines/engines.hpp"
#include "formats/formats.hpp"
#include "model/model.hpp"
#include "util/text.hpp"

namespace llmmem {
namespace {

using json = Json;

// A knob setting: changes the request, or returns false where it does not apply.
using Knob = std::function<bool(Request&)>;

struct Tried {
  bool fits = false;
  Report report;
};

// A trial: its fit and reason ids are read, never its words.
Tried try_request(const Request& req) {
  Tried t;
  const QuietText numbers_only;
  t.report = estimate(req);
  t.fits = t.report.ok && t.report.fit && t.report.fit->ok;
  return t;
}

bool is_vllm(const Request& r) {
  return r.task == Task::Inference && r.engine == Engine::Vllm && r.model.arch &&
         r.estimator == EstimatorKind::Detailed;
}

// n cards: vLLM shards by tensor parallelism, training by ZeRO-3 / FSDP
// full-shard (plain data parallelism would copy everything onto each card).
Request on_cards(Request r, std::int64_t n) {
  r.gpus = n;
  if (is_vllm(r)) r.tensor_parallel = n;
  if (r.task == Task::Finetune && n > 1 && r.zero_stage < 3) r.zero_stage = 3;
  return r;
}

// vLLM reserves KV blocks for max_model_len tokens: the longest that fits,
// from the sequence length up to the model's (or the request's) maximum,
// rounded down to a multiple of 1,024 where that still fits.
std::optional<Request> sized_for_pool(Request r) {
  if (!is_vllm(r)) return try_request(r).fits ? std::optional<Request>(r) : std::nullopt;
  const std::int64_t model_max = r.model.arch->max_position_embeddings;
  const std::int64_t hi = r.max_model_len.value_or(model_max > 0 ? model_max : r.seq_len);
  auto at = [&](std::int64_t m) {
    Request probe = r;
    probe.max_model_len = m;
    return llmmem::probe(probe, Target{});
  };
  if (at(hi).fits) return r;  // as given (or the engine's default)
  if (r.seq_len > hi) return std::nullopt;
  // The smallest max_model_len that holds a sequence may not fit where a
  // larger one does (a smaller profile run above 32K): look for any that fits.
  std::int64_t start = r.seq_len;
  Probe first = at(start);
  for (double x = double(start) * 1.0905; !first.fits && x < double(hi); x *= 1.0905) {
    start = static_cast<std::int64_t>(x);
    first = at(start);
  }
  if (!first.fits) return std::nullopt;
  const std::int64_t best = largest_edge(start, hi, first, at).value;
  const std::int64_t round = best / 1024 * 1024;
  r.max_model_len = round >= start && at(round).fits ? round : best;
  return r;
}

std::optional<Request> fits_on(const Request& r, std::int64_t n) {
  return sized_for_pool(on_cards(r, n));
}

// The knobs of each tier, for the request's task and engine.
std::vector<Knob> lossless_knobs(const Request& base) {
  std::vector<Knob> k{[](Request&) { return true; }};
  if (base.task == Task::Finetune && !base.gradient_checkpointing)
    k.push_back([](Request& r) { return r.gradient_checkpointing = true; });
  return k;
}

std::vector<Knob> slow_knobs(const Request& base) {
  std::vector<Knob> k;
  if (base.task != Task::Finetune) return k;
  for (auto off : {CpuOffload::Optimizer, CpuOffload::OptimizerParams})
    if (base.cpu_offload < off)
      k.push_back([off](Request& r) {
        r.gradient_checkpointing = true;
        r.cpu_offload = off;
        return true;
      });
  return k;
}

Knob weights_knob(const std::string& w, const std::string& cache) {
  return [w, cache](Request& r) {
    if (!w.empty()) {
      if (r.weights == w) return false;
      r.weights = w;
      r.weights_given = true;
    }
    if (!cache.empty()) {
      if (r.kv_cache == cache) return false;
      r.kv_cache = cache;
    }
    return true;
  };
}

std::vector<Knob> lossy_knobs(const Request& base) {
  std::vector<Knob> k;
  if (base.task == Task::Finetune) {
    if (base.optimizer == Optimizer::AdamW || base.optimizer == Optimizer::Adam)
      k.push_back([](Request& r) {
        r.gradient_checkpointing = true;
        r.optimizer = Optimizer::AdamW8bit;
        return true;
      });
    return k;
  }
  const auto rows = engine_spec(base.engine).weights;
  const std::string cache = base.engine == Engine::LlamaCpp ? "q8_0"
                            : base.engine == Engine::Vllm   ? "fp8"
                                                            : "";
  if (!cache.empty()) k.push_back(weights_knob("", cache));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    k.push_back(weights_knob(std::string(rows[i]), ""));
    if (!cache.empty()) k.push_back(weights_knob(std::string(rows[i]), cache));
  }
  return k;
}

// The fields a plan may change, as the request spells them.
json field_values(const Request& r) {
  json v = {{"weights", r.weights},
            {"kvCache", r.kv_cache},
            {"seqLen", r.seq_len},
            {"batch", r.batch},
            {"gpus", r.gpus},
            {"tensorParallel", r.tensor_parallel},
            {"zeroStage", r.zero_stage},
            {"gradientCheckpointing", r.gradient_checkpointing},
            {"cpuOffload", std::string(to_string(r.cpu_offload))},
            {"optimizer", std::string(to_string(r.optimizer))}};
  v["maxModelLen"] = r.max_model_len ? json(*r.max_model_len) : json(nullptr);
  v["gpuLayers"] = r.gpu_layers ? json(*r.gpu_layers) : json(nullptr);
  return v;
}

json changes_between(const Request& from, const Request& to) {
  const json a = field_values(from), b = field_values(to);
  json out = json::object();
  for (const auto& [k, v] : b.items())
    if (a.at(k) != v) out[k] = v;
  return out;
}

std::string card_name(const Request& r) {
  const Gpu* g = r.gpu_id.empty() ? nullptr : find_gpu(r.gpu_id);
  return g ? g->name : format_gb(Bytes(double(*r.gpu_memory_bytes))) + " card";
}

// The changes in plain words, for the page and the command line.
std::string describe(const json& c, const Request& to) {
  std::vector<std::string> parts;
  if (c.contains("zeroStage") && to.zero_stage == 3) parts.push_back("ZeRO-3");
  if (c.contains("gradientCheckpointing")) parts.push_back("gradient checkpointing");
  if (c.contains("cpuOffload"))
    parts.push_back(to.cpu_offload == CpuOffload::OptimizerParams
                        ? "optimizer states and parameters offloaded to the CPU"
                        : "optimizer states offloaded to the CPU");
  if (c.contains("optimizer")) parts.push_back("8-bit AdamW");
  if (c.contains("weights")) {
    const WeightFormat* f = find_weight_format(to.weights);
    parts.push_back((f ? std::string(f->label) : to.weights) + " weights");
  }
  if (c.contains("kvCache")) parts.push_back("a " + to.kv_cache + " KV cache");
  if (c.contains("maxModelLen"))
    parts.push_back("maxModelLen " + format_integer(double(*to.max_model_len)));
  if (c.contains("gpuLayers"))
    parts.push_back(format_integer(double(*to.gpu_layers)) + " layers on the GPU");
  if (c.contains("batch")) parts.push_back("batch " + format_integer(double(to.batch)));
  if (c.contains("seqLen"))
    parts.push_back(format_integer(double(to.seq_len)) + "-token sequences");
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i)
    s += (i == 0 ? " with " : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return s;
}

class Planner {
 public:
  Planner(const Request& req, const PlanOptions& o)
      : base_(req), counts_(gpu_counts(req, std::max<std::int64_t>(1, o.max_gpus))) {}

  Plan run() {
    const Tried as_given = try_request(base_);
    if (as_given.report.fit && !as_given.report.fit->reasons.empty())
      binding_ = as_given.report.fit->reasons.front().id;
    if (cards_outer(lossless_knobs(base_)) || cards_outer(slow_knobs(base_)) ||
        knobs_outer(lossy_knobs(base_)) || smaller_workload())
      return answer(true);
    found_ = base_;
    return answer(false);
  }

 private:
  bool settle(Request r, std::int64_t n) {
    if (auto ok = fits_on(r, n)) {
      found_ = *ok;
      return true;
    }
    return false;
  }

  bool cards_outer(const std::vector<Knob>& knobs) {
    for (const std::int64_t n : counts_)
      for (const auto& knob : knobs)
        if (Request r = base_; knob(r) && settle(r, n)) return true;
    return false;
  }

  bool knobs_outer(const std::vector<Knob>& knobs) {
    Request acc = base_;  // lossy knobs keep the slow ones' settings before them
    if (base_.task == Task::Finetune) acc.gradient_checkpointing = true;
    for (const auto& knob : knobs)
      for (const std::int64_t n : counts_)
        if (Request r = acc; knob(r) && settle(r, n)) return true;
    return false;
  }

  // Fewer sequences, then shorter ones, on the fewest cards that give it.
  bool smaller_workload() {
    for (const std::int64_t n : counts_) {
      Request r = on_cards(base_, n);
      if (r.task == Task::Finetune) r.gradient_checkpointing = true;
      for (const Axis axis : {Axis::Batch, Axis::SeqLen}) {
        std::int64_t& value = axis == Axis::Batch ? r.batch : r.seq_len;
        if (value > 1) {
          const Largest l = largest_fitting(r, axis, Target{}, value - 1);
          if (l.value >= 1) {
            value = axis == Axis::SeqLen && l.value >= 1024 ? l.value / 1024 * 1024 : l.value;
            if (settle(r, n)) return true;
          }
        }
        if (axis == Axis::Batch) r.batch = 1;
      }
    }
    return false;
  }

  Plan answer(bool ok) {
    Plan p;
    p.ok = ok;
    p.binding = binding_;
    Tried t;  // the answer's report, in words (its fit reasons are shown)
    t.report = estimate(found_);
    p.gpus = found_.gpus;
    p.total = t.report.ok ? t.report.total() : Bytes(0);
    p.fit = t.report.fit;
    p.changes = ok ? changes_between(base_, found_) : json::object();
    const std::string cards = std::to_string(found_.gpus) + " × " + card_name(found_);
    p.summary = ok ? "fits on " + cards + describe(p.changes, found_)
                   : "does not fit on up to " + std::to_string(counts_.back()) + " × " +
                         card_name(base_) + ", whatever the plan changes";
    return p;
  }

  Request base_;
  std::vector<std::int64_t> counts_;
  Request found_;
  std::string binding_;
};

}  // namespace

Plan plan(const Request& req, const PlanOptions& options) {
  return Planner(req, options).run();
}

}  // namespace llmmem
