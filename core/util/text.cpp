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

// What snprintf "%.{digits}g" prints, for the fixed-point form %g chooses
// (decimal exponent X of the rounded value with -4 <= X < digits): x rounded
// to `digits` significant digits by scaled_round, trailing zeros dropped. The
// exponent is guessed from log10 and corrected by the digit count of the
// rounded integer (a carry, 9.9996 -> 10.00, moves it up). Empty for the
// exponent form and for what scaled_round cannot hold, for snprintf to print.
std::optional<std::string> general(double x, int digits) {
  const double ax = std::fabs(x);
  if (!(ax >= 1e-5 && ax < 1e16) || digits < 1 || digits > 15) return std::nullopt;
  const auto lo = static_cast<std::uint64_t>(kPow10[digits - 1]);
  const auto hi = static_cast<std::uint64_t>(kPow10[digits]);
  int exp10 = int(std::floor(std::log10(ax)));
  std::uint64_t n = 0;
  int places = 0;
  for (int tries = 0;; ++tries) {
    places = digits - 1 - exp10;
    if (tries > 3 || places < 0 || places > 22) return std::nullopt;
    const auto r = scaled_round(ax, places);
    if (!r) return std::nullopt;
    n = *r;
    if (n >= hi) {
      ++exp10;
    } else if (n < lo) {
      --exp10;  // log10 guessed one too high
    } else {
      break;
    }
  }
  if (exp10 < -4 || exp10 >= digits) return std::nullopt;  // %g writes an exponent
  std::string out = std::signbit(x) ? "-" : "";
  const auto unit = static_cast<std::uint64_t>(kPow10[places]);
  append_digits(out, n / unit);
  std::uint64_t frac = n % unit;
  int width = places;
  while (width > 0 && frac % 10 == 0) frac /= 10, --width;  // %g drops trailing zeros
  if (width > 0) {
    out += '.';
    const std::string f = std::to_string(frac);
    out.append(std::size_t(width) - f.size(), '0');
    out += f;
  }
  return out;
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
  if (auto s = general(x, digits)) return *s;
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
  std::string m = format_number(mant, 3);
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
