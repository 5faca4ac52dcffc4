// The 2025-2026 families of shared/reference/new-configs: each one the table
// supports gives the parameter count of the checkpoint (index.json: the sum of
// the tensors where a source printed it) within 2%; each one it does not yet
// support is refused by name, never counted with another family's rules.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "api/request.hpp"
#include "model/config_json.hpp"
#include "model/model.hpp"
#include "parts/vllm_pages.hpp"
#include "support.hpp"

using namespace llmmem;
using nlohmann::json;

namespace {

// The model_types of new-configs that the family table supports.
const std::set<std::string> kSupported = {"gpt_oss",    "smollm3",      "glm4_moe_lite",
                                          "lfm2",       "deepseek_v32", "nemotron_h",
                                          "qwen3_next", "kimi_linear",  "gemma4"};

// The checkpoint's count: exact where a source printed it, else the
// contributor's own arithmetic from the config (nemotron_h).
// A config.json of shared/reference/new-configs as text; empty (with a WARN
// saying the test is skipped) when ../shared is absent.
std::optional<std::string> new_config_text(const std::string& file) {
  auto text = test::read_file(test::shared_path("reference/new-configs/" + file));
  if (!text) WARN("shared/reference/new-configs not found: skipped");
  return text;
}

// The same file parsed (REQUIREs that it parses); null when skipped.
std::shared_ptr<const ModelArch> new_config(const std::string& file) {
  const auto text = new_config_text(file);
  if (!text) return nullptr;
  Errors errors;
  auto arch = parse_config_text(*text, "model.configJson", errors);
  REQUIRE(arch);
  return arch;
}

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
      // The checkpoint's count: the model plus the multi-token-prediction
      // layers it stores (params.checkpoint).
      CHECK_THAT(count_params(*arch).total.value + arch->mtp_params,
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

TEST_CASE("LFM2's convolution layers have no attention and so no KV cache") {
  const auto arch = new_config("LiquidAI--LFM2-1.2B.json");
  if (!arch) return;
  // full_attn_idxs [2, 5, 8, 10, 12, 14]: the other ten of 16 layers are convolutions.
  std::vector<std::int64_t> attention;
  for (std::int64_t i = 0; i < arch->num_layers; ++i)
    if (arch->layer(i).attn.kind == AttnKind::Standard) attention.push_back(i);
  CHECK(attention == std::vector<std::int64_t>{2, 5, 8, 10, 12, 14});
  CHECK(arch->layer(0).attn.kind == AttnKind::None);
  CHECK(arch->layer(2).attn.num_kv_heads == 8);
  CHECK(arch->layer(2).ffn.intermediate == 8192);  // 2/3 of block_ff_dim 12288, multiple of 256
  CHECK(arch->tie_embeddings);
}

TEST_CASE("GLM-4.7-Flash is MLA with 64 experts after one dense layer") {
  const auto arch = new_config("zai-org--GLM-4.7-Flash.json");
  if (!arch) return;
  CHECK(arch->layer(0).ffn.kind == FfnKind::Dense);
  CHECK(arch->layer(1).ffn.kind == FfnKind::Moe);
  CHECK(arch->layer(1).ffn.num_experts == 64);
  CHECK(arch->layer(1).attn.kind == AttnKind::Mla);
  CHECK(arch->layer(1).attn.kv_lora_rank == 512);
  CHECK(arch->layer(1).attn.v_head_dim == 256);
}

TEST_CASE("DeepSeek-V3.2 is V3 plus the indexer in every layer") {
  const auto arch = new_config("deepseek-ai--DeepSeek-V3.2.json");
  if (!arch) return;
  // index.json: "main 61 layers 671,877,944,064" (the checkpoint's tensors
  // without the MTP layer); DeepSeek-V3's own 671,026,419,200 (real-configs)
  // plus 61 indexers of wq_b 1536x8192, wk 7168x128, k_norm 2x128, weights_proj 7168x64.
  CHECK(count_params(*arch).total.value == 671877944064.0);
}

TEST_CASE("the multi-token-prediction layers are the checkpoint's, outside the model's count") {
  // new-configs/index.json, each basis a sum over the checkpoint's tensors:
  // GLM-4.7-Flash 31,221,488,576 "incl. MTP layer 47 which stores its own
  // embed_tokens and shared_head.head copies"; Qwen3-Next 81,324,862,720
  // "includes the MTP block (mtp.*)"; DeepSeek-V3.2 685,355,329,792 logical
  // parameters, of which "main 61 layers 671,877,944,064".
  const std::vector<std::pair<std::string, double>> checkpoints = {
      {"zai-org--GLM-4.7-Flash.json", 31221488576.0},
      {"Qwen--Qwen3-Next-80B-A3B-Instruct.json", 81324862720.0},
      {"deepseek-ai--DeepSeek-V3.2.json", 685355329792.0}};
  for (const auto& [file, checkpoint] : checkpoints) {
    CAPTURE(file);
    const auto arch = new_config(file);
    if (!arch) return;
    CHECK(arch->mtp_layers == 1);
    CHECK(count_params(*arch).total.value + arch->mtp_params == checkpoint);
  }
  // real-configs/index.json's DeepSeek-V3: "With the MTP module (decoder layer
  // + eh_proj + 3 norms + its own embedding and head copies) the checkpoint
  // holds 684,489,845,504"; the model itself is 671,026,419,200.
  const auto v3 = test::read_file(test::shared_path("reference/real-configs/deepseek-v3.json"));
  if (!v3) return;
  Errors errors;
  const auto arch = parse_config_text(*v3, "model.configJson", errors);
  REQUIRE(arch);
  CHECK(count_params(*arch).total.value == 671026419200.0);
  CHECK(count_params(*arch).total.value + arch->mtp_params == 684489845504.0);
}

TEST_CASE("Nemotron-H layers are one block each: only the 6 '*' layers have a KV cache") {
  const auto arch = new_config("nvidia--NVIDIA-Nemotron-3-Nano-30B-A3B-BF16.json");
  if (!arch) return;
  // hybrid_override_pattern "MEMEM*E...": 23 Mamba-2, 23 MoE, 6 attention layers.
  int attention = 0, moe = 0, mamba = 0;
  for (std::int64_t i = 0; i < arch->num_layers; ++i) {
    const LayerSpec& l = arch->layer(i);
    attention += l.attn.kind == AttnKind::Standard;
    moe += l.ffn.kind == FfnKind::Moe;
    mamba += l.attn.kind == AttnKind::None && l.ffn.kind == FfnKind::None;
  }
  CHECK(attention == 6);
  CHECK(moe == 23);
  CHECK(mamba == 23);
  CHECK(arch->layer(5).attn.num_kv_heads == 2);
  CHECK_FALSE(arch->layer(1).ffn.gated);  // relu2 experts: up and down only
  CHECK(arch->layer(1).ffn.shared_intermediate == 3712);
}

TEST_CASE("Nemotron-H in vLLM: its 6 attention layers and the Mamba-2 state in one pool of pages") {
  const auto text = new_config_text("nvidia--NVIDIA-Nemotron-3-Nano-30B-A3B-BF16.json");
  if (!text) return;
  const json r = test::estimate(
      {{"model", {{"configJson", *text}}}, {"engine", "vllm"}, {"seqLen", 4096}, {"batch", 8}});
  REQUIRE(r.at("ok") == true);
  double kv = 0;
  for (const auto& c : r.at("components"))
    if (c.at("id") == "kv_cache") kv = c.at("bytes").get<double>();
  // vLLM's hybrid pool (vllm/model_executor/models/config.py
  // HybridAttentionMambaModelConfig, vllm/v1/core/kv_cache_utils.py): a
  // Mamba-2 layer's state is conv (4096 + 2 x 8 x 128) x 3 x 2 B + SSM 64 x 64
  // x 128 x 4 B (mamba_ssm_cache_dtype float32) = 2,134,016 B; an attention
  // token is 2 KV heads x 128 x (K + V) x 2 B = 1024 B, so the attention block
  // is 16 x cdiv(2,134,016, 16 x 1024) = 2096 tokens and every page 2,146,304
  // B. 6 attention and 23 Mamba layers go in groups of 6: one attention group
  // and cdiv(23, 6) = 4 state groups; a sequence of 4096 tokens holds
  // cdiv(4096, 2096) = 2 + 4 blocks, each over 6 layers.
  const double page = 2096.0 * 1024;
  CHECK(page >= 6144.0 * 3 * 2 + 64 * 64 * 128 * 4);
  CHECK(kv == 8 * (2 + 4) * 6 * page);
}

TEST_CASE("Qwen3-Next: Gated DeltaNet layers with every fourth layer full attention") {
  const auto arch = new_config("Qwen--Qwen3-Next-80B-A3B-Instruct.json");
  if (!arch) return;
  for (std::int64_t i = 0; i < arch->num_layers; ++i) {
    CAPTURE(i);
    const LayerSpec& l = arch->layer(i);
    CHECK((l.attn.kind == AttnKind::Standard) == ((i + 1) % 4 == 0));
    CHECK(l.ffn.num_experts == 512);
    if (l.attn.kind == AttnKind::None) {
      // conv (2 x 16 x 128 + 32 x 128) x 3; recurrent 32 heads x 128 x 128
      CHECK(l.conv_state == 8192 * 3);
      CHECK(l.ssm_state == 32 * 128 * 128);
    }
  }
}

TEST_CASE("Kimi Linear: full_attn_layers are 1-based, MLA at 0-based 3, 7, ..., 26") {
  const auto arch = new_config("moonshotai--Kimi-Linear-48B-A3B-Instruct.json");
  if (!arch) return;
  // index.json: "tensor names show MLA at 0-based layers 3,7,...,26".
  std::vector<std::int64_t> mla;
  for (std::int64_t i = 0; i < arch->num_layers; ++i)
    if (arch->layer(i).attn.kind == AttnKind::Mla) mla.push_back(i);
  CHECK(mla == std::vector<std::int64_t>{3, 7, 11, 15, 19, 23, 26});
  CHECK(arch->layer(0).ffn.kind == FfnKind::Dense);
  CHECK(arch->layer(1).ffn.top_k == 8);                   // num_experts_per_token
  CHECK(arch->layer(1).ffn.shared_intermediate == 1024);  // num_shared_experts 1
  CHECK(arch->layer(0).ssm_state == 32 * 128 * 128);
}

TEST_CASE(
    "Gemma 4 31B: global layers of 512-wide heads, 4 KV heads and no v_proj; its vision tower") {
  const auto arch = new_config("google--gemma-4-31B-it.json");
  if (!arch) return;
  // index.json: "参数总量: 31,273,088,876" (the checkpoint's tensors, vision
  // tower included, embeddings tied). Text: 60 layers (50 sliding: q/o 5376 x
  // 32 x 256, k/v 5376 x 16 x 256; 10 full: q/o 5376 x 32 x 512, k 5376 x 4 x
  // 512 and no v_proj), gated MLP 21504, four norms, q/k norms, layer_scalar;
  // vision: patch 768 x 1152, positions 2 x 10240 x 1152, 27 blocks, and the
  // 1152 x 5376 embedder (transformers models/gemma4/modeling_gemma4.py).
  CHECK(count_params(*arch).total.value == 31273088876.0);
  const LayerSpec& sliding = arch->layer(0);
  const LayerSpec& full = arch->layer(5);
  CHECK(sliding.attn.sliding_window == 1024);
  CHECK(sliding.attn.head_dim == 256);
  CHECK(sliding.attn.num_kv_heads == 16);
  CHECK_FALSE(sliding.attn.v_from_k);
  CHECK(full.attn.sliding_window == 0);
  CHECK(full.attn.head_dim == 512);
  CHECK(full.attn.num_kv_heads == 4);
  CHECK(full.attn.v_from_k);
  CHECK(arch->layer(59).attn.sliding_window == 0);
}

TEST_CASE("Gemma 4's KV cache: 10 global layers at 4 x 512, 50 sliding at 16 x 256") {
  const auto text = new_config_text("google--gemma-4-31B-it.json");
  if (!text) return;
  const json r = test::estimate({{"model", {{"configJson", *text}}},
                                 {"engine", "transformers"},
                                 {"seqLen", 8192},
                                 {"batch", 1}});
  REQUIRE(r.at("ok") == true);
  double kv = 0;
  for (const auto& c : r.at("components"))
    if (c.at("id") == "kv_cache") kv = c.at("bytes").get<double>();
  // K and V both cached on the global layers too (Gemma4TextAttention keeps
  // value_states = key_states apart and updates the cache with both); the
  // sliding layers keep the last 1024 tokens (DynamicSlidingWindowLayer).
  const double global = 10.0 * 2 * 4 * 512 * 2 * 8192;
  const double window = 50.0 * 2 * 16 * 256 * 2 * 1024;
  CHECK(kv == global + window);
}

TEST_CASE("Gemma 4 variants this estimator cannot count yet are refused by name") {
  const auto text = new_config_text("google--gemma-4-31B-it.json");
  if (!text) return;
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, json>>{{"hidden_size_per_layer_input", 256},
                                                 {"num_kv_shared_layers", 20},
                                                 {"enable_moe_block", true}}) {
    CAPTURE(field);
    json config = json::parse(*text);
    config["text_config"][field] = value;
    Errors errors;
    CHECK_FALSE(parse_config(llmmem::test::core_json(config), "model.config", errors));
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.list()[0].field == "model.config.text_config." + field);
  }
}

