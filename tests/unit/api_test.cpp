// The contract's report shape and request validation, through estimate_json.
#include <catch2/catch.hpp>

#include <cmath>

#include "support.hpp"

using llmmem::test::estimate;
using llmmem::test::first_error;
using nlohmann::json;

TEST_CASE("every report has the six required components and a total equal to their sum") {
  for (const char* task : {"inference", "finetune"}) {
    CAPTURE(task);
    const json r = estimate({{"model", {{"preset", "llama-3.1-8b"}}}, {"task", task}});
    REQUIRE(r.at("ok") == true);
    std::vector<std::string> ids;
    std::uint64_t sum = 0;
    for (const auto& c : r.at("components")) {
      ids.push_back(c.at("id"));
      sum += c.at("bytes").get<std::uint64_t>();
      CHECK(!c.at("formula").get<std::string>().empty());
    }
    for (const char* id :
         {"weights", "kv_cache", "activations", "gradients", "optimizer", "overhead"})
      CHECK(std::find(ids.begin(), ids.end(), id) != ids.end());
    CHECK(r.at("totalBytes").get<std::uint64_t>() == sum);
  }
}

TEST_CASE("bad request fields give an error naming the field") {
  const json model = {{"params", 7e9}};
  CHECK(first_error(estimate({{"model", model}, {"seqLen", 0}})) ==
        std::pair<std::string, std::string>{"seqLen", "seqLen must be a positive integer (got 0)"});
  CHECK(first_error(estimate({{"model", model}, {"batch", 2.5}})) ==
        std::pair<std::string, std::string>{"batch", "batch must be a positive integer (got 2.5)"});
  CHECK(first_error(estimate({{"model", model}, {"batch", {{"$nonfinite", "NaN"}}}})) ==
        std::pair<std::string, std::string>{"batch", "batch must be a positive integer (got NaN)"});
  CHECK(first_error(estimate({{"model", model}, {"task", "train"}})).second ==
        "task must be \"inference\" or \"finetune\" (got \"train\")");
  CHECK(first_error(estimate({{"model", model}, {"weights", "int3"}})).first == "weights");
  CHECK(first_error(estimate({{"model", model}, {"gpus", 4}, {"tensorParallel", 3}})).second ==
        "tensorParallel must divide gpus (3 does not divide 4)");
  CHECK(first_error(estimate({{"model", model}, {"seqLen", 1e9}})).second ==
        "seqLen is too large (got 1000000000, at most 1.68e7)");
  CHECK(first_error(estimate({{"model", {{"params", -7}}}})).first == "model.params");
  CHECK(first_error(estimate({{"model", {{"preset", "llama-9"}}}})).second ==
        "unknown preset \"llama-9\": see presets() for the ids");
  CHECK(first_error(estimate({{"model", {{"params", 7e9}, {"preset", "llama-3.1-8b"}}}})).second ==
        "model must have exactly one of preset, config, configJson or params");
  CHECK(first_error(estimate(json::object())).first == "model");
  CHECK(first_error(estimate(json::array())).first == "request");
}

TEST_CASE("a number too large for a double is a JSON error, not an internal one") {
  // Found by fuzz_config (tests/fuzz/regressions/config-number-overflow.json).
  const json r = json::parse(llmmem::estimate_json("{\"model\": {\"params\": 1e400}}"));
  CHECK(first_error(r).first == "request");
  CHECK_THAT(first_error(r).second,
             Catch::StartsWith("request is not valid JSON: number overflow"));
}

TEST_CASE("unknown fields are ignored and notes never change the estimate") {
  const json a = estimate({{"model", {{"params", 7e9}}}});
  const json b =
      estimate({{"model", {{"params", 7e9}}}, {"notes", {{"x", 1}}}, {"somethingNew", true}});
  CHECK(a.at("totalBytes") == b.at("totalBytes"));
}

TEST_CASE("malformed request text never throws") {
  for (const std::string text :
       {"", "{", "null", "[1,2", "\"x\"", "{\"model\": {\"params\": 1e400}}"}) {
    CAPTURE(text);
    const json r = json::parse(llmmem::estimate_json(text));
    CHECK(r.at("ok") == false);
    CHECK(!r.at("errors").empty());
  }
}

TEST_CASE("presets() and gpus() list the catalogs with the contract's fields") {
  const json p = json::parse(llmmem::presets_json());
  REQUIRE(p.size() >= 120);  // the catalog (tests/data/catalog-counts.json)
  for (const auto& e : p) {
    CHECK(e.contains("id"));
    CHECK(e.contains("name"));
    CHECK(e.at("params").get<double>() >= e.at("activeParams").get<double>());
  }
  const json g = json::parse(llmmem::gpus_json());
  REQUIRE(!g.empty());
  for (const auto& e : g) CHECK(e.at("memoryBytes").get<double>() > 0);
}
