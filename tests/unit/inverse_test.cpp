// The inverse questions (core/inverse.hpp): each answer is checked against
// estimate() itself at the boundary, since the answer is defined by it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api/estimate.hpp"
#include "api/inverse.hpp"
#include "api/request_json.hpp"
#include "engines/engines.hpp"

using namespace llmmem;
using nlohmann::json;

namespace {

Request request(const json& j) {
  Errors errors;
  auto r = parse_request(llmmem::Json::parse(j.dump()), errors);
  REQUIRE(r.has_value());
  return *r;
}

Bytes total_at(Request req, Axis axis, std::int64_t v) {
  if (axis == Axis::SeqLen)
    req.seq_len = v;
  else
    req.batch = v;
  auto t = total_bytes(req);
  REQUIRE(t.has_value());
  return *t;
}

const json kLlama = {{"preset", "llama-3.1-8b"}};

}  // namespace

TEST_CASE("the largest seqLen and batch fit the budget and one more does not") {
  auto [task, axis, budget_gb] = GENERATE(table<const char*, Axis, double>({
      {"inference", Axis::SeqLen, 24},
      {"inference", Axis::Batch, 40},
      {"finetune", Axis::SeqLen, 80},
      {"finetune", Axis::Batch, 80},
  }));
  CAPTURE(task, budget_gb);
  const Request req = request({{"model", kLlama}, {"task", task}, {"method", "lora"}});
  const Bytes budget = gigabytes(budget_gb);
  const Largest r = largest_fitting(req, axis, budget, 1 << 24);
  REQUIRE(r.value >= 1);
  CHECK_FALSE(r.capped);
  CHECK(total_at(req, axis, r.value) <= budget);
  CHECK(total_at(req, axis, r.value + 1) > budget);
  CHECK(r.total == total_at(req, axis, r.value));
}

TEST_CASE("a budget below the weights fits nothing; a huge one is capped at the limit") {
  const Request req = request({{"model", kLlama}});
  CHECK(largest_fitting(req, Axis::SeqLen, gigabytes(1), 1 << 20).value == 0);
  const Largest big = largest_fitting(req, Axis::Batch, gigabytes(1e6), 64);
  CHECK(big.value == 64);
  CHECK(big.capped);
}

TEST_CASE("the simple estimator answers too (a parameter count only)") {
  const Request req = request({{"model", {{"params", 7e9}}}, {"estimator", "simple"}});
  const Largest r = largest_fitting(req, Axis::SeqLen, gigabytes(24), 1 << 24);
  if (r.value > 0 && !r.capped) CHECK(total_at(req, Axis::SeqLen, r.value + 1) > gigabytes(24));
}

TEST_CASE("the best format is the first candidate that fits, in the order given") {
  const Request req = request({{"model", kLlama}, {"seqLen", 4096}});
  SECTION("the engine's own formats by default") {
    for (const auto& ef : kEngines) {
      Request r = req;
      r.engine = ef.engine;
      const BestFormat best = best_format(r, gigabytes(1000));
      REQUIRE(best.candidates.size() == 3);
      CHECK(best.weights == std::string(ef.weights[0]));
      for (std::size_t i = 0; i < 3; ++i) CHECK(best.candidates[i].weights == ef.weights[i]);
    }
  }
  SECTION("a budget between the 8-bit and the 16-bit totals picks the 8-bit format") {
    const BestFormat all = best_format(req, gigabytes(1000));
    REQUIRE(all.candidates[1].total < all.candidates[0].total);
    const Bytes between((all.candidates[0].total.value + all.candidates[1].total.value) / 2);
    const BestFormat best = best_format(req, between);
    CHECK(best.weights == all.candidates[1].weights);
    CHECK_FALSE(best.candidates[0].fits);
  }
  SECTION("nothing fits a tiny budget") {
    CHECK_FALSE(best_format(req, gigabytes(0.5)).weights);
  }
  SECTION("an unknown candidate is skipped, not fatal") {
    const BestFormat best = best_format(req, gigabytes(1000), {"int3", "bf16"});
    CHECK_FALSE(best.candidates[0].ok);
    CHECK(best.weights == std::string("bf16"));
  }
}