namespace {

// The config.json of a case of shared/reference/new-family-cases.json (measured
// figures of 2025-2026 families; each case carries its model's config);
// empty, with a WARN, when ../shared is absent.
std::optional<json> case_config(int id) {
  const auto text = test::read_file(test::shared_path("reference/new-family-cases.json"));
  if (!text) {
    WARN("shared/reference/new-family-cases.json not found: skipped");
    return std::nullopt;
  }
  for (const auto& c : json::parse(*text))
    if (c.at("id") == id)
      return json::parse(c.at("request").at("model").at("configJson").get<std::string>());
  FAIL("case " << id << " not in new-family-cases.json");
  return std::nullopt;
}

}  // namespace

TEST_CASE("Qwen3.5-MoE (Qwen3.6-35B-A3B): Gated DeltaNet, 256 experts and the Qwen3-VL tower") {
  const auto config = case_config(9109);
  if (!config) return;
  Errors errors;
  const auto arch = parse_config(llmmem::test::core_json(*config), "model.config", errors);
  REQUIRE(arch);
  // gogongxt/python scripts/models/qwen3.6_35b_a3b.md (a report of the
  // downloaded checkpoint): "参数总量: 35,951,822,704", mtp.* included; the
  // same shapes as Qwen3.5-35B-A3B (qwen3.5_35b_a3b.md, the same total).
  CHECK(count_params(*arch).total.value + arch->mtp_params == 35951822704.0);
  CHECK(arch->layer(0).attn.kind == AttnKind::None);
  CHECK(arch->layer(0).conv_state == 8192 * 3);
  CHECK(arch->layer(3).attn.num_kv_heads == 2);
  CHECK(arch->ssm_state_fp32);  // mamba_ssm_dtype float32
}

