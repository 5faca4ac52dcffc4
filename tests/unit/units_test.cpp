#include <catch2/catch.hpp>

#include "util/text.hpp"
#include "util/units.hpp"

using namespace llmmem;

// Compile-time checks of the unit arithmetic.
static_assert(gigabytes(1).value == 1e9);
static_assert(gibibytes(1).value == 1073741824.0);
static_assert((ParamCount(7e9) * BytesPerParam(2)).value == 14e9);
static_assert(bits_per_param(4.5).value == 0.5625);

TEST_CASE("GB and GiB are two named units") {
  CHECK(gigabytes(87.4).gb() == Approx(87.4));
  CHECK(gibibytes(1).gb() == Approx(1.073741824));
  CHECK(mebibytes(1024).gib() == 1.0);
}

TEST_CASE("whole bytes round to the nearest byte and never go negative") {
  CHECK(whole_bytes(Bytes(1.4e9 * (1 + 1e-16))) == 1400000000ULL);
  CHECK(whole_bytes(Bytes(-5)) == 0);
  CHECK(whole_bytes(Bytes(0.5)) == 1);
}

TEST_CASE("formula numbers are readable") {
  CHECK(format_count(8030261248) == "8.03e9");
  CHECK(format_count(4096) == "4,096");
  CHECK(format_integer(8030261248) == "8,030,261,248");
  CHECK(format_gb(gigabytes(16.06)) == "16.06 GB");
  CHECK(format_gib(mebibytes(512)) == "512.0 MiB");
  CHECK(format_number(0.5625) == "0.5625");
}
