// Every catalog model against the parameter count published for it
// (tests/data/catalog-counts.json: the figure as its source prints it, and the
// source). An exact figure ("8,030,261,248", a checkpoint's tensor sum) must be
// met exactly; a rounded one ("7.61B", "30.5B") within one unit of its last
// digit (vendors round or truncate: Qwen's "3.3B activated" is 3.35B); a whole
// number of billions ("7B", "70B") within that unit but never more than 2%, so
// a "7B" name does not pass a 7.62B model.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "catalog/catalog.hpp"
#include "support.hpp"

using namespace llmmem;
using nlohmann::json;

namespace {

struct Figure {
  double value = 0;
  double tolerance = 0;  // absolute
  bool exact = false;
};

// "8,030,261,248" (exact), "494032768" (exact), "7.61B", "135M", "1.03T".
Figure parse_figure(const std::string& text) {
  Figure f;
  std::string digits;
  std::size_t i = 0;
  for (; i < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == ',' || text[i] == '.');
       ++i)
    if (text[i] != ',') digits += text[i];
  REQUIRE_FALSE(digits.empty());
  const std::string unit = text.substr(i);
  if (unit.empty()) {
    REQUIRE(digits.find('.') == std::string::npos);
    f.value = std::stod(digits);
    f.exact = true;
    return f;
  }
  double scale = 0;
  if (unit == "M") scale = 1e6;
  if (unit == "B") scale = 1e9;
  if (unit == "T") scale = 1e12;
  REQUIRE(scale > 0);
  const auto dot = digits.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(digits.size() - dot - 1);
  f.value = std::stod(digits) * scale;
  f.tolerance = std::pow(10.0, -decimals) * scale;
  if (decimals == 0) f.tolerance = std::min(f.tolerance, 0.02 * f.value);
  return f;
}

// The published figure less the parts it counts that the preset does not
// ("minus": [{"params": N, "what": "..."}], each named in the data file).
double expected_value(const json& entry, const Figure& f) {
  double v = f.value;
  if (entry.contains("minus"))
    for (const auto& m : entry.at("minus")) {
      REQUIRE(m.at("what").get<std::string>().size() > 0);
      v -= m.at("params").get<double>();
    }
  return v;
}

// The active count in the convention of the published figure.
double active_in_convention(const Preset& p, const std::string& counts) {
  const ParamTotals& t = p.params;
  if (counts == "embedding and head") return t.active.value;
  if (counts == "head, not the input embedding") return t.active_without_embedding.value;
  REQUIRE(counts == "neither embedding nor head");
  const double head = p.arch->tie_embeddings ? 0 : t.embedding.value;
  return t.active_without_embedding.value - head;
}

json counts_file() {
  auto text = test::read_file(test::source_path("tests/data/catalog-counts.json"));
  REQUIRE(text);
  return json::parse(*text);
}

}  // namespace

TEST_CASE("the catalog has at least 120 models, each with a published count", "[catalog]") {
  const json data = counts_file();
  std::set<std::string> listed;
  for (const auto& e : data.at("models")) {
    const std::string id = e.at("id");
    CAPTURE(id);
    CHECK(listed.insert(id).second);  // one entry per model
    CHECK(find_preset(id) != nullptr);
    CHECK(e.at("source").get<std::string>().size() > 10);
  }
  CHECK(presets().size() >= 120);
  for (const auto& p : presets()) {
    CAPTURE(p.id);
    CHECK(listed.count(p.id) == 1);
    CHECK(p.source.size() > 10);  // where the config values came from
    CHECK(p.hf_id.find('/') != std::string::npos);
    CHECK_FALSE(p.family.empty());
  }
}

TEST_CASE("every catalog model's parameter count matches its published figure", "[catalog]") {
  const json data = counts_file();
  for (const auto& e : data.at("models")) {
    const Preset* p = find_preset(e.at("id").get<std::string>());
    if (!p) continue;  // reported by the case above
    CAPTURE(p->id, e.at("total").get<std::string>());
    const Figure f = parse_figure(e.at("total"));
    const double want = expected_value(e, f);
    CHECK(std::abs(p->params.total.value - want) <= f.tolerance);
    if (e.contains("active")) {
      CAPTURE(e.at("active").get<std::string>());
      const Figure a = parse_figure(e.at("active"));
      const double got = active_in_convention(*p, e.at("active_counts"));
      CHECK(std::abs(got - a.value) <= a.tolerance);
    }
  }
}

TEST_CASE("the figure parser reads the precision a source prints", "[catalog]") {
  const Figure exact = parse_figure("8,030,261,248");
  CHECK(exact.exact);
  CHECK(exact.value == 8030261248.0);
  CHECK(exact.tolerance == 0);
  const Figure three = parse_figure("7.61B");
  CHECK(three.value == Approx(7.61e9));
  CHECK(three.tolerance == Approx(0.01e9));
  CHECK(parse_figure("2.4B").tolerance == Approx(0.1e9));
  // "7B" would allow 1B; the cap keeps it to 2%.
  CHECK(parse_figure("7B").tolerance == Approx(0.14e9));
  CHECK(parse_figure("135M").tolerance == Approx(1e6));
}
