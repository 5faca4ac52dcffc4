// The detailed inference estimate through the JSON API, against published figures.
#include <catch2/catch.hpp>

#include "engines/engines.hpp"
#include "engines/inference.hpp"
#include "support.hpp"

using Catch::Matchers::WithinRel;
using llmmem::test::component;
using llmmem::test::estimate;
using nlohmann::json;

TEST_CASE("llama.cpp's compute buffer follows the logits of a large ubatch") {
  // DeepSeek-R1-Distill-Qwen-7B, n_ubatch 2528, flash attention off:
  // "compute buffer size = 1501.00 MiB" (measurement case 17).
  const json r = estimate({{"model", {{"preset", "deepseek-r1-distill-qwen-7b"}}},
                           {"engine", "llama.cpp"},
                           {"weights", "q4_k_m"},
                           {"seqLen", 2528},
                           {"ubatch", 2528},
                           {"attention", "eager"}});
  REQUIRE(r.at("ok") == true);
  CHECK_THAT(double(component(r, "activations")) / (1 << 20), WithinRel(1501.0, 0.01));
}

TEST_CASE("llama.cpp's compute buffer grows with the context when flash attention is off") {
  // Llama-3.1-8B n_ctx 8192, n_ubatch 512, no flash: 560.00 MiB (case 28)
  const json off = estimate({{"model", {{"preset", "llama-3.1-8b"}}},
                             {"engine", "llama.cpp"},
                             {"weights", "q4_k_m"},
                             {"seqLen", 8192},
                             {"attention", "eager"}});
  const json on = estimate({{"model", {{"preset", "llama-3.1-8b"}}},
                            {"engine", "llama.cpp"},
                            {"weights", "q4_k_m"},
                            {"seqLen", 8192},
                            {"attention", "flash"}});
  CHECK_THAT(double(component(off, "activations")) / (1 << 20), WithinRel(560.0, 0.01));
  CHECK(component(on, "activations") < component(off, "activations"));
}

TEST_CASE("transformers generate peaks at weights plus the full cache") {
  // Qwen speed benchmark, Qwen3-8B bf16, 1 + 2048 tokens: max_memory_allocated 15947 MiB.
  const json r = estimate({{"model", {{"preset", "qwen3-8b"}}},
                           {"engine", "transformers"},
                           {"weights", "bf16"},
                           {"seqLen", 2049},
                           {"attention", "flash"}});
  REQUIRE(r.at("ok") == true);
  const double peak =
      double(r.at("totalBytes").get<std::uint64_t>() - component(r, "overhead")) / (1 << 20);
  CHECK_THAT(peak, WithinRel(15947.0, 0.02));
}

TEST_CASE("vLLM reports its budget, KV pool and capacity when the card is known") {
  const json r = estimate({{"model", {{"preset", "llama-3.1-8b"}}},
                           {"engine", "vllm"},
                           {"gpu", "h100-sxm-80gb"},
                           {"seqLen", 8192},
                           {"maxModelLen", 8192}});
  REQUIRE(r.at("ok") == true);
  REQUIRE(r.contains("vllm"));
  const json& v = r.at("vllm");
  const double card = v.at("cardBytes").get<double>(), budget = v.at("budgetBytes").get<double>();
  CHECK_THAT(budget, WithinRel(0.9 * card, 1e-9));  // gpu_memory_utilization default 0.9
  const double pool = v.at("kvPoolBytes").get<double>();
  CHECK_THAT(pool, WithinRel(budget - double(component(r, "weights")) -
                                 double(component(r, "activations")) - llmmem::kVllmNonTorchBytes,
                             1e-6));
  const auto tokens = v.at("kvCapacityTokens").get<std::int64_t>();
  CHECK(tokens % 16 == 0);  // whole 16-token blocks
  // Llama-3.1-8B: 131,072 B per token (32 layers × 8 heads × 128 × 2 × 2 B)
  CHECK(double(tokens) * 131072.0 <= pool);
  CHECK(double(tokens + 16) * 131072.0 > pool);
}

TEST_CASE("every engine names its defaults and the formats per tier") {
  for (const char* e : {"transformers", "vllm", "llama.cpp"}) {
    const json r = estimate({{"model", {{"preset", "qwen3-8b"}}}, {"engine", e}});
    REQUIRE(r.at("ok") == true);
    CHECK(!r.at("settings").empty());
    for (const auto& c : r.at("components")) CHECK(!c.at("formula").get<std::string>().empty());
  }
  const auto& f = llmmem::engine_spec(llmmem::Engine::LlamaCpp).weights;
  REQUIRE(f.size() == 3);
  CHECK(f[2] == "q4_k_m");
}
