#include "finetune/accuracy.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "util/json.hpp"

namespace llmmem {

namespace data {
// Generated at build time from core/data/accuracy.json (see core/CMakeLists.txt).
extern const char kAccuracyJson[];
extern const unsigned long kAccuracyJsonSize;
}  // namespace data

namespace finetune {

namespace {

struct ErrorBand {
  std::string trainer, method;
  int n = 0;
  double low = 0, high = 0;  // signed relative error: (estimate - measured) / measured
  double median_abs = 0;     // the median size of that error
};

std::vector<ErrorBand> load_bands() {
  std::vector<ErrorBand> out;
  const auto all = Json::parse(data::kAccuracyJson, data::kAccuracyJson + data::kAccuracyJsonSize,
                               nullptr, false);
  if (!all.is_object() || !all.contains("finetune") || !all["finetune"].is_array()) return out;
  for (const auto& row : all["finetune"]) {
    if (!row.is_object()) continue;
    ErrorBand b;
    b.trainer = row.value("trainer", "");
    b.method = row.value("method", "");
    b.n = row.value("n", 0);
    b.low = row.value("low", 0.0);
    b.high = row.value("high", 0.0);
    b.median_abs = row.value("medianAbs", 0.0);
    // A measured figure is positive: an error at or below -100% is no band.
    if (b.n > 0 && b.low > -1 && b.high > -1) out.push_back(b);
  }
  return out;
}

const std::vector<ErrorBand>& bands() {
  static const std::vector<ErrorBand> all = load_bands();
  return all;
}

}  // namespace

std::string_view accuracy_json_text() {
  return {data::kAccuracyJson, data::kAccuracyJsonSize};
}

const char* method_class(Method m) {
  switch (m) {
    case Method::Full:
      return "full";
    case Method::Lora:
      return "lora";
    case Method::QLora8:
    case Method::QLora4:
      return "qlora";
  }
  return "full";
}

void set_range(const Request& req, const TrainerSettings& t, Report& r) {
  const std::string trainer(to_string(t.trainer)), method = method_class(req.method);
  const ErrorBand* pick = nullptr;
  // The most specific group with enough cases: trainer and method, method, all ("*").
  for (const auto& [tr, me] : {std::pair{trainer, method}, std::pair{std::string("*"), method},
                               std::pair{std::string("*"), std::string("*")}}) {
    for (const auto& b : bands())
      if (b.trainer == tr && b.method == me && b.n >= kMinCases) pick = &b;
    if (pick) break;
  }
  if (!pick) return;
  // measured = estimate / (1 + error): the band of errors, turned around the total.
  const double total = r.total().value;
  const double low_err = std::min(0.0, pick->low), high_err = std::max(0.0, pick->high);
  r.range = Range{Bytes(total / (1 + high_err)),
                  Bytes(total / (1 + low_err)),
                  pick->n,
                  pick->trainer,
                  pick->method,
                  pick->median_abs};
  r.setting("range", std::to_string(pick->n) + " measured cases of " +
                         (pick->trainer == "*" ? std::string("all trainers") : pick->trainer) +
                         ", " + (pick->method == "*" ? std::string("every method") : pick->method) +
                         " (10th-90th percentile of the error)");
}

}  // namespace finetune
}  // namespace llmmem
