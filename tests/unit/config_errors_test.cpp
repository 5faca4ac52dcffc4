// Bad config.json input: every case gives a clear error naming the field,
// through the public API (model.config / model.configJson).
#include <catch2/catch.hpp>

#include "support.hpp"

using llmmem::test::estimate;
using llmmem::test::first_error;
using nlohmann::json;

namespace {

json llama() {
  return {{"model_type", "llama"},      {"vocab_size", 32000},     {"hidden_size", 4096},
          {"intermediate_size", 11008}, {"num_hidden_layers", 32}, {"num_attention_heads", 32},
          {"num_key_value_heads", 32}};
}

std::pair<std::string, std::string> config_error(const json& config) {
  return first_error(estimate({{"model", {{"config", config}}}}));
}

std::pair<std::string, std::string> text_error(const std::string& text) {
  return first_error(estimate({{"model", {{"configJson", text}}}}));
}

}  // namespace

TEST_CASE("a valid hand-written config estimates") {
  const json r = estimate({{"model", {{"config", llama()}}}});
  CHECK(r.at("ok") == true);
}

TEST_CASE("malformed JSON names configJson and says where") {
  const auto [field, message] = text_error("{\"model_type\": \"llama\", \"hidden_size\": 4096,");
  CHECK(field == "model.configJson");
  CHECK_THAT(message, Catch::StartsWith("configJson is not valid JSON: parse error at line 1"));
}

TEST_CASE("a missing required field is named") {
  json c = llama();
  c.erase("num_hidden_layers");
  CHECK(config_error(c) == std::pair<std::string, std::string>{"model.config.num_hidden_layers",
                                                               "num_hidden_layers is required"});
}

TEST_CASE("zero, negative and absurd sizes are refused") {
  json c = llama();
  c["hidden_size"] = 0;
  CHECK(config_error(c).second == "hidden_size must be a positive integer (got 0)");
  c = llama();
  c["num_hidden_layers"] = -4;
  CHECK(config_error(c).second == "num_hidden_layers must be a positive integer (got -4)");
  c = llama();
  c["vocab_size"] = 1e15;
  CHECK(config_error(c).first == "model.config.vocab_size");
  CHECK_THAT(config_error(c).second, Catch::StartsWith("vocab_size must be an integer"));
  c = llama();
  c["hidden_size"] = 100000000;
  CHECK(config_error(c).second == "hidden_size is too large (got 1e8, at most 1.05e6)");
}

TEST_CASE("heads that do not divide are refused") {
  json c = llama();
  c["num_key_value_heads"] = 5;
  CHECK(config_error(c) == std::pair<std::string, std::string>{
                               "model.config.num_key_value_heads",
                               "num_key_value_heads must divide num_attention_heads (32 / 5)"});
  c = llama();
  c["num_attention_heads"] = 30;
  c["num_key_value_heads"] = 30;
  CHECK(config_error(c).second ==
        "num_attention_heads must divide hidden_size when head_dim is absent (4096 / 30)");
}

TEST_CASE("a float where an integer belongs is refused") {
  json c = llama();
  c["num_hidden_layers"] = 32.5;
  CHECK(config_error(c) ==
        std::pair<std::string, std::string>{"model.config.num_hidden_layers",
                                            "num_hidden_layers must be an integer (got 32.5)"});
  c = llama();
  c["hidden_size"] = "4096";
  CHECK(config_error(c).second == "hidden_size must be an integer (got a string)");
}

TEST_CASE(
    "an oversized paste is refused before parsing, naming the field; a huge request as a whole") {
  // 4 MB: over the config's own limit (1 MiB), within the request's (8 MiB).
  const std::string big =
      "{\"model_type\": \"llama\", \"pad\": \"" + std::string(4 << 20, 'x') + "\"}";
  const auto [field, message] = text_error(big);
  CHECK(field == "model.configJson");
  CHECK(message == "configJson is too large (4.19e6 bytes, at most 1.05e6)");
  // 10 MB: the whole request is refused before anything in it is read.
  const std::string huge =
      "{\"model_type\": \"llama\", \"pad\": \"" + std::string(10 << 20, 'x') + "\"}";
  const auto [field10, message10] = text_error(huge);
  CHECK(field10 == "request");
  CHECK(message10 == "request is too large (1.05e7 bytes, at most 8.39e6)");
}

TEST_CASE("deeply nested JSON is refused without recursion") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto [field, message] = text_error(deep);
  CHECK(field == "model.configJson");
  CHECK(message == "configJson is nested too deeply (more than 64 levels)");
}

TEST_CASE("a config that is not an object is refused") {
  CHECK(config_error(json::array({1, 2})).second ==
        "config must be a JSON object (a config.json), got an array");
  CHECK(text_error("42").second ==
        "configJson must be a JSON object (a config.json), got a number");
}

TEST_CASE("an unknown model_type is refused by name, with the known ones") {
  json c = llama();
  c["model_type"] = "my_new_arch";
  const auto [field, message] = config_error(c);
  CHECK(field == "model.config.model_type");
  CHECK(message.rfind("model_type 'my_new_arch' is not supported yet; known: ", 0) == 0);
  CHECK(message.find("llama") != std::string::npos);
  CHECK(message.find("qwen3") != std::string::npos);
}

