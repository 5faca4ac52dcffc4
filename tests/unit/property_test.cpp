// Properties that hold for every valid request, over thousands of generated
// ones: sizes are finite, non-negative whole bytes summing to the total; the
// total grows with seqLen, batch and model size; per-GPU memory does not grow
// with more GPUs or deeper sharding; 8-bit never needs more than 16-bit.
// The same suite runs natively (ASan + UBSan) and as wasm32 under Node.
#include <catch2/catch.hpp>

#include <cmath>

#include "catalog/catalog.hpp"
#include "support.hpp"

using llmmem::test::estimate;
using nlohmann::json;

namespace {

// splitmix64: the same sequence on every platform (std distributions are not).
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::int64_t below(std::int64_t n) { return std::int64_t(next() % std::uint64_t(n)); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[std::size_t(below(std::int64_t(v.size())))];
  }
};

const std::vector<std::string> kTransformers = {"bf16", "fp16",      "fp32",     "int8", "nf4",
                                                "int4", "gptq-int4", "awq-int4", "fp8"};
const std::vector<std::string> kVllm = {"bf16",     "fp16",      "fp8",
                                        "awq-int4", "gptq-int4", "gptq-int8"};
const std::vector<std::string> kLlamaCpp = {"f16",  "q8_0",   "q6_k", "q5_k_m", "q4_k_m",
                                            "q4_0", "q3_k_m", "q2_k", "iq4_xs"};

json random_request(Rng& rng) {
  const auto& presets = llmmem::presets();
  json req;
  if (rng.below(8) == 0)
    req["model"] = {{"params", double(1e8 + rng.below(1000) * 1e9)}};
  else
    req["model"] = {{"preset", presets[std::size_t(rng.below(std::int64_t(presets.size())))].id}};
  req["batch"] = std::int64_t(1) << rng.below(7);
  req["seqLen"] = std::int64_t(1) + rng.below(1 << (8 + rng.below(9)));
  if (rng.below(2) == 0) {
    req["task"] = "inference";
    const std::int64_t e = rng.below(3);
    req["engine"] = e == 0 ? "transformers" : e == 1 ? "vllm" : "llama.cpp";
    req["weights"] = rng.pick(e == 0 ? kTransformers : e == 1 ? kVllm : kLlamaCpp);
    if (rng.below(3) == 0)
      req["kvCache"] = e == 2 ? rng.pick(std::vector<std::string>{"fp16", "q8_0", "q4_0"}) : "fp8";
    if (e == 1) {
      const std::int64_t tp = std::int64_t(1) << rng.below(4);
      req["gpus"] = tp;
      req["tensorParallel"] = tp;
    }
  } else {
    req["task"] = "finetune";
    req["method"] = rng.pick(std::vector<std::string>{"full", "lora", "qlora-8bit", "qlora-4bit"});
    req["optimizer"] =
        rng.pick(std::vector<std::string>{"adamw", "adam", "sgd", "sgd-momentum", "rmsprop",
                                          "adamw-8bit", "paged-adamw-8bit", "adafactor", "lion"});
    req["loraRank"] = std::int64_t(4) << rng.below(5);
    req["gradientCheckpointing"] = rng.below(2) == 0;
    const std::int64_t gpus = std::int64_t(1) << rng.below(4);
    req["gpus"] = gpus;
    req["zeroStage"] = rng.below(4);
  }
  return req;
}

void check_sizes(const json& r) {
  std::uint64_t sum = 0;
  for (const auto& c : r.at("components")) {
    REQUIRE(c.at("bytes").is_number_unsigned());
    sum += c.at("bytes").get<std::uint64_t>();
  }
  REQUIRE(r.at("totalBytes").get<std::uint64_t>() == sum);
  REQUIRE(double(sum) < llmmem::kMaxExactInteger);
}

std::uint64_t total(const json& r) {
  return r.at("totalBytes").get<std::uint64_t>();
}

// Estimates two requests that differ in one respect; returns both totals when both are valid.
std::optional<std::pair<std::uint64_t, std::uint64_t>> pair_of(const json& a, const json& b) {
  const json ra = estimate(a), rb = estimate(b);
  if (!ra.at("ok").get<bool>() || !rb.at("ok").get<bool>()) return std::nullopt;
  return std::make_pair(total(ra), total(rb));
}

}  // namespace

