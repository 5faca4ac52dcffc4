// format_integer's integer path against printf's "%.0f" (what it replaced).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "util/text.hpp"

namespace {

std::string printf_integer(double x) {
  if (!std::isfinite(x)) return "?";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(x));
  std::string digits = buf, out;
  const int n = int(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[std::size_t(i)];
  }
  return x < 0 ? "-" + out : out;
}

}  // namespace

TEST_CASE("format_integer prints what printf's %.0f prints") {
  std::vector<double> xs = {0.0,
                            -0.0,
                            0.4,
                            0.5,
                            0.6,
                            1.5,
                            2.5,
                            3.5,
                            -0.5,
                            -1.5,
                            -2.5,
                            999.5,
                            1000.5,
                            1e6,
                            8030261248.0,
                            8030261248.5,
                            8030261249.5,
                            4503599627370495.5,
                            4503599627370496.0,
                            9007199254740991.0,
                            9007199254740992.0,
                            9007199254740994.0,
                            1e17,
                            1.8e19,
                            1e300,
                            -1e300,
                            0.49999999999999994,
                            NAN,
                            INFINITY,
                            -INFINITY,
                            1e-300};
  double x = 0.25;
  for (int i = 0; i < 200; ++i, x = x * 1.37 + 0.5) {
    xs.push_back(x);
    xs.push_back(-x);
    xs.push_back(std::floor(x) + 0.5);
  }
  for (double v : xs) {
    CAPTURE(v);
    CHECK(llmmem::format_integer(v) == printf_integer(v));
  }
}

namespace {

std::string printf_fixed(double x, int places) {
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", places, x);
  return buf;
}

std::string printf_general(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

// Values where rounding is hardest: exact ties of the decimal scaling (x.xx5
// held exactly in binary), their neighbours one ulp away, short binary
// fractions, integers, powers of ten and their neighbours, and a spread of
// magnitudes from a fixed-seed generator.
std::vector<double> hard_values() {
  std::vector<double> xs = {0.0,    -0.0,  0.125,  0.375, 2.5,   0.5,     1.5,    -2.5,
                            1.0625, 1.005, 2.675,  0.045, 1e-5,  9.995,   99.995, 0.0001,
                            1e15,   4096,  131072, 1e21,  1e300, -1e-300, 5e-324, 16.06,
                            8.03,   3.74,  1024,   0.1,   0.2,   0.3};
  for (int i = -8; i <= 8; ++i) {
    const double p = std::pow(10.0, i);
    xs.insert(xs.end(), {p, std::nextafter(p, 0.0), std::nextafter(p, 1e308)});
  }
  for (int n = 0; n < 4096; ++n) {
    const double tie = (2.0 * n + 1) / 8.0;  // exact ties at 1, 2 and 3 places
    xs.insert(xs.end(), {tie, std::nextafter(tie, 0.0), std::nextafter(tie, 1e9), -tie});
  }
  std::uint64_t s = 0x9E3779B97F4A7C15u;
  for (int n = 0; n < 200000; ++n) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    const double mant = double(s >> 11) / 9007199254740992.0;
    const int exp = int((s >> 3) % 40) - 12;
    xs.push_back((s & 1 ? -1 : 1) * mant * std::pow(10.0, exp));
  }
  return xs;
}

}  // namespace

TEST_CASE("format_fixed prints what printf's %.Nf prints, ties and all") {
  for (double x : hard_values())
    for (int places : {0, 1, 2, 3, 6}) {
      const std::string want = printf_fixed(x, places), got = llmmem::format_fixed(x, places);
      if (got != want) {
        CAPTURE(x, places);
        CHECK(got == want);
      }
    }
}

TEST_CASE("format_number prints what printf's %.Ng prints") {
  for (double x : hard_values())
    for (int digits : {1, 2, 3, 4, 5, 6, 15}) {
      const std::string want = printf_general(x, digits), got = llmmem::format_number(x, digits);
      if (got != want) {
        CAPTURE(x, digits);
        CHECK(got == want);
      }
    }
}

TEST_CASE("QuietText silences the formatters while it lives, and only then") {
  using namespace llmmem;
  CHECK(format_gb(Bytes(16.06e9)) == "16.06 GB");
  {
    const QuietText quiet;
    CHECK(format_gb(Bytes(16.06e9)).empty());
    CHECK(format_number(2).empty());
    { const QuietText nested; }
    CHECK(QuietText::on());
  }
  CHECK_FALSE(QuietText::on());
  CHECK(format_gib(Bytes(1073741824.0 * 3.74)) == "3.74 GiB");
}
