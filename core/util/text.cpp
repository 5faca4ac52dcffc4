#include "util/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string_view>

namespace llmmem {

namespace {

// QuietText's flag: internal, constant-initialised (a static data member read
// by inline code went through a TLS wrapper that UBSan saw as null).
thread_local bool quiet_text = false;

// 10^k, exact for k <= 22.
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Appends the decimal digits of n (n < 2^53).
void append_digits(std::string& out, std::uint64_t n) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

// x × 10^places rounded to an integer as printf rounds: the exact product
// (p + e, e from fma, exact as 10^places is) to nearest, ties to even. Empty
// where the product is not below 2^52.
std::optional<std::uint64_t> scaled_round(double ax, int places) {
  const double s = kPow10[places];
  const double p = ax * s;
  if (!(p < 4503599627370496.0)) return std::nullopt;
  const double e = std::fma(ax, s, -p);  // p + e == ax × s exactly
  const double fl = std::floor(p);
  double r;
  if (p - fl == 0.5)  // a tie in p: e decides, or ties to even
    r = e > 0 ? fl + 1 : e < 0 ? fl : (std::fmod(fl, 2.0) == 0 ? fl : fl + 1);
  else
    r = std::nearbyint(p);  // e cannot carry p + e across a half
  return static_cast<std::uint64_t>(r);
}

// What snprintf "%.{places}f" prints (places <= 6), without musl's long-double
// path (soft-float in WebAssembly: it was half of an estimate's time).
std::string fixed(double x, int places) {
  std::string out;
  const auto n = scaled_round(std::fabs(x), places);
  if (!n) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.*f", places, x);
    return buf;
  }
  if (std::signbit(x)) out += '-';  // printf keeps the sign of -0.001 as "-0.00"
  const std::uint64_t unit = static_cast<std::uint64_t>(kPow10[places]);
  append_digits(out, *n / unit);
  if (places > 0) {
    out += '.';
    const std::string frac = std::to_string(*n % unit);
    out.append(std::size_t(places) - frac.size(), '0');
    out += frac;
  }
  return out;
}

// What snprintf "%.{digits}g" prints where x is a short decimal held exactly
// (2, 0.5, 1.0625, 4096: x × 10^k an exact integer of at most `digits`
// digits); empty otherwise, for snprintf to print.
std::optional<std::string> short_general(double x, int digits) {
  const double ax = std::fabs(x);
  if (!(ax >= 1e-4 && ax < 1e15) || digits < 1 || digits > 15) return std::nullopt;
  const int exp10 = int(std::floor(std::log10(ax)));
  if (exp10 >= digits) return std::nullopt;  // %g would write an exponent
  for (int k = 0; k <= digits - 1 - exp10 && k <= 22; ++k) {
    const double p = ax * kPow10[k];
    if (p != std::floor(p) || std::fma(ax, kPow10[k], -p) != 0) continue;
    const auto n = static_cast<std::uint64_t>(p);
    if (n >= static_cast<std::uint64_t>(kPow10[digits])) return std::nullopt;
    std::string out = std::signbit(x) ? "-" : "";
    const std::uint64_t unit = static_cast<std::uint64_t>(kPow10[k]);
    append_digits(out, n / unit);
    if (k > 0) {
      out += '.';
      const std::string frac = std::to_string(n % unit);
      out.append(std::size_t(k) - frac.size(), '0');
      out += frac;  // k is the fewest places that hold x: no trailing zero
    }
    return out;
  }
  return std::nullopt;
}

}  // namespace

QuietText::QuietText() : was_(quiet_text) {
  quiet_text = true;
}
QuietText::~QuietText() {
  quiet_text = was_;
}
bool QuietText::on() {
  return quiet_text;
}

std::string format_number(double x, int digits) {
  if (QuietText::on()) return {};
  if (!std::isfinite(x)) return "?";
  if (x == 0) return std::signbit(x) ? "-0" : "0";
  if (auto s = short_general(x, digits)) return *s;
  char buf[64];
  // %.*g drops trailing zeros and switches to exponents only for extremes.
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

std::string format_integer(double x) {
  if (QuietText::on()) return {};
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
  if (QuietText::on()) return {};
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
  if (QuietText::on()) return {};
  if (std::fabs(b.value) < 0.1 * kGB) return fixed(b.value / kMB, 1) + " MB";
  return fixed(b.value / kGB, 2) + " GB";
}

std::string format_gib(Bytes b) {
  if (QuietText::on()) return {};
  if (std::fabs(b.value) < kGiB) return fixed(b.value / kMiB, 1) + " MiB";
  return fixed(b.value / kGiB, 2) + " GiB";
}

std::string format_fixed(double x, int places) {
  return fixed(x, places);
}

}  // namespace llmmem
