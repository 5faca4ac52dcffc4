// The 2025-2026 families of shared/reference/new-configs: each one the table
// supports gives the parameter count of the checkpoint (index.json: the sum of
// the tensors where a source printed it) within 2%; each one it does not yet
// support is refused by name, never counted with another family's rules.
#include <catch2/catch.hpp>

#include <set>

#include "model/config_json.hpp"
#include "model/model.hpp"
#include "support.hpp"

using namespace llmmem;
using nlohmann::json;

namespace {

// The model_types of new-configs that the family table supports.
const std::set<std::string> kSupported = {"gpt_oss"};

// The checkpoint's count: exact where a source printed it, else the
// contributor's own arithmetic from the config (nemotron_h).
double reference_total(const json& e) {
  if (!e.at("exact_total_if_known").is_null()) return e.at("exact_total_if_known").get<double>();
  return e.at("computed_total_from_config").get<double>();
}

}  // namespace

TEST_CASE("new families are counted within 2% or refused by name") {
  const auto index_text = test::read_file(test::shared_path("reference/new-configs/index.json"));
  if (!index_text) {
    WARN("shared/reference/new-configs not found: skipped");
    return;
  }
  const json index = json::parse(*index_text);
  for (const auto& e : index.at("entries")) {
    const std::string file = e.at("file"), type = e.at("model_type");
    CAPTURE(file);
    const auto text = test::read_file(test::shared_path("reference/new-configs/" + file));
    REQUIRE(text);
    Errors errors;
    auto arch = parse_config_text(*text, "model.configJson", errors);
    if (kSupported.count(type)) {
      INFO((errors.empty() ? std::string()
                           : errors.list()[0].field + ": " + errors.list()[0].message));
      REQUIRE(arch);
      CHECK_THAT(count_params(*arch).total.value,
                 Catch::Matchers::WithinRel(reference_total(e), 0.02));
    } else {
      CHECK_FALSE(arch);
      REQUIRE_FALSE(errors.empty());
      CHECK(errors.list()[0].field == "model.configJson.model_type");
      CHECK(errors.list()[0].message.rfind("model_type '" + type + "' is not supported yet", 0) ==
            0);
    }
  }
}
