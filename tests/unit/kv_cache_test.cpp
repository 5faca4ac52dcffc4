// KV cache per engine against logged cache sizes.
#include <catch2/catch.hpp>

#include "api/request.hpp"
#include "catalog/catalog.hpp"
#include "parts/kv_cache.hpp"
#include "support.hpp"

using namespace llmmem;
using Catch::Matchers::WithinRel;

namespace {
KvBreakdown kv(std::string_view preset, Engine e, std::int64_t seq, double bits = 16,
               std::int64_t batch = 1) {
  const Preset* p = find_preset(preset);
  REQUIRE(p);
  KvSpec s;
  s.engine = e;
  s.k_bits = s.v_bits = bits;
  s.seq_len = seq;
  s.batch = batch;
  return kv_cache_bytes(*p->arch, s);
}
}  // namespace

TEST_CASE("llama.cpp KV buffers match logged sizes") {
  // "KV self size = 1024.00 MiB" Llama-2-7B n_ctx 2048; Llama-3-8B n_ctx 8192
  // f16 = 1024 MiB; Llama-3.2-3B n_ctx 4096 = 448 MiB (measurement cases 11, 37).
  CHECK(kv("llama-2-7b", Engine::LlamaCpp, 2048).device.mib() == 1024.0);
  CHECK(kv("llama-3.1-8b", Engine::LlamaCpp, 8192).device.mib() == 1024.0);
  CHECK(kv("llama-3.2-3b", Engine::LlamaCpp, 4096).device.mib() == 448.0);
  // q8_0 = 34 B per 32 values: Llama-3.2-3B K q8_0 + V f16 = 343 MiB (case 38)
  const Preset* p = find_preset("llama-3.2-3b");
  KvSpec s;
  s.engine = Engine::LlamaCpp;
  s.k_bits = 8.5;
  s.v_bits = 16;
  s.seq_len = 4096;
  CHECK(kv_cache_bytes(*p->arch, s).device.mib() == 343.0);
}

TEST_CASE("MLA caches the latent in llama.cpp and vLLM, expanded K and V in transformers") {
  // DeepSeek-R1: 61 layers × (512 + 64) × 2 B × 32768 = 2196 MiB (ik_llama.cpp log, case 58).
  CHECK(kv("deepseek-r1", Engine::LlamaCpp, 32768).device.mib() == 2196.0);
  CHECK(kv("deepseek-r1", Engine::Vllm, 32768).device.mib() == 2196.0);
  // transformers: 128 heads × (192 K + 128 V) per layer, 556× more than the latent per token
  CHECK(kv("deepseek-r1", Engine::Transformers, 32768).device.value >
        50 * kv("deepseek-r1", Engine::LlamaCpp, 32768).device.value);
}

TEST_CASE("llama.cpp pads the context and limits sliding-window layers") {
  // with flash attention n_ctx is padded to 256 cells
  CHECK(kv("llama-2-7b", Engine::LlamaCpp, 1000).cells == 1024);
  // Gemma-3-27B: 52 of 62 layers slide over 1024 tokens; --swa-full keeps all
  // 62 at full size: 15872 MiB at 32768 (ik_llama.cpp log, case 49).
  const Preset* p = find_preset("gemma-3-27b");
  KvSpec s;
  s.engine = Engine::LlamaCpp;
  s.seq_len = 32768;
  s.swa_full = true;
  CHECK(kv_cache_bytes(*p->arch, s).device.mib() == 15872.0);
  s.swa_full = false;
  const KvBreakdown iswa = kv_cache_bytes(*p->arch, s);
  CHECK(iswa.window_layers > 0);
  CHECK(iswa.device.mib() < 15872.0 / 3);
}

TEST_CASE("vLLM rounds each sequence to 16-token blocks") {
  const KvBreakdown a = kv("qwen2.5-1.5b", Engine::Vllm, 17);
  CHECK(a.cells == 32);
  // Qwen2.5-1.5B: 28 layers × 2 × 256 × 2 B = 28,672 B per token (vLLM log: 5519 blocks in 2.36
  // GiB)
  CHECK(a.bytes_per_token == 28672.0);
}

TEST_CASE("the cache grows with batch and sequence length and shrinks with fp8") {
  for (Engine e : {Engine::Transformers, Engine::Vllm, Engine::LlamaCpp}) {
    CHECK(kv("qwen3-8b", e, 4096).device < kv("qwen3-8b", e, 8192).device);
    CHECK(kv("qwen3-8b", e, 4096, 16, 1).device < kv("qwen3-8b", e, 4096, 16, 2).device);
    CHECK(kv("qwen3-8b", e, 4096, 8).device < kv("qwen3-8b", e, 4096, 16).device);
  }
}

TEST_CASE("llama.cpp keeps the cache of CPU layers in host memory") {
  // ollama phi4, 29 of 40 layers offloaded, n_ctx 2048: "KV buffer size" CUDA0 290 MiB of 400 MiB
  // (case 14).
  const Preset* p = find_preset("phi-4");
  REQUIRE(p);
  KvSpec s;
  s.engine = Engine::LlamaCpp;
  s.seq_len = 2048;
  s.gpu_layers = 29;
  const KvBreakdown k = kv_cache_bytes(*p->arch, s);
  CHECK(k.device.mib() == 290.0);
  CHECK(k.host.mib() == 110.0);
}
