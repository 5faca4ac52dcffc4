// One way in: estimate(request) -> report. The page, Node scripts, embedders,
// benchmarks and tests all go through these functions.
#pragma once

#include <string>
#include <string_view>

#include "util/json.hpp"

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

// The estimate for a validated request. Never throws.
Report estimate(const Request& req);

// The contract's JSON API: request text in, report text out. Never throws.
std::string estimate_json(std::string_view request_text);

// The report as the contract's JSON text (the one serializer; keys in
// nlohmann's order, so the bytes are those of nlohmann::json::dump()).
std::string report_to_text(const Report& report);

// presets() and gpus() of the contract, as JSON text.
std::string presets_json();
std::string gpus_json();

// Largest request text accepted: room for the largest configJson (1 MiB,
// model/config_json.hpp) even with every character escaped, so that an
// oversized config gets its own error naming that field; small enough that no
// request can exhaust the module's memory. wasm/api.js checks it (from the
// schema's limits) before anything is copied into the module.
inline constexpr std::size_t kMaxRequestBytes = 8 << 20;

}  // namespace llmmem