TEST_CASE("gpus needed: one card when it fits, more when it does not") {
  const Request req = request({{"model", kLlama}, {"task", "finetune"}, {"zeroStage", 3}});
  const auto one = total_bytes(req);
  REQUIRE(one);
  CHECK(gpus_needed(req, *one).count == 1);
  const Bytes card = *one * 0.6;  // holds the whole job only when it is spread
  const GpusNeeded g = gpus_needed(req, card);
  REQUIRE(g.count);
  CHECK(*g.count > 1);
  CHECK(g.per_gpu <= card);
  SECTION("a card smaller than what cannot be sharded needs none within the limit") {
    CHECK_FALSE(gpus_needed(req, Bytes(1000), 8).count);
  }
}

TEST_CASE("gpus needed falls back to an even split where the estimator does not shard") {
  // Seed article rule of thumb: 7B full fine-tuning is 87.4 GB in total,
  // so four 24 GB cards (96 GB) hold it and three (72 GB) do not.
  const Request req = request({{"model", {{"params", 7e9}}},
                               {"estimator", "simple"},
                               {"task", "finetune"},
                               {"method", "full"}});
  const GpusNeeded g = gpus_needed(req, gigabytes(24));
  if (g.basis == "even-split") CHECK(g.count == 4);
  REQUIRE(g.count);
}

TEST_CASE("a sweep gives ascending values with the estimate's totals") {
  const Request req = request({{"model", kLlama}});
  const auto pts = sweep(req, Axis::SeqLen, 1, 131072, 1000);
  REQUIRE(pts.size() == 1000);
  CHECK(pts.front().x == 1);
  CHECK(pts.back().x == 131072);
  for (std::size_t i = 1; i < pts.size(); ++i) {
    CHECK(pts[i].x > pts[i - 1].x);
    REQUIRE(pts[i].total);
    CHECK(*pts[i].total >= *pts[i - 1].total);
  }
  CHECK(*pts[500].total == total_at(req, Axis::SeqLen, pts[500].x));
  SECTION("a narrow range gives each integer once") {
    const auto few = sweep(req, Axis::Batch, 1, 5, 1000);
    REQUIRE(few.size() == 5);
    CHECK(few[4].x == 5);
  }
}

TEST_CASE("the JSON API answers each question and names bad fields") {
  const json base = {{"model", kLlama}};
  auto ask = [](const json& q) { return json::parse(inverse_json(q.dump())); };
  CHECK(ask({{"op", "maxSeqLen"}, {"request", base}, {"budgetBytes", 24e9}})
            .at("value")
            .get<std::int64_t>() > 0);
  CHECK(ask({{"op", "maxBatch"}, {"request", base}, {"budgetBytes", 80e9}}).at("ok") == true);
  const json formats = ask({{"op", "bestFormat"}, {"request", base}, {"budgetBytes", 1e15}});
  CHECK(formats.at("value") == "bf16");
  REQUIRE(formats.at("candidates").size() == 3);
  const double int8_total = formats.at("candidates")[1].at("totalBytes").get<double>();
  CHECK(ask({{"op", "bestFormat"}, {"request", base}, {"budgetBytes", int8_total}}).at("value") ==
        "int8");
  CHECK(ask({{"op", "gpusNeeded"}, {"request", base}, {"gpuBytes", 80e9}}).at("value") == 1);
  const json s =
      ask({{"op", "sweep"}, {"request", base}, {"axis", "batch"}, {"to", 64}, {"points", 10}});
  CHECK(s.at("x").size() == 10);
  CHECK(ask({{"op", "formats"}}).at("formats").at("llama.cpp") ==
        json::array({"f16", "q8_0", "q4_k_m"}));

  CHECK(ask({{"op", "maxSeqLen"}, {"request", base}}).at("errors")[0].at("field") == "budgetBytes");
  CHECK(ask({{"op", "maxSeqLen"}, {"request", base}, {"budgetBytes", -1}})
            .at("errors")[0]
            .at("field") == "budgetBytes");
  CHECK(ask({{"op", "sweep"}, {"request", base}, {"axis", "x"}, {"to", 9}})
            .at("errors")[0]
            .at("field") == "axis");
  CHECK(ask({{"op", "nope"}}).at("errors")[0].at("field") == "op");
  CHECK(ask({{"op", "maxBatch"},
             {"request", {{"model", base["model"]}, {"seqLen", 0}}},
             {"budgetBytes", 1e9}})
            .at("errors")[0]
            .at("field") == "seqLen");
  CHECK(json::parse(inverse_json("{")).at("ok") == false);
  CHECK(json::parse(inverse_json(std::string(100000, '['))).at("ok") == false);
}