TEST_CASE("a config without model_type is refused") {
  json c = llama();
  c.erase("model_type");
  CHECK(config_error(c) ==
        std::pair<std::string, std::string>("model.config.model_type", "model_type is required"));
  c["text_config"] = llama();
  CHECK(config_error(c).first == "model.config.model_type");
}

TEST_CASE("an unknown model_type under text_config is refused by name") {
  json c = {{"model_type", "llava"}, {"text_config", llama()}};
  c["text_config"]["model_type"] = "my_text_arch";
  const auto [field, message] = config_error(c);
  CHECK(field == "model.config.text_config.model_type");
  CHECK(message.rfind("model_type 'my_text_arch' is not supported yet", 0) == 0);
}

namespace {

// Gemma 3 as published: a text decoder under text_config and a SigLIP tower.
json gemma3_with_vision(const json& vision) {
  json text = llama();
  text["model_type"] = "gemma3_text";
  text["head_dim"] = 256;
  return {{"model_type", "gemma3"}, {"text_config", text}, {"vision_config", vision}};
}

json qwen25_vl_with_vision(const json& vision) {
  json c = llama();
  c["model_type"] = "qwen2_5_vl";
  c["vision_config"] = vision;
  return c;
}

}  // namespace

TEST_CASE("every numeric field of vision_config is range-checked and named") {
  using Case = std::tuple<json, std::string, std::string>;
  const auto [config, field, message] = GENERATE(table<json, std::string, std::string>({
      Case{gemma3_with_vision({{"num_channels", -13000}}),
           "model.config.vision_config.num_channels",
           "num_channels must be a positive integer (got -13000)"},
      Case{gemma3_with_vision({{"image_size", std::int64_t(1) << 40}}),
           "model.config.vision_config.image_size", "image_size is too large"},
      Case{gemma3_with_vision({{"hidden_size", 1.5}}), "model.config.vision_config.hidden_size",
           "hidden_size must be an integer"},
      Case{qwen25_vl_with_vision({{"spatial_merge_size", std::int64_t(1) << 50}}),
           "model.config.vision_config.spatial_merge_size", "spatial_merge_size is too large"},
      Case{qwen25_vl_with_vision({{"depth", 0}}), "model.config.vision_config.depth",
           "depth must be a positive integer"},
  }));
  CAPTURE(config.dump());
  const auto [got_field, got_message] = config_error(config);
  CHECK(got_field == field);
  CHECK_THAT(got_message, Catch::StartsWith(message));
}

TEST_CASE("a vision_config whose model_type is not a string is a named error") {
  const auto [field, message] = config_error(gemma3_with_vision({{"model_type", 7}}));
  CHECK(field == "model.config.vision_config.model_type");
  CHECK(message == "model_type must be a string (got a number)");
}

TEST_CASE("a valid vision_config still counts its tower") {
  const json r = estimate({{"model", {{"config", gemma3_with_vision({{"num_channels", 3}})}}}});
  CHECK(r.at("ok") == true);
}

TEST_CASE("quantization_config's numbers are range-checked and named") {
  json c = llama();
  c["quantization_config"] = {{"quant_method", "gptq"}, {"bits", -3}};
  CHECK(config_error(c) ==
        std::pair<std::string, std::string>{"model.config.quantization_config.bits",
                                            "bits must be at least 0 (got -3)"});
  c["quantization_config"] = {{"quant_method", "gptq"}, {"bits", 4}, {"group_size", 1e30}};
  CHECK(config_error(c).first == "model.config.quantization_config.group_size");
  c["quantization_config"] = {
      {"config_groups", {{"group_0", {{"weights", {{"num_bits", 1000}}}}}}}};
  CHECK(config_error(c).first ==
        "model.config.quantization_config.config_groups.group_0.weights.num_bits");
  c["quantization_config"] = {{"quant_method", 4}};
  CHECK(config_error(c).first == "model.config.quantization_config.quant_method");
}

TEST_CASE("text_config's fields are range-checked and named") {
  json c = gemma3_with_vision(json::object());
  c["text_config"]["intermediate_size"] = -1;
  CHECK(config_error(c).first == "model.config.text_config.intermediate_size");
}

TEST_CASE("a layer list longer than the model's layers is refused by name") {
  json c = llama();
  c["num_hidden_layers"] = 4;
  c["cross_attention_layers"] = json::array({0, 1, 2, 3, 4});
  CHECK(config_error(c) ==
        std::pair<std::string, std::string>{
            "model.config.cross_attention_layers",
            "cross_attention_layers lists 5 layers, more than the model has (4)"});
  c.erase("cross_attention_layers");
  c["num_experts"] = 8;
  c["num_experts_per_tok"] = 2;
  c["mlp_only_layers"] = json::array({0, 1, 2, 3, 0});
  CHECK(config_error(c).first == "model.config.mlp_only_layers");
}
