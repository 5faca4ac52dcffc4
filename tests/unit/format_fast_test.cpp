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
