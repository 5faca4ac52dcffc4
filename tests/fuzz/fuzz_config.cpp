// libFuzzer target: arbitrary bytes as a pasted config.json. Whatever comes
// in, the parser returns an architecture or errors naming a field, never
// crashes, hangs or counts a negative or non-finite number of parameters.
// The same bytes also go to the core's JSON parser and to nlohmann's (the
// library it replaced): both accept them or both refuse them, and what is
// accepted is written back alike (or, for a number Grisu2 writes longer, reads
// back equal).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/config_json.hpp"
#include "model/model.hpp"
#include "util/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  llmmem::Errors errors;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const llmmem::Json ours = llmmem::Json::parse(text);
  const auto theirs = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (ours.is_discarded() != theirs.is_discarded()) std::abort();
  if (!ours.is_discarded()) {
    const std::string written = ours.dump();
    if (written != theirs.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) &&
        nlohmann::json::parse(written, nullptr, false) != theirs)
      std::abort();
  }
  auto arch = llmmem::parse_config_text(text, "model.configJson", errors);
  if (arch) {
    const auto t = llmmem::count_params(*arch);
    if (!std::isfinite(t.total.value) || t.total.value < 0 || t.active.value > t.total.value)
      std::abort();
  } else if (errors.empty()) {
    std::abort();  // a failure must say why
  }
  for (const auto& e : errors.list())
    if (e.field.empty() || e.message.empty()) std::abort();
  return 0;
}
