// Numbers as formula text shows them ("8.03e9 params × 2 B = 16.06 GB").
// No <format> in g++ 12 or Emscripten's libc++ 14, nor to_chars with a precision:
// integer arithmetic for the common cases, snprintf for the rest.
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

// What snprintf "%.{places}f" prints (places 0 to 6), exactly; tests compare the two.
std::string format_fixed(double x, int places);

// While one lives on this thread, the format_* functions above return "": for
// the trial estimates of the searches (plan, the inverse questions, sweeps),
// whose reports only their numbers are read from. Formatting was most of an
// estimate's time. Numbers are not touched.
class QuietText {
 public:
  QuietText();
  ~QuietText();
  QuietText(const QuietText&) = delete;
  QuietText& operator=(const QuietText&) = delete;
  static bool on();

 private:
  bool was_;
};

}  // namespace llmmem
