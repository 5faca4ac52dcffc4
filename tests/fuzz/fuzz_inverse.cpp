// libFuzzer target: arbitrary bytes as an inverse question or plan to
// inverse_json() (maxSeqLen, maxBatch, bestFormat, gpusNeeded, sweep, plan).
// The answer is always valid JSON: {ok: false} with errors that each name a
// field, or an answer whose values stay inside the request's own bounds
// (api/fields.hpp) with whole, non-negative byte counts: no wrap-around.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "api/estimate.hpp"
#include "api/fields.hpp"
#include "api/inverse.hpp"

namespace {

using nlohmann::json;

void check_bytes(const json& v) {
  if (v.is_null()) return;
  if (!v.is_number_unsigned() || double(v.get<std::uint64_t>()) >= llmmem::kMaxExactInteger)
    std::abort();
}

void check_answer(const json& q, const json& a) {
  const std::string op = q.value("op", "");
  if (op == "maxSeqLen" || op == "maxBatch") {
    const auto bound = op == "maxSeqLen" ? llmmem::fields::kMaxSeqLen : llmmem::fields::kMaxBatch;
    const auto value = a.at("value").get<std::int64_t>();
    const auto limit = a.at("limit").get<std::int64_t>();
    if (value < 0 || value > limit || limit > bound) std::abort();
    check_bytes(a.at("totalBytes"));
  } else if (op == "gpusNeeded") {
    if (!a.at("value").is_null() && (a.at("value").get<std::int64_t>() < 1 ||
                                     a.at("value").get<std::int64_t>() > llmmem::fields::kMaxGpus))
      std::abort();
    check_bytes(a.at("perGpuBytes"));
  } else if (op == "sweep") {
    for (const auto& x : a.at("x"))
      if (x.get<std::int64_t>() < 1 || x.get<std::int64_t>() > llmmem::fields::kMaxSeqLen)
        std::abort();
    for (const auto& t : a.at("totalBytes")) check_bytes(t);
  } else if (op == "plan") {
    if (a.at("gpus").get<std::int64_t>() < 1) std::abort();
    check_bytes(a.at("totalBytes"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto answer = json::parse(llmmem::inverse_json(text), nullptr, false);
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("ok")) std::abort();
  if (answer.contains("errors")) {
    if (!answer["errors"].is_array() || answer["errors"].empty()) std::abort();
    for (const auto& e : answer["errors"])
      if (!e["field"].is_string() || !e["message"].is_string()) std::abort();
    return 0;
  }
  const auto question = json::parse(text, nullptr, false);
  if (!question.is_object()) std::abort();  // an answer without errors came from an object
  check_answer(question, answer);
  return 0;
}
