// Numbers as formula text shows them ("8.03e9 params × 2 B = 16.06 GB").
// No <format> in g++ 12 or Emscripten's libc++ 14: snprintf underneath.
#pragma once

#include <string>

#include "util/units.hpp"

namespace llmmem {

// Up to `digits` significant digits, trailing zeros dropped: 2, 0.5, 1.0625, 4.25.
std::string format_number(double x, int digits = 4);

// Counts: 4096, 131,072 below 1e6; 8.03e9 above (3 significant digits).
std::string format_count(double x);

// Exact integer with thousands separators: 8,030,261,248.
std::string format_integer(double x);

// Bytes in decimal GB with two decimals (16.06 GB), or MB below 0.1 GB.
std::string format_gb(Bytes b);

// Bytes in binary units: GiB with two decimals, MiB below 1 GiB.
std::string format_gib(Bytes b);

}  // namespace llmmem
