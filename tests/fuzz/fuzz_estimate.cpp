// libFuzzer target: arbitrary bytes as a request to estimate_json(). The
// report is always valid JSON: either {ok: true} with finite, non-negative,
// whole-byte components that sum to totalBytes, or {ok: false} with errors
// that each name a field.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "api/estimate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto report = nlohmann::json::parse(llmmem::estimate_json(text), nullptr, false);
  if (report.is_discarded() || !report.is_object() || !report.contains("ok")) std::abort();
  if (!report["ok"].get<bool>()) {
    if (!report["errors"].is_array() || report["errors"].empty()) std::abort();
    for (const auto& e : report["errors"])
      if (!e["field"].is_string() || !e["message"].is_string()) std::abort();
    return 0;
  }
  std::uint64_t sum = 0;
  for (const auto& c : report["components"]) {
    if (!c["bytes"].is_number_unsigned()) std::abort();  // whole, non-negative bytes
    sum += c["bytes"].get<std::uint64_t>();
  }
  if (!report["totalBytes"].is_number_unsigned() ||
      report["totalBytes"].get<std::uint64_t>() != sum)
    std::abort();
  if (double(sum) >= llmmem::kMaxExactInteger) std::abort();  // a JS number holds it exactly
  return 0;
}
