#include "util/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace llmmem {

std::string format_number(double x, int digits) {
  if (!std::isfinite(x)) return "?";
  char buf[64];
  // %.*g drops trailing zeros and switches to exponents only for extremes.
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

std::string format_integer(double x) {
  if (!std::isfinite(x)) return "?";
  char buf[64];
  const double ax = std::fabs(x);
  std::string_view digits;
  if (ax < 9007199254740992.0) {
    // What "%.0f" prints, without printf's arbitrary-precision path: below
    // 2^53 nearbyint rounds exactly as printf does (ties to even).
    const auto r =
        std::to_chars(buf, buf + sizeof buf, static_cast<std::uint64_t>(std::nearbyint(ax)));
    digits = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", ax);
    digits = buf;
  }
  std::string out;
  out.reserve(digits.size() + digits.size() / 3 + 1);
  const int n = int(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[std::size_t(i)];
  }
  return x < 0 ? "-" + out : out;
}

std::string format_count(double x) {
  if (!std::isfinite(x)) return "?";
  if (std::fabs(x) < 1e6) return format_integer(x);
  const int exp = int(std::floor(std::log10(std::fabs(x))));
  const double mant = x / std::pow(10.0, exp);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", mant);
  std::string m = buf;
  if (m == "10") {  // 9.996e9 rounds up to 10
    m = "1";
    return m + "e" + std::to_string(exp + 1);
  }
  return m + "e" + std::to_string(exp);
}

std::string format_gb(Bytes b) {
  char buf[64];
  if (std::fabs(b.value) < 0.1 * kGB)
    std::snprintf(buf, sizeof buf, "%.1f MB", b.value / kMB);
  else
    std::snprintf(buf, sizeof buf, "%.2f GB", b.value / kGB);
  return buf;
}

std::string format_gib(Bytes b) {
  char buf[64];
  if (std::fabs(b.value) < kGiB)
    std::snprintf(buf, sizeof buf, "%.1f MiB", b.value / kMiB);
  else
    std::snprintf(buf, sizeof buf, "%.2f GiB", b.value / kGiB);
  return buf;
}

}  // namespace llmmem