TEST_CASE("every generated request gives valid sizes or errors that name a field") {
  Rng rng{20261122};
  int ok = 0;
  for (int i = 0; i < 1500; ++i) {
    const json req = random_request(rng);
    CAPTURE(req.dump());
    const json r = estimate(req);
    if (r.at("ok").get<bool>()) {
      ++ok;
      check_sizes(r);
    } else {
      for (const auto& e : r.at("errors")) {
        REQUIRE(!e.at("field").get<std::string>().empty());
        REQUIRE(!e.at("message").get<std::string>().empty());
      }
    }
  }
  CHECK(ok >
        1000);  // most generated requests are valid: the generator must exercise the estimators
}

TEST_CASE("the total grows with seqLen and with batch") {
  Rng rng{7};
  for (int i = 0; i < 400; ++i) {
    json a = random_request(rng);
    CAPTURE(a.dump());
    json longer = a, wider = a;
    longer["seqLen"] = a["seqLen"].get<std::int64_t>() * 2;
    wider["batch"] = a["batch"].get<std::int64_t>() * 2;
    if (auto p = pair_of(a, longer)) CHECK(p->second >= p->first);
    if (auto p = pair_of(a, wider)) CHECK(p->second >= p->first);
  }
}

TEST_CASE("the total grows with the parameter count within a family") {
  const std::vector<std::vector<std::string>> families = {
      {"qwen2.5-0.5b", "qwen2.5-1.5b", "qwen2.5-3b", "qwen2.5-7b", "qwen2.5-14b", "qwen2.5-32b",
       "qwen2.5-72b"},
      {"llama-3.2-1b", "llama-3.2-3b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b"},
      {"qwen3-0.6b", "qwen3-1.7b", "qwen3-4b", "qwen3-8b", "qwen3-14b", "qwen3-32b"}};
  for (const char* task : {"inference", "finetune"}) {
    for (const auto& fam : families) {
      std::uint64_t previous = 0;
      for (const auto& id : fam) {
        CAPTURE(task, id);
        const json r = estimate({{"model", {{"preset", id}}}, {"task", task}, {"seqLen", 4096}});
        REQUIRE(r.at("ok") == true);
        CHECK(total(r) > previous);
        previous = total(r);
      }
    }
  }
  std::uint64_t previous = 0;
  for (double p : {1e9, 3e9, 7e9, 13e9, 70e9, 405e9}) {
    const json r = estimate({{"model", {{"params", p}}}, {"task", "finetune"}});
    CHECK(total(r) > previous);
    previous = total(r);
  }
}

TEST_CASE("per-GPU memory does not grow with more GPUs or deeper sharding") {
  for (const char* id : {"llama-3.1-8b", "qwen3-30b-a3b", "llama-3.1-70b"}) {
    CAPTURE(id);
    for (const char* method : {"full", "lora", "qlora-4bit"}) {
      CAPTURE(method);
      std::uint64_t previous = UINT64_MAX;
      for (int gpus : {1, 2, 4, 8, 64}) {
        const json r = estimate({{"model", {{"preset", id}}},
                                 {"task", "finetune"},
                                 {"method", method},
                                 {"gpus", gpus},
                                 {"zeroStage", 3}});
        REQUIRE(r.at("ok") == true);
        CHECK(total(r) <= previous);
        previous = total(r);
      }
      previous = UINT64_MAX;
      for (int stage : {0, 1, 2, 3}) {
        const json r = estimate({{"model", {{"preset", id}}},
                                 {"task", "finetune"},
                                 {"method", method},
                                 {"gpus", 8},
                                 {"zeroStage", stage}});
        REQUIRE(r.at("ok") == true);
        CHECK(total(r) <= previous);
        previous = total(r);
      }
    }
    std::uint64_t previous = UINT64_MAX;
    for (int tp : {1, 2, 4, 8}) {
      const json r = estimate(
          {{"model", {{"preset", id}}}, {"engine", "vllm"}, {"gpus", tp}, {"tensorParallel", tp}});
      REQUIRE(r.at("ok") == true);
      CHECK(total(r) <= previous);
      previous = total(r);
    }
    previous = UINT64_MAX;
    for (int gpus : {1, 2, 4}) {
      const json r = estimate({{"model", {{"preset", id}}},
                               {"engine", "llama.cpp"},
                               {"weights", "q4_k_m"},
                               {"gpus", gpus}});
      REQUIRE(r.at("ok") == true);
      CHECK(total(r) <= previous);
      previous = total(r);
    }
  }
}