TEST_CASE("Qwen3.5-27B: 48 Gated DeltaNet and 16 gated attention layers, a dense MLP") {
  const auto config = case_config(9115);
  if (!config) return;
  Errors errors;
  const auto arch = parse_config(llmmem::test::core_json(*config), "model.config", errors);
  REQUIRE(arch);
  // gogongxt/python scripts/models/qwen3.5_27b.md: "参数总量: 27,781,427,952".
  CHECK(count_params(*arch).total.value + arch->mtp_params == 27781427952.0);
  CHECK(arch->layer(63).attn.kind == AttnKind::Standard);
  CHECK(arch->layer(63).ffn.intermediate == 17408);
}

TEST_CASE("layer_types that contradict the family are refused, naming the entry") {
  const auto text = new_config_text("google--gemma-4-31B-it.json");
  if (!text) return;
  json config = json::parse(*text);
  config["text_config"]["layer_types"][3] = "linear_attention";
  Errors errors;
  CHECK_FALSE(parse_config(llmmem::test::core_json(config), "model.config", errors));
  REQUIRE_FALSE(errors.empty());
  CHECK(errors.list()[0].field == "model.config.text_config.layer_types");
  CHECK(errors.list()[0].message ==
        "layer_types[3] is 'linear_attention', not a layer kind of model_type 'gemma4_text'");
  config["text_config"]["layer_types"].erase(3);
  Errors short_list;
  CHECK_FALSE(parse_config(llmmem::test::core_json(config), "model.config", short_list));
  REQUIRE_FALSE(short_list.empty());
  CHECK(short_list.list()[0].message == "layer_types must list one type per layer (60)");
}

