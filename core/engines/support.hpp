// What each engine can run: which weight formats it loads and which KV-cache
// element types it offers. The schema (api/schema.cpp) lists them for the
// page and the command line; the estimators still answer for any pairing,
// with a warning, so that a what-if stays possible.
#pragma once

#include "api/request.hpp"
#include "formats/formats.hpp"

namespace llmmem {

// The engine loads weights stored in this format.
bool engine_loads(Engine engine, const WeightFormat& format);

// The engine offers this KV-cache element type ("auto" is always offered).
bool engine_offers_cache(Engine engine, const CacheFormat& format);

}  // namespace llmmem
