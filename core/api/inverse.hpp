// The inverse questions: what fits a memory budget? Each answer searches over
// estimate() (binary search where memory grows with the searched value), so
// it agrees with the tables by construction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

// The per-GPU total of req, or nothing when the estimate fails.
std::optional<Bytes> total_bytes(const Request& req);

// Searched axes of a request.
enum class Axis { SeqLen, Batch };

struct Largest {
  std::int64_t value = 0;  // the largest value that fits; 0 when even 1 does not
  bool capped = false;     // the limit itself fits (the true answer may be larger)
  Bytes total;             // the per-GPU total at value (at 1 when value is 0)
};

// The largest seqLen (or batch) in [1, limit] whose estimate fits budget,
// assuming memory does not shrink as the value grows.
Largest largest_fitting(const Request& base, Axis axis, Bytes budget, std::int64_t limit);

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

// The first of candidates (most precise first) that fits budget. With no
// candidates, the 16/8/4-bit formats of the request's engine (formats.hpp).
BestFormat best_format(const Request& base, Bytes budget, std::vector<std::string> candidates = {});

struct GpusNeeded {
  std::optional<std::int64_t> count;  // the fewest cards that hold it, up to the limit
  Bytes per_gpu;                      // per-GPU total at count (at 1 when none)
  // "estimate": the estimator spreads the work over count cards (tensor
  // parallel for inference, the request's ZeRO stage for fine-tuning).
  // "even-split": the estimator does not shard this case, so the one-card
  // total is divided evenly, as the seed article's rule of thumb does.
  std::string basis;
};

// Counts tried: 1 to 16, then 32, 64, ... up to limit.
GpusNeeded gpus_needed(const Request& base, Bytes card, std::int64_t limit = 1024);

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
// "gpusNeeded" | "sweep" | "formats", "request": {...}, ...} in, result out.
// Never throws; a bad question is {"ok": false, "errors": [...]}.
std::string inverse_json(std::string_view question_text);

}  // namespace llmmem
