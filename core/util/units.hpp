// Quantities with types: bytes, parameter counts and bytes per parameter.
//
// GB (10^9 bytes) and GiB (2^30 bytes) are two named units; the core never
// says "1000 or 1024 depending". Values are doubles while formulas run (a
// 4.5-bit format gives fractional bytes per parameter); a report rounds each
// component to whole bytes once, at the end.
#pragma once

#include <cmath>
#include <compare>
#include <cstdint>

namespace llmmem {

inline constexpr double kKB = 1e3;
inline constexpr double kMB = 1e6;
inline constexpr double kGB = 1e9;
inline constexpr double kKiB = 1024.0;
inline constexpr double kMiB = 1024.0 * 1024.0;
inline constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// Largest integer a JS number (and a double) holds exactly: 2^53.
inline constexpr double kMaxExactInteger = 9007199254740992.0;

struct Bytes {
  double value = 0.0;

  constexpr Bytes() = default;
  constexpr explicit Bytes(double v) : value(v) {}

  constexpr Bytes& operator+=(Bytes o) {
    value += o.value;
    return *this;
  }
  friend constexpr Bytes operator+(Bytes a, Bytes b) { return Bytes(a.value + b.value); }
  friend constexpr Bytes operator-(Bytes a, Bytes b) { return Bytes(a.value - b.value); }
  friend constexpr Bytes operator*(Bytes a, double k) { return Bytes(a.value * k); }
  friend constexpr Bytes operator*(double k, Bytes a) { return Bytes(a.value * k); }
  friend constexpr Bytes operator/(Bytes a, double k) { return Bytes(a.value / k); }
  friend constexpr double operator/(Bytes a, Bytes b) { return a.value / b.value; }
  friend constexpr auto operator<=>(Bytes, Bytes) = default;

  constexpr double gb() const { return value / kGB; }
  constexpr double gib() const { return value / kGiB; }
  constexpr double mib() const { return value / kMiB; }
};

constexpr Bytes gigabytes(double n) {
  return Bytes(n * kGB);
}
constexpr Bytes gibibytes(double n) {
  return Bytes(n * kGiB);
}
constexpr Bytes mebibytes(double n) {
  return Bytes(n * kMiB);
}

// A count of parameters (or of elements). Integral by construction; a double
// holds every count up to 2^53 exactly, far beyond the largest model.
struct ParamCount {
  double value = 0.0;

  constexpr ParamCount() = default;
  constexpr explicit ParamCount(double v) : value(v) {}

  constexpr ParamCount& operator+=(ParamCount o) {
    value += o.value;
    return *this;
  }
  friend constexpr ParamCount operator+(ParamCount a, ParamCount b) {
    return ParamCount(a.value + b.value);
  }
  friend constexpr ParamCount operator-(ParamCount a, ParamCount b) {
    return ParamCount(a.value - b.value);
  }
  friend constexpr ParamCount operator*(ParamCount a, double k) { return ParamCount(a.value * k); }
  friend constexpr ParamCount operator*(double k, ParamCount a) { return ParamCount(a.value * k); }
  friend constexpr auto operator<=>(ParamCount, ParamCount) = default;
};

struct BytesPerParam {
  double value = 0.0;
  constexpr BytesPerParam() = default;
  constexpr explicit BytesPerParam(double v) : value(v) {}
  friend constexpr auto operator<=>(BytesPerParam, BytesPerParam) = default;
};

constexpr BytesPerParam bits_per_param(double bits) {
  return BytesPerParam(bits / 8.0);
}

// The one meaningful product: a count of things times the bytes each takes.
constexpr Bytes operator*(ParamCount n, BytesPerParam b) {
  return Bytes(n.value * b.value);
}
constexpr Bytes operator*(BytesPerParam b, ParamCount n) {
  return Bytes(n.value * b.value);
}

// Whole bytes for a report: rounded to the nearest byte, never negative.
inline std::uint64_t whole_bytes(Bytes b) {
  if (!(b.value > 0.0)) return 0;  // also maps NaN to 0; callers validate before
  return static_cast<std::uint64_t>(std::llround(b.value));
}

}  // namespace llmmem
