// Inputs the fuzzers found (tests/fuzz/regressions, listed in index.txt), kept
// as regression tests: each must give a valid report or errors naming a field.
#include <catch2/catch.hpp>

#include <sstream>

#include "model/config_json.hpp"
#include "support.hpp"

TEST_CASE("every input the fuzzers found is handled") {
  const auto index =
      llmmem::test::read_file(llmmem::test::source_path("tests/fuzz/regressions/index.txt"));
  REQUIRE(index);
  std::istringstream lines(*index);
  std::string name;
  int n = 0;
  while (std::getline(lines, name)) {
    if (name.empty() || name[0] == '#') continue;
    CAPTURE(name);
    const auto text =
        llmmem::test::read_file(llmmem::test::source_path("tests/fuzz/regressions/" + name));
    REQUIRE(text);
    ++n;
    if (name.rfind("config-", 0) == 0) {
      llmmem::Errors errors;
      auto arch = llmmem::parse_config_text(*text, "model.configJson", errors);
      CHECK((arch != nullptr) != !errors.empty());
    } else {
      const auto r = nlohmann::json::parse(llmmem::estimate_json(*text));
      CHECK(r.contains("ok"));
    }
  }
  CHECK(n >= 1);
}
