// A pasted config.json is read once: the last few configs read (by their text,
// or by the JSON text of a config object) and their answers (the architecture,
// or the errors that name their fields) are kept, so a page that asks many
// questions about one pasted config does not parse and build it each time.
// Measured in Node (tests/bench/bench.mjs, CPU time of one estimate() from a
// pasted Llama 3.1 8B config.json): 83 us parsed each time, 43 us kept; most
// of what is left is lexing the text inside the request.
#pragma once

#include <memory>
#include <string_view>

#include "util/json.hpp"

#include "api/error.hpp"
#include "model/model.hpp"

namespace llmmem {

// parse_config_text(text, field, errors), answered from the cache when the
// same text was read under the same field name.
std::shared_ptr<const ModelArch> cached_config_text(std::string_view text, std::string_view field,
                                                    Errors& errors);

// parse_config(config, field, errors), keyed by config.dump().
std::shared_ptr<const ModelArch> cached_config(const Json& config, std::string_view field,
                                               Errors& errors);

}  // namespace llmmem