TEST_CASE("8-bit never needs more than 16-bit for the same work") {
  const std::vector<std::tuple<std::string, std::string, std::string>> pairs = {
      {"transformers", "bf16", "int8"},
      {"transformers", "bf16", "fp8"},
      {"vllm", "bf16", "fp8"},
      {"vllm", "bf16", "gptq-int8"},
      {"llama.cpp", "f16", "q8_0"}};
  for (const auto& p : llmmem::presets()) {
    for (const auto& [engine, w16, w8] : pairs) {
      CAPTURE(p.id, engine, w8);
      const json base = {{"model", {{"preset", p.id}}}, {"engine", engine}, {"seqLen", 4096}};
      json a = base, b = base;
      a["weights"] = w16;
      b["weights"] = w8;
      if (auto t = pair_of(a, b)) CHECK(t->second <= t->first);
    }
    // gpt-oss's experts (most of its weights) stay MXFP4 (4.25 bits) in every format, so its
    // "16-bit" LoRA is not 16-bit: QLoRA 8-bit can only shrink attention, while PEFT's
    // prepare_model_for_kbit_training upcasts the large embeddings and lm_head to fp32.
    const bool already_4bit = p.arch->model_type == "gpt_oss" ||
                              (p.arch->quantization && p.arch->quantization->method == "mxfp4");
    // The same upcast to fp32 (4 bytes) of the embedding and head outweighs halving the other
    // weights (2 -> 1 byte) once those tables are over a third of the model: Gemma 3 270M's
    // 262k-row table is 63% of it, Pythia 70M's and 160M's untied pair 73% and 48%.
    const double tables = p.params.embedding.value * (p.arch->tie_embeddings ? 1 : 2);
    const bool embedding_heavy = 3 * tables > p.params.total.value;
    json a = {{"model", {{"preset", p.id}}}, {"task", "finetune"}, {"method", "lora"}};
    json b = a;
    b["method"] = "qlora-8bit";
    if (auto t = pair_of(a, b); t && !already_4bit && !embedding_heavy)
      CHECK(t->second <= t->first);
    json c = {{"model", {{"preset", p.id}}}, {"kvCache", "fp16"}, {"seqLen", 32768}};
    json d = c;
    d["kvCache"] = "fp8";
    if (auto t = pair_of(c, d)) CHECK(t->second <= t->first);
  }
}

TEST_CASE(
    "extreme but valid requests stay exact: 405B and 671B, 1M tokens, batch 1024, 1024 GPUs") {
  const std::vector<json> extremes = {
      {{"model", {{"preset", "llama-3.1-405b"}}}, {"seqLen", 1 << 20}},
      {{"model", {{"preset", "deepseek-v3"}}},
       {"seqLen", 1 << 20},
       {"engine", "vllm"},
       {"gpus", 8},
       {"tensorParallel", 8}},
      {{"model", {{"preset", "deepseek-v3"}}},
       {"engine", "llama.cpp"},
       {"weights", "q2_k"},
       {"seqLen", 1 << 20}},
      {{"model", {{"preset", "llama-3.1-8b"}}}, {"batch", 1024}, {"seqLen", 131072}},
      {{"model", {{"preset", "deepseek-v3"}}},
       {"task", "finetune"},
       {"gpus", 1024},
       {"zeroStage", 3}},
      {{"model", {{"preset", "llama-3.1-405b"}}},
       {"task", "finetune"},
       {"method", "qlora-4bit"},
       {"gpus", 1024},
       {"zeroStage", 3},
       {"batch", 1024},
       {"seqLen", 1 << 20},
       {"gradientCheckpointing", true}},
      {{"model", {{"params", 1e14}}}, {"batch", 1 << 20}, {"seqLen", 1 << 24}},
  };
  for (const auto& req : extremes) {
    CAPTURE(req.dump());
    const json r = estimate(req);
    if (r.at("ok").get<bool>()) {
      check_sizes(r);
      CHECK(total(r) > 0);
    } else {
      // The only acceptable refusal of a valid request: the result itself is too large to be exact.
      CHECK(r.at("errors").at(0).at("message").get<std::string>().find("2^53") !=
            std::string::npos);
    }
  }
}