TEST_CASE("vLLM's hybrid pool for Qwen3-Next at TP 2 is the one its start-up log describes") {
  const auto arch = new_config("Qwen--Qwen3-Next-80B-A3B-Instruct.json");
  if (!arch) return;
  KvSpec spec;
  spec.engine = Engine::Vllm;
  spec.tensor_parallel = 2;
  const auto pages = vllm_hybrid_pages(*arch, spec);
  REQUIRE(pages);
  // new-family-cases.json case 9107 (vLLM 0.10.2, TP 2): "Setting attention
  // block size to 544 tokens"; a GDN state per rank of conv 3 x 4096 x 2 B +
  // 16 heads x 128 x 128 x 2 B = 548,864 B, padded to 544 x 1024 B; 12
  // attention and 36 GDN layers in 4 groups of 12.
  CHECK(pages->block_tokens == 544);
  CHECK(pages->state_page == 548864.0);
  CHECK(pages->page == 557056.0);
  CHECK(pages->group_size == 12);
  CHECK(pages->attention_groups == 1);
  CHECK(pages->state_groups == 3);
  // "Available KV cache memory: 44.59 GiB": 7162 blocks of 12 pages; "GPU KV
  // cache size: 973,760 tokens" (7162 // 4 groups x 544); "Maximum concurrency
  // for 262,144 tokens per request: 14.77x" (7162 / (482 + 3) blocks).
  const double blocks = std::floor(44.59 * 1024 * 1024 * 1024 / pages->block_bytes());
  CHECK(blocks == 7162);
  CHECK(pages->reported_tokens(blocks) == 973760);
  CHECK(pages->blocks_per_seq(262144) == 485);
  CHECK(blocks / pages->blocks_per_seq(262144) == Approx(14.77).epsilon(0.0005));
}

