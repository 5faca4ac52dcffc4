// The inverse questions: what fits? Each answer searches over estimate()
// (binary search where memory grows with the searched value), so it agrees
// with the tables by construction. When the request names a card (gpu or
// gpuMemoryBytes), "fits" is the report's own verdict (report.fit.ok: the
// engine's start-up checks included); a byte budget, when given, must hold too.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

// The per-GPU total of req, or nothing when the estimate fails.
std::optional<Bytes> total_bytes(const Request& req);

// What "fits" means for a question.
struct Target {
  Target() = default;
  Target(Bytes b) : budget(b) {}  // NOLINT: a byte budget is a target
  std::optional<Bytes> budget;    // per-GPU bytes the total must not exceed
};

// One estimate, judged against a target.
struct Probe {
  bool ok = false;    // the estimate succeeded
  bool fits = false;  // within the budget, and fit.ok when the request names a card
  Bytes total;
  std::string binding;  // why it does not fit: a fit reason id, or "budget"
};
Probe probe(const Request& req, const Target& target);

// The largest x in [from, limit] where at(x).fits, given that at(from) fits.
// Bisection between a value that fits and one that does not; then, with
// scan_above, geometric probes above the first failure, in case a larger
// region fits again (vLLM's profile run shrinks when max_model_len passes
// 32K): so "fits at value, not at value + 1, nor at any probe above".
struct Edge {
  std::int64_t value = 0;
  bool capped = false;  // the limit itself fits
  Probe at;             // the probe at value
  Probe beyond;         // the probe at value + 1 (when not capped)
};
Edge largest_edge(std::int64_t from, std::int64_t limit, const Probe& at_from,
                  const std::function<Probe(std::int64_t)>& at, bool scan_above = true);

// vLLM sizes its KV pool for max_model_len, which defaults to the model's
// whole context: with a card named and maxModelLen not set, the searches
// assume `--max-model-len` equal to the sequence length they try, and say so.
bool assumes_max_model_len(const Request& req);

// Searched axes of a request.
enum class Axis { SeqLen, Batch };

// The request's own bound of an axis (api/fields.hpp).
std::int64_t axis_bound(Axis axis);

struct Largest {
  std::int64_t value = 0;  // the largest value that fits; 0 when even 1 does not
  bool capped = false;     // the limit itself fits (the true answer may be larger)
  Bytes total;             // the per-GPU total at value (at 1 when value is 0)
  std::string binding;     // what the next value up runs into (empty when capped)
  std::optional<std::int64_t> max_model_len;  // assumed (see assumes_max_model_len)
};

// Whether a larger value of the axis can fit where a smaller one does not.
// Only along vLLM's context: a max_model_len past 32K tokens shrinks its
// profile run (engines/vllm), so the total dips. Everywhere else the per-GPU
// total never falls and a failed verdict never turns back as the value grows
// (tests/node/monotone.test.mjs walks random requests of every engine,
// trainer and option to check it), and bisection alone finds the edge.
bool may_fit_again(const Request& req, Axis axis);

// The largest seqLen (or batch) in [1, limit] that fits. limit is clamped to
// the axis's bound.
Largest largest_fitting(const Request& base, Axis axis, const Target& target, std::int64_t limit);

struct FormatFit {
  std::string weights;
  Bytes total;
  bool ok = false;  // the estimate succeeded
  bool fits = false;
};

struct BestFormat {
  std::optional<std::string> weights;  // the most precise candidate that fits
  std::vector<FormatFit> candidates;   // every candidate, in the order given
};

// The first of candidates (most precise first) that fits. With no candidates,
// the 16/8/4-bit formats of the request's engine.
BestFormat best_format(const Request& base, const Target& target,
                       std::vector<std::string> candidates = {});

struct GpusNeeded {
  std::optional<std::int64_t> count;  // the fewest cards that hold it, up to the limit
  Bytes per_gpu;                      // per-GPU total at count (at 1 when none)
  // "estimate": the estimator spreads the work over count cards (tensor
  // parallel for inference, the request's ZeRO stage for fine-tuning).
  // "even-split": the estimator does not shard this case, so the one-card
  // total is divided evenly, as the seed article's rule of thumb does (only
  // without a card in the request: with one, every count is checked by fit).
  std::string basis;
};

// Card counts that the engine can use for the request: for vLLM the tensor
// parallel sizes that divide the attention heads; otherwise 1 to 16, then
// powers of two; never above limit.
std::vector<std::int64_t> gpu_counts(const Request& req, std::int64_t limit);

// The fewest cards that hold the request. With a card in the request, the
// request's card; otherwise cards of target.budget bytes each.
GpusNeeded gpus_needed(const Request& base, const Target& target, std::int64_t limit = 1024);

struct SweepPoint {
  std::int64_t x = 0;
  std::optional<Bytes> total;  // empty where the estimate fails
};

// points values of axis spread evenly over [from, to] (integers, ascending,
// without repeats), each with its per-GPU total.
std::vector<SweepPoint> sweep(const Request& base, Axis axis, std::int64_t from, std::int64_t to,
                              std::int64_t points);

inline constexpr std::int64_t kMaxSweepPoints = 10000;

// The JSON API of the module: {"op": "maxSeqLen" | "maxBatch" | "bestFormat" |
// "gpusNeeded" | "sweep" | "plan" | "formats", "request": {...}, ...} in,
// result out (api/inverse_json.cpp). Never throws; a bad question is
// {"ok": false, "errors": [...]}.
std::string inverse_json(std::string_view question_text);

}  // namespace llmmem
