// Families added for issue #18 (OLMo 3, Seed-OSS, ERNIE 4.5): each one's
// config.json (inline, the fields the count reads) counted against the
// checkpoint's published parameter total, and its KV cache per layer kind
// where that differs from plain attention.
#include <catch2/catch.hpp>

#include <string>

#include "model/config_json.hpp"
#include "model/model.hpp"
#include "support.hpp"

using namespace llmmem;
using nlohmann::json;

namespace {

ModelArch parse(const json& config) {
  Errors errors;
  auto arch = parse_config_text(config.dump(), "model.configJson", errors);
  INFO((errors.empty() ? std::string() : errors.list()[0].field + ": " + errors.list()[0].message));
  REQUIRE(arch);
  return *arch;
}

double kv_bytes(const json& config, int seq_len) {
  const json r = test::estimate({{"model", {{"configJson", config.dump()}}},
                                 {"engine", "transformers"},
                                 {"seqLen", seq_len},
                                 {"batch", 1}});
  REQUIRE(r.at("ok") == true);
  for (const auto& c : r.at("components"))
    if (c.at("id") == "kv_cache") return c.at("bytes").get<double>();
  FAIL("no kv_cache component");
  return 0;
}

// allenai/Olmo-3-1025-7B config.json (the fields its count reads; the same
// sizes in the model contract of a vLLM OLMo-3 port's test, code search id
// 69694500967: hidden 4096, 32 layers, 32 heads and KV groups, FFN 11008,
// vocab 100278, window 4096 skipped every 4th layer). layer_types lists three
// sliding_attention layers to each full_attention one.
json olmo3_7b() {
  json types = json::array();
  for (int i = 0; i < 32; ++i)
    types.push_back((i + 1) % 4 == 0 ? "full_attention" : "sliding_attention");
  return {{"architectures", {"Olmo3ForCausalLM"}},
          {"model_type", "olmo3"},
          {"hidden_size", 4096},
          {"intermediate_size", 11008},
          {"num_hidden_layers", 32},
          {"num_attention_heads", 32},
          {"num_key_value_heads", 32},
          {"vocab_size", 100278},
          {"max_position_embeddings", 65536},
          {"sliding_window", 4096},
          {"layer_types", types},
          {"attention_bias", false},
          {"tie_word_embeddings", false},
          {"torch_dtype", "bfloat16"}};
}

}  // namespace

TEST_CASE("OLMo 3 7B: OLMo 2's layers, 24 sliding and 8 full-attention layers") {
  const ModelArch arch = parse(olmo3_7b());
  // 7,298,011,136: the Hub's safetensors total for allenai/Olmo-3-1025-7B as
  // a model-card mirror quotes it for a fine-tune of it (code search id
  // 71548498080), and the same figure in a public script's model sizes
  // (id 53559420034: olmo3_7b_bits = 7298011136 * 16). OLMo 2 7B's
  // 7,298,617,344 (real-configs) less 74 vocabulary rows in the embedding
  // and the head: 2 x 74 x 4096.
  CHECK(count_params(arch).total.value == 7298011136.0);
  int sliding = 0;
  for (std::int64_t i = 0; i < arch.num_layers; ++i)
    sliding += arch.layer(i).attn.sliding_window > 0;
  CHECK(sliding == 24);
  CHECK(arch.layer(3).attn.sliding_window == 0);
  CHECK(arch.layer(0).attn.sliding_window == 4096);
  CHECK_FALSE(arch.tie_embeddings);

  // Without layer_types the config class makes the same pattern (Olmo3Config:
  // every fourth layer full_attention, sliding_window 4096 by default).
  json bare = olmo3_7b();
  bare.erase("layer_types");
  bare.erase("sliding_window");
  const ModelArch defaulted = parse(bare);
  for (std::int64_t i = 0; i < arch.num_layers; ++i)
    CHECK(defaulted.layer(i).attn.sliding_window == arch.layer(i).attn.sliding_window);
}

TEST_CASE("OLMo 3's KV cache: 8 full layers over the sequence, 24 over the 4096 window") {
  // transformers keeps the last sliding_window tokens on sliding layers
  // (DynamicSlidingWindowLayer); 32 KV heads x 128 x (K + V) x 2 B per token.
  const double per_token = 32.0 * 128 * 2 * 2;
  CHECK(kv_bytes(olmo3_7b(), 16384) == 8 * per_token * 16384 + 24 * per_token * 4096);
}