TEST_CASE("DeepSeek-V3.2 in vLLM: the fp8_ds_mla latent and the indexer's key cache per layer") {
  const auto text = new_config_text("deepseek-ai--DeepSeek-V3.2.json");
  if (!text) return;
  auto kv_of = [&](const char* cache) {
    const json r = test::estimate({{"model", {{"configJson", *text}}},
                                   {"engine", "vllm"},
                                   {"kvCache", cache},
                                   {"seqLen", 8192},
                                   {"batch", 2}});
    REQUIRE(r.at("ok") == true);
    for (const auto& c : r.at("components"))
      if (c.at("id") == "kv_cache") return c.at("bytes").get<double>();
    return 0.0;
  };
  // vllm/model_executor/models/config.py DeepseekV32ForCausalLM: kv-cache
  // dtype auto (or fp8) becomes "fp8_ds_mla", 656 B per token
  // (FlashMLASparseBackend.get_kv_cache_shape), bf16 keeps 576 x 2 B; the
  // indexer (deepseek_v2.py Indexer) caches index_head_dim 128 fp8 bytes + one
  // fp32 scale per 128 = 132 B per token, in all 61 layers.
  CHECK(kv_of("auto") == 61.0 * (656 + 132) * 8192 * 2);
  CHECK(kv_of("fp8") == 61.0 * (656 + 132) * 8192 * 2);
  CHECK(kv_of("bf16") == 61.0 * (576 * 2 + 132) * 8192 * 2);
}

