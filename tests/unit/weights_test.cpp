// Weights by format against published file and load sizes.
#include <catch2/catch.hpp>

#include "api/request.hpp"
#include "catalog/catalog.hpp"
#include "model/model.hpp"
#include "parts/weights.hpp"
#include "support.hpp"

using namespace llmmem;
using Catch::Matchers::WithinRel;

namespace {

WeightBreakdown gguf(std::string_view preset, std::string_view format) {
  const Preset* p = find_preset(preset);
  REQUIRE(p);
  WeightSpec s;
  s.format = find_weight_format(format);
  REQUIRE(s.format);
  s.engine = Engine::LlamaCpp;
  return weight_bytes(*p->arch, s);
}

}  // namespace

TEST_CASE("GGUF file sizes of Llama-2-7B match llama.cpp's model size lines") {
  // llama.cpp README / llama-bench tables for LLaMA 7B (6.74 B params):
  // F16 12.55 GiB, Q8_0 6.67 GiB, Q4_K_M 3.80 GiB, Q4_0 3.56 GiB.
  const auto [format, gib] = GENERATE(table<const char*, double>(
      {{"f16", 12.55}, {"q8_0", 6.67}, {"q4_k_m", 3.80}, {"q4_0", 3.56}}));
  CAPTURE(format);
  CHECK_THAT(gguf("llama-2-7b", format).file.gib(), WithinRel(gib, 0.005));
}

TEST_CASE("llama.cpp keeps token_embd on the host") {
  // TheBloke llama-2-7b.Q4_K_M.gguf: CPU buffer 70.31 MiB (token_embd, Q4_K),
  // CUDA0 buffer 3820.94 MiB (measurement case 10).
  const WeightBreakdown w = gguf("llama-2-7b", "q4_k_m");
  CHECK_THAT(w.host.mib(), WithinRel(70.31, 0.001));
  CHECK_THAT(w.device.mib(), WithinRel(3820.94, 0.001));
}

TEST_CASE("Q4_K_M gives Q6_K to attn_v and ffn_down of the use_more_bits layers") {
  // 32 layers: the first and last 4, and 8 in between ((i - 4) % 3 == 2): 16 layers.
  GgufContext c;
  c.n_layer = 32;
  c.n_attn_v = 32;
  int more = 0;
  for (int i = 0; i < 32; ++i) {
    c.layer = c.i_attn_v = i;
    if (gguf_tensor_type("q4_k_m", GgufTensor::FfnDown, c, 11008) == "q6_K") ++more;
    CHECK(gguf_tensor_type("q4_k_m", GgufTensor::AttnQ, c, 4096) == "q4_K");
  }
  CHECK(more == 16);
  CHECK(gguf_tensor_type("q4_k_m", GgufTensor::Output, c, 4096) == "q6_K");
  CHECK(gguf_tensor_type("q8_0", GgufTensor::Output, c, 4096) == "q8_0");
  // rows that are not whole 256-value super-blocks fall back (Qwen2.5-0.5B: 896)
  CHECK(gguf_tensor_type("q4_k_m", GgufTensor::AttnQ, c, 896) == "q5_0");
}

TEST_CASE("bitsPerWeight sets the file size") {
  const Preset* p = find_preset("llama-2-7b");
  WeightSpec s;
  s.format = find_weight_format("q4_k_m");
  s.engine = Engine::LlamaCpp;
  s.bits_per_weight = 5.0;
  const WeightBreakdown w = weight_bytes(*p->arch, s);
  CHECK_THAT(w.file.value, WithinRel(count_params(*p->arch).total.value * 5.0 / 8, 1e-9));
}

TEST_CASE("vLLM weights match 'Loading model weights took' lines") {
  // vLLM logs (measurements.csv): Qwen3-8B bf16 15.27 GiB, Mistral-7B-v0.3 13.5084 GiB,
  // Llama-3.1-8B 14.9888 GiB.
  const auto [preset, gib] = GENERATE(table<const char*, double>(
      {{"qwen3-8b", 15.27}, {"mistral-7b-v0.3", 13.5084}, {"llama-3.1-8b", 14.9888}}));
  CAPTURE(preset);
  WeightSpec s;
  s.format = find_weight_format("bf16");
  s.engine = Engine::Vllm;
  CHECK_THAT(weight_bytes(*find_preset(preset)->arch, s).device.gib(), WithinRel(gib, 0.01));
}

TEST_CASE("tensor parallelism divides vLLM's weights, quantized formats shrink them") {
  const ModelArch& a = *find_preset("llama-3.1-70b")->arch;
  WeightSpec s;
  s.engine = Engine::Vllm;
  s.format = find_weight_format("bf16");
  const double one = weight_bytes(a, s).device.value;
  s.tensor_parallel = 4;
  const double four = weight_bytes(a, s).device.value;
  CHECK_THAT(four, WithinRel(one / 4, 0.001));
  s.tensor_parallel = 1;
  for (const char* f : {"fp8", "int8", "nf4", "gptq-int4", "awq-int4"}) {
    CAPTURE(f);
    s.format = find_weight_format(f);
    CHECK(weight_bytes(a, s).device.value < one);
  }
  // NF4 with double quantization: 4.127 bits on the linear layers (QLoRA paper, section 3).
  s.format = find_weight_format("nf4");
  const WeightBreakdown nf4 = weight_bytes(a, s);
  CHECK(nf4.quantized_params.value > 0.9 * count_params(a).total.value);
}

TEST_CASE("gpt-oss keeps its experts in MXFP4") {
  // OpenAI gpt-oss model card, checkpoint sizes: gpt-oss-120b 60.8 GiB, gpt-oss-20b 12.8 GiB.
  const auto [preset, gib] =
      GENERATE(table<const char*, double>({{"gpt-oss-120b", 60.8}, {"gpt-oss-20b", 12.8}}));
  CAPTURE(preset);
  WeightSpec s;
  s.format = find_weight_format("bf16");
  s.engine = Engine::Transformers;
  CHECK_THAT(weight_bytes(*find_preset(preset)->arch, s).device.gib(), WithinRel(gib, 0.02));
}
