// est.schema(): what the core accepts, for the page, the command line and
// tools: every request field with its type, values or bounds and default, the
// engines with the formats and cache types each runs, the weight formats and
// the cache types. Built from the tables the parser itself uses
// (api/fields.hpp, formats/, engines/), so it cannot disagree with it.
#pragma once

#include <string>

namespace llmmem {

// The schema as JSON text (the same text on every call).
std::string schema_json();

}  // namespace llmmem
