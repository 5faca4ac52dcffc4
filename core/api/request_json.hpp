// Reading a contract request (a parsed JSON object) into a Request: every
// known field checked, every bad value an error naming the field.
#pragma once

#include <optional>

#include "util/json.hpp"

#include "api/error.hpp"
#include "api/request.hpp"

namespace llmmem {

std::optional<Request> parse_request(const Json& request, Errors& errors);

}  // namespace llmmem