TEST_CASE("MiniMax-M2.7: 62 layers of 256 experts, q/k norms over all heads, untied") {
  // The fields of MiniMax-M2.7's config.json as printed in gogongxt/python
  // scripts/models/minimax_m2.7.md (a report of the downloaded checkpoint);
  // attn_type_list is 62 ones there.
  json config = {{"model_type", "minimax_m2"},
                 {"head_dim", 128},
                 {"hidden_size", 3072},
                 {"intermediate_size", 1536},
                 {"max_position_embeddings", 204800},
                 {"num_attention_heads", 48},
                 {"num_experts_per_tok", 8},
                 {"num_hidden_layers", 62},
                 {"num_key_value_heads", 8},
                 {"num_local_experts", 256},
                 {"qk_norm_type", "per_layer"},
                 {"shared_intermediate_size", 0},
                 {"tie_word_embeddings", false},
                 {"use_qk_norm", true},
                 {"use_routing_bias", true},
                 {"vocab_size", 200064},
                 {"attn_type_list", std::vector<int>(62, 1)}};
  Errors errors;
  auto arch = parse_config(llmmem::test::core_json(config), "model.config", errors);
  REQUIRE(arch);
  // The report: "参数总量: 228,703,644,928" counts the FP8 checkpoint's fp32
  // weight_scale_inv blocks too: per layer 256 experts x (12 x 24 + 24 x 12 +
  // 12 x 24) and attention 8 x 24 x 2 + 24 x 48 + 48 x 24, i.e. 223,872 x 62 =
  // 13,880,064; the weights themselves are 228,689,764,864.
  CHECK(count_params(*arch).total.value == 228703644928.0 - 13880064.0);
  CHECK(arch->layer(0).ffn.num_experts == 256);

  config["attn_type_list"][7] = 0;  // a lightning-attention layer: not MiniMax-M2's
  Errors refused;
  CHECK_FALSE(parse_config(llmmem::test::core_json(config), "model.config", refused));
  REQUIRE_FALSE(refused.empty());
  CHECK(refused.list()[0].field == "model.config.attn_type_list");
}

TEST_CASE("Qwen3-VL-8B: Qwen3 under text_config and the ViT with three deepstack mergers") {
  // Qwen3-VL-8B-Instruct's config.json as printed in gogongxt/python
  // scripts/models/qwen3_vl_8b_instruct.md (the fields that size the model).
  const json text = {{"model_type", "qwen3_vl_text"},
                     {"head_dim", 128},
                     {"hidden_size", 4096},
                     {"intermediate_size", 12288},
                     {"max_position_embeddings", 262144},
                     {"num_attention_heads", 32},
                     {"num_hidden_layers", 36},
                     {"num_key_value_heads", 8},
                     {"vocab_size", 151936}};
  const json vision = {{"model_type", "qwen3_vl_vision"},
                       {"deepstack_visual_indexes", {8, 16, 24}},
                       {"depth", 27},
                       {"hidden_size", 1152},
                       {"in_channels", 3},
                       {"intermediate_size", 4304},
                       {"num_heads", 16},
                       {"num_position_embeddings", 2304},
                       {"out_hidden_size", 4096},
                       {"patch_size", 16},
                       {"spatial_merge_size", 2},
                       {"temporal_patch_size", 2}};
  const json config = {{"model_type", "qwen3_vl"},
                       {"tie_word_embeddings", false},
                       {"text_config", text},
                       {"vision_config", vision}};
  Errors errors;
  auto arch = parse_config(llmmem::test::core_json(config), "model.config", errors);
  REQUIRE(arch);
  // The report: "参数总量: 8,767,123,696" (the checkpoint's tensors, the three
  // deepstack_merger_list mergers with LayerNorm(4608) included).
  CHECK(count_params(*arch).total.value == 8767123696.0);
}
