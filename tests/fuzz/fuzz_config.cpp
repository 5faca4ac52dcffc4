// libFuzzer target: arbitrary bytes as a pasted config.json. Whatever comes
// in, the parser returns an architecture or errors naming a field, never
// crashes, hangs or counts a negative or non-finite number of parameters.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/config_json.hpp"
#include "model/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  llmmem::Errors errors;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
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