TEST_CASE("OLMo 3 32B: GQA 40/8 over 64 layers") {
  // allenai/Olmo-3-1125-32B config.json as a public porting assessment
  // tabulates it (code search id 52426459936): 5120, 64 layers, 40/8 heads,
  // FFN 27648, vocab 100278, 3 sliding layers to 1 full.
  json config = olmo3_7b();
  json types = json::array();
  for (int i = 0; i < 64; ++i)
    types.push_back((i + 1) % 4 == 0 ? "full_attention" : "sliding_attention");
  config.update({{"hidden_size", 5120},
                 {"intermediate_size", 27648},
                 {"num_hidden_layers", 64},
                 {"num_attention_heads", 40},
                 {"num_key_value_heads", 8},
                 {"layer_types", types}});
  // allenai/Olmo-3-1125-32B: 32,233,522,176 (id 53559420034:
  // olmo3_32b_bits = 32233522176 * 16); OLMo 2 32B's 32,234,279,936 less
  // 2 x 74 x 5120.
  CHECK(count_params(parse(config)).total.value == 32233522176.0);
}

TEST_CASE("Seed-OSS-36B: q, k, v biases without an o_proj bias, untied") {
  // ByteDance-Seed/Seed-OSS-36B-Instruct config.json (the same in -Base and
  // -Base-woSyn; code search id 57091266702 tabulates them).
  const json config = {{"architectures", {"SeedOssForCausalLM"}},
                       {"model_type", "seed_oss"},
                       {"hidden_size", 5120},
                       {"intermediate_size", 27648},
                       {"num_hidden_layers", 64},
                       {"num_attention_heads", 80},
                       {"num_key_value_heads", 8},
                       {"head_dim", 128},
                       {"vocab_size", 155136},
                       {"max_position_embeddings", 524288},
                       {"attention_bias", true},
                       {"attention_out_bias", false},
                       {"mlp_bias", false},
                       {"tie_word_embeddings", false},
                       {"torch_dtype", "bfloat16"}};
  const ModelArch arch = parse(config);
  // 36,151,104,512: the safetensors index metadata of -Instruct and -Base
  // (code search ids 57091266702 and 57069995439, "parameters |
  // 36,151,104,512 | safetensors index metadata").
  CHECK(count_params(arch).total.value == 36151104512.0);

  // attention_out_bias adds 64 x 5120 o_proj biases; attention_bias false
  // drops the 64 x (10240 + 2 x 1024) q, k, v biases.
  json with_o = config;
  with_o["attention_out_bias"] = true;
  CHECK(count_params(parse(with_o)).total.value == 36151104512.0 + 64 * 5120);
  json without = config;
  without["attention_bias"] = false;
  CHECK(count_params(parse(without)).total.value == 36151104512.0 - 64 * 12288);
}

TEST_CASE("ERNIE 4.5 0.3B: a tied Llama with head_dim 128 over 16 heads of a 1024 model") {
  // baidu/ERNIE-4.5-0.3B-PT config.json (code search id 28060091361).
  const json config = {{"architectures", {"Ernie4_5_ForCausalLM"}},
                       {"model_type", "ernie4_5"},
                       {"hidden_size", 1024},
                       {"intermediate_size", 3072},
                       {"num_hidden_layers", 18},
                       {"num_attention_heads", 16},
                       {"num_key_value_heads", 2},
                       {"head_dim", 128},
                       {"vocab_size", 103424},
                       {"max_position_embeddings", 131072},
                       {"use_bias", false},
                       {"tie_word_embeddings", true},
                       {"torch_dtype", "bfloat16"}};
  const ModelArch arch = parse(config);
  // 360,748,032: the loaded model's parameter count in a published run log
  // (code search id 69642363455: "family=ernie, ... L=18, d=1024,
  // params=360748032"); the Hub rounds it to 0.36B.
  CHECK(count_params(arch).total.value == 360748032.0);
  CHECK(arch.tie_embeddings);
  // use_bias puts a bias on q, k, v, o and the MLP (modular_ernie4_5.py):
  // 18 x (2048 + 256 + 256 + 1024 + 3072 + 3072 + 1024).
  json biased = config;
  biased["use_bias"] = true;
  CHECK(count_params(parse(biased)).total.value == 360748032.0 + 18 * 10752);
}
