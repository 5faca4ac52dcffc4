// The simple estimator against the seed article's own tables.
#include <catch2/catch.hpp>

#include "simple/simple.hpp"
#include "support.hpp"

using llmmem::test::component;
using llmmem::test::estimate;
using nlohmann::json;

TEST_CASE("the simple estimator reproduces every figure of the seed article's tables") {
  // tests/data/seed-tables.csv: shared/seeds/001 (Alibaba Cloud PAI, "Simple GPU
  // memory estimator"), 7B model, b = 1, s = 2048, decimal GB.
  const auto rows = llmmem::test::read_csv(llmmem::test::source_path("tests/data/seed-tables.csv"));
  REQUIRE(rows.size() >= 40);
  for (const auto& row : rows) {
    CAPTURE(row.at("id"), row.at("component"));
    json req = {{"model", {{"params", std::stod(row.at("params"))}}},
                {"estimator", "simple"},
                {"task", row.at("task")},
                {"optimizer", row.at("optimizer")}};
    if (!row.at("method").empty()) req["method"] = row.at("method");
    const json report = estimate(req);
    REQUIRE(report.at("ok") == true);
    // Whole bytes: 87.4 GB is exactly 87,400,000,000 B.
    const auto expected = std::uint64_t(std::llround(std::stod(row.at("expected_gb")) * 1e9));
    CHECK(component(report, row.at("component")) == expected);
  }
}

TEST_CASE("the contract's example prints 87400000000 bytes for full fine-tuning of 7B") {
  const json report = estimate({{"model", {{"params", 7e9}}},
                                {"estimator", "simple"},
                                {"task", "finetune"},
                                {"method", "full"}});
  CHECK(report.at("totalBytes").get<std::uint64_t>() == 87400000000ULL);
}

TEST_CASE("the simple estimator's own choices are the ones the README states") {
  // Not in the article: 8- and 4-bit inference keep 16-bit activations and KV
  // cache (10% of the 16-bit weights each), as its QLoRA rows keep 1.4 GB.
  SECTION("8-bit inference of 7B: 7 + 1.4 + 1.4 + 2 = 11.8 GB") {
    const json r = estimate({{"model", {{"params", 7e9}}}, {"weights", "int8"}});
    CHECK(r.at("totalBytes") == 11800000000ULL);
  }
  SECTION("4-bit inference of 7B: 3.5 + 1.4 + 1.4 + 2 = 8.3 GB") {
    const json r = estimate({{"model", {{"params", 7e9}}}, {"weights", "nf4"}});
    CHECK(r.at("totalBytes") == 8300000000ULL);
  }
  SECTION("activations and KV grow linearly with batch x seqLen / 2048") {
    const json r = estimate({{"model", {{"params", 7e9}}}, {"batch", 4}, {"seqLen", 4096}});
    CHECK(component(r, "kv_cache") == 11200000000ULL);  // 1.4 GB x 8
    CHECK(component(r, "activations") == 11200000000ULL);
  }
  SECTION("a parameter count alone defaults to the simple estimator") {
    const json r = estimate({{"model", {{"params", 7e9}}}});
    CHECK(r.at("estimator") == "simple");
  }
}

TEST_CASE("simple optimizer state bytes follow the article and the HF memory anatomy") {
  using llmmem::Optimizer;
  // Article: SGD 0, SGD + momentum 1 x 4 B, RMSProp 1 x 4 B, Adam/AdamW 2 x 4 B.
  CHECK(llmmem::simple_optimizer_bytes(Optimizer::Sgd) == 0);
  CHECK(llmmem::simple_optimizer_bytes(Optimizer::SgdMomentum) == 4);
  CHECK(llmmem::simple_optimizer_bytes(Optimizer::RmsProp) == 4);
  CHECK(llmmem::simple_optimizer_bytes(Optimizer::AdamW) == 8);
  // HF "Model memory anatomy": "2 bytes * number of parameters for 8-bit AdamW".
  CHECK(llmmem::simple_optimizer_bytes(Optimizer::AdamW8bit) == 2);
}
