// Families added for issue #18 (Llama 4): each one's config.json (inline, the
// fields the count reads, with where it was read) counted against the
// checkpoint's published parameter total, and its KV cache per layer kind and
// engine where that differs from plain attention.
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

std::string first_error(const json& config) {
  Errors errors;
  auto arch = parse_config_text(config.dump(), "model.configJson", errors);
  CHECK_FALSE(arch);
  REQUIRE_FALSE(errors.empty());
  return errors.list()[0].field + ": " + errors.list()[0].message;
}

double kv_bytes(const json& config, const std::string& engine, int seq_len) {
  const json r = test::estimate({{"model", {{"configJson", config.dump()}}},
                                 {"engine", engine},
                                 {"seqLen", seq_len},
                                 {"batch", 1}});
  INFO(r.dump());
  REQUIRE(r.at("ok") == true);
  for (const auto& c : r.at("components"))
    if (c.at("id") == "kv_cache") return c.at("bytes").get<double>();
  FAIL("no kv_cache component");
  return 0;
}

// The vision_config of both Llama 4 checkpoints (Scout's config.json as a
// public model note copies it, code search id 41112263523, with its tensor
// listing; Maverick's the same, code search id 115210306).
json llama4_vision() {
  return {{"hidden_size", 1408},
          {"image_size", 336},
          {"intermediate_size", 5632},
          {"model_type", "llama4_vision_model"},
          {"multi_modal_projector_bias", false},
          {"num_attention_heads", 16},
          {"num_channels", 3},
          {"num_hidden_layers", 34},
          {"patch_size", 14},
          {"pixel_shuffle_ratio", 0.5},
          {"projector_input_dim", 4096},
          {"projector_output_dim", 4096},
          {"vision_output_dim", 4096}};
}

// meta-llama/Llama-4-Scout-17B-16E config.json (code search id 41112263523,
// a public model note that prints the config and the checkpoint's tensor
// listing; the same text_config in a fine-tune's config quoted in a vLLM issue,
// id 56810493199): 48 layers, every one MoE (interleave_moe_layer_step 1,
// moe_layers 0..47), no_rope_layers 1,1,1,0 repeated, chunks of 8192.
json llama4_scout() {
  json moe_layers = json::array(), no_rope = json::array();
  for (int i = 0; i < 48; ++i) {
    moe_layers.push_back(i);
    no_rope.push_back((i + 1) % 4 == 0 ? 0 : 1);
  }
  const json text = {{"attention_bias", false},
                     {"attention_chunk_size", 8192},
                     {"head_dim", 128},
                     {"hidden_act", "silu"},
                     {"hidden_size", 5120},
                     {"interleave_moe_layer_step", 1},
                     {"intermediate_size", 8192},
                     {"intermediate_size_mlp", 16384},
                     {"max_position_embeddings", 262144},
                     {"model_type", "llama4_text"},
                     {"moe_layers", moe_layers},
                     {"no_rope_layers", no_rope},
                     {"num_attention_heads", 40},
                     {"num_experts_per_tok", 1},
                     {"num_hidden_layers", 48},
                     {"num_key_value_heads", 8},
                     {"num_local_experts", 16},
                     {"rms_norm_eps", 1e-05},
                     {"torch_dtype", "bfloat16"},
                     {"use_qk_norm", true},
                     {"vocab_size", 202048}};
  return {{"architectures", {"Llama4ForConditionalGeneration"}},
          {"model_type", "llama4"},
          {"text_config", text},
          {"tie_word_embeddings", false},
          {"vision_config", llama4_vision()}};
}

// meta-llama/Llama-4-Maverick-17B-128E-Instruct: Scout's layers with 128
// experts on every second layer (interleave_moe_layer_step 2), use_qk_norm
// false, 1M positions (TensorRT-LLM's two-layer copy of its config, code
// search id 115210306, "This is Llama4 Maverick config but with only 2
// layers"; 48 layers and the default no_rope pattern restored).
json llama4_maverick() {
  json config = llama4_scout();
  json& text = config["text_config"];
  text.erase("moe_layers");
  text.erase("no_rope_layers");
  text.update({{"interleave_moe_layer_step", 2},
               {"num_local_experts", 128},
               {"use_qk_norm", false},
               {"max_position_embeddings", 1048576}});
  return config;
}

}  // namespace

TEST_CASE("Llama 4 Scout: 16 experts and a shared expert in every layer, the vision tower") {
  const ModelArch arch = parse(llama4_scout());
  // 108,641,793,536: the Hub's safetensors.parameters.BF16 for
  // meta-llama/Llama-4-Scout-17B-16E-Instruct at revision 92f3b15 (code
  // search id 68803403365, "Declared total parameters | 108,641,793,536") and
  // the same total in a public table of safetensors totals (id 70957423560).
  const ParamTotals t = count_params(arch);
  CHECK(t.total.value == 108641793536.0);
  // Of it the vision model and projector: 871,932,416 (a public parameter
  // test derives the same difference for Scout and Maverick, id 71333187518).
  double vision = 0;
  for (const auto& m : arch.extra_modules) vision += module_params(m, 1).value;
  CHECK(vision == 871932416.0);
  CHECK(arch.layer(0).ffn.kind == FfnKind::Moe);
  CHECK(arch.layer(0).ffn.num_experts == 16);
  CHECK(arch.layer(0).ffn.shared_intermediate == 8192);
  CHECK(arch.layer(47).ffn.kind == FfnKind::Moe);
  // Chunked attention on the RoPE layers, the NoPE layers (every fourth) global.
  CHECK(arch.layer(0).attn.sliding_window == 8192);
  CHECK(arch.layer(0).attn.chunked);
  CHECK(arch.layer(3).attn.sliding_window == 0);
  CHECK_FALSE(arch.layer(3).attn.chunked);
  CHECK_FALSE(arch.tie_embeddings);

  // use_qk_norm is Llama4TextL2Norm, without weights: the count does not move.
  json no_qk = llama4_scout();
  no_qk["text_config"]["use_qk_norm"] = false;
  CHECK(count_params(parse(no_qk)).total.value == 108641793536.0);
}

TEST_CASE("Llama 4 Maverick: 128 experts on every second layer, dense layers of 16384") {
  const ModelArch arch = parse(llama4_maverick());
  // 401,583,781,376: the Hugging Face checkpoint's tensor total for
  // Llama-4-Maverick-17B-128E (code search id 71333187518, "The Hugging Face
  // checkpoints hold 108,641,793,536 and 401,583,781,376 tensors in total").
  CHECK(count_params(arch).total.value == 401583781376.0);
  CHECK(arch.layer(0).ffn.kind == FfnKind::Dense);
  CHECK(arch.layer(0).ffn.intermediate == 16384);
  CHECK(arch.layer(1).ffn.kind == FfnKind::Moe);
  CHECK(arch.layer(1).ffn.num_experts == 128);
  CHECK(arch.layer(1).ffn.expert_intermediate == 8192);

  // The same MoE layers from an explicit moe_layers list (Maverick's config
  // lists 1, 3, ..., 47), which wins over interleave_moe_layer_step.
  json listed = llama4_maverick();
  json moe_layers = json::array();
  for (int i = 1; i < 48; i += 2) moe_layers.push_back(i);
  listed["text_config"]["moe_layers"] = moe_layers;
  listed["text_config"]["interleave_moe_layer_step"] = 1;
  CHECK(count_params(parse(listed)).total.value == 401583781376.0);
}

TEST_CASE("Llama 4's chunked layers: a chunk of cache where the engine frees the rest") {
  // 8 KV heads x 128 x (K + V) x 2 B = 4096 B per token and layer; 12 NoPE
  // layers keep the whole sequence, 36 chunked layers at most one chunk.
  const double per_token = 8.0 * 128 * 2 * 2;
  const int seq = 32768;
  // transformers: DynamicCache gives chunked_attention layers a
  // DynamicSlidingWindowLayer of attention_chunk_size ("from a cache point of
  // view, both sliding and chunked are the same", cache_utils.py as copied in
  // code search id 69361405962).
  CHECK(kv_bytes(llama4_scout(), "transformers", seq) ==
        12 * per_token * seq + 36 * per_token * 8192);
  // vLLM: ChunkedLocalAttentionSpec under the hybrid KV cache manager
  // (VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE default "1", code
  // search id 52119304068): blocks before the current chunk are freed, so a
  // chunked layer holds at most 8192 / 16 blocks, not the sliding window's one
  // extra block.
  CHECK(kv_bytes(llama4_scout(), "vllm", seq) == 12 * per_token * seq + 36 * per_token * 8192);
  // llama.cpp: LLM_ARCH_LLAMA4 is LLAMA_SWA_TYPE_CHUNKED with n_swa 8192 and
  // a 3:1 pattern (llama-model.cpp, code search id 2587651164); the iSWA cache
  // keeps n_swa + n_ubatch cells (512), padded to 256.
  CHECK(kv_bytes(llama4_scout(), "llama.cpp", seq) ==
        12 * per_token * seq + 36 * per_token * (8192 + 512));
  const json r = test::estimate({{"model", {{"configJson", llama4_scout().dump()}}},
                                 {"engine", "vllm"},
                                 {"seqLen", seq},
                                 {"batch", 1}});
  for (const auto& c : r.at("components"))
    if (c.at("id") == "kv_cache")
      CHECK(c.at("formula").get<std::string>().find("+ 36 chunked-attention layers (") !=
            std::string::npos);
  // Shorter than a chunk, every layer keeps the whole sequence.
  CHECK(kv_bytes(llama4_scout(), "transformers", 4096) == 48 * per_token * 4096);

  // layer_types, as transformers writes it when it saves the config, names the same layers.
  json typed = llama4_scout();
  json types = json::array();
  for (int i = 0; i < 48; ++i)
    types.push_back((i + 1) % 4 == 0 ? "full_attention" : "chunked_attention");
  typed["text_config"]["layer_types"] = types;
  CHECK(kv_bytes(typed, "transformers", seq) == kv_bytes(llama4_scout(), "transformers", seq));
  // A null attention_chunk_size is no chunking: every layer global.
  json unchunked = llama4_scout();
  unchunked["text_config"]["attention_chunk_size"] = nullptr;
  CHECK(kv_bytes(unchunked, "transformers", seq) == 48 * per_token * seq);
}

TEST_CASE("Llama 4 configs that contradict the family are refused, naming the field") {
  json short_list = llama4_scout();
  short_list["text_config"]["no_rope_layers"] = {1, 1, 1, 0};
  CHECK(first_error(short_list)
            .rfind("model.configJson.text_config.no_rope_layers: "
                   "no_rope_layers must list one 0 or 1 per layer (48)",
                   0) == 0);
  json bad_entry = llama4_scout();
  bad_entry["text_config"]["no_rope_layers"][5] = 2;
  CHECK(first_error(bad_entry).find("no_rope_layers entries must be 0 or 1") != std::string::npos);
  json sliding = llama4_scout();
  json types = json::array();
  for (int i = 0; i < 48; ++i) types.push_back("linear_attention");
  sliding["text_config"]["layer_types"] = types;
  CHECK(first_error(sliding).find("not a layer kind of model_type 'llama4_text'") !=
        std::string::npos);
}

namespace {

// Granite 4.0's 40 layers: attention at 5, 15, 25 and 35, Mamba-2 elsewhere
// (the GGUF of granite-4.0-h-small has head_count_kv 8 on those four blocks
// only, code search id 57856444710; the same list in a test's copy of
// granite-4.0-h-tiny's config.json, id 65865534003).
json granite_layer_types() {
  json types = json::array();
  for (int i = 0; i < 40; ++i) types.push_back(i % 10 == 5 ? "attention" : "mamba");
  return types;
}

// ibm-granite/granite-4.0-h-tiny config.json as a test copies it (code search
// id 65865534003, GRANITE_H_TINY_HF): 64 experts of 512, top-6, a shared MLP
// of 1024, 48 Mamba-2 heads of 64 (mamba_expand 2 x 1536), tied embeddings.
json granite_h_tiny() {
  return {{"architectures", {"GraniteMoeHybridForCausalLM"}},
          {"model_type", "granitemoehybrid"},
          {"hidden_size", 1536},
          {"num_hidden_layers", 40},
          {"num_attention_heads", 12},
          {"num_key_value_heads", 4},
          {"intermediate_size", 512},
          {"shared_intermediate_size", 1024},
          {"num_local_experts", 64},
          {"num_experts_per_tok", 6},
          {"vocab_size", 100352},
          {"tie_word_embeddings", true},
          {"attention_bias", false},
          {"mamba_d_state", 128},
          {"mamba_n_groups", 1},
          {"mamba_n_heads", 48},
          {"mamba_d_head", 64},
          {"mamba_expand", 2},
          {"mamba_d_conv", 4},
          {"mamba_conv_bias", true},
          {"mamba_proj_bias", false},
          {"max_position_embeddings", 131072},
          {"position_embedding_type", "nope"},
          {"layer_types", granite_layer_types()},
          {"torch_dtype", "bfloat16"}};
}

// ibm-granite/granite-4.0-h-small config.json (the fields a public worked
// example prints, code search id 57624389648: 4096, 40 layers, 32/8 heads, 72
// experts of 768, top-10, a shared MLP of 1536, mamba_d_state 128, d_conv 4,
// expand 2, tied, vocab 100352): 128 Mamba-2 heads of 64 (2 x 4096).
json granite_h_small() {
  json config = granite_h_tiny();
  config.update({{"hidden_size", 4096},
                 {"num_attention_heads", 32},
                 {"num_key_value_heads", 8},
                 {"intermediate_size", 768},
                 {"shared_intermediate_size", 1536},
                 {"num_local_experts", 72},
                 {"num_experts_per_tok", 10},
                 {"mamba_n_heads", 128},
                 {"max_position_embeddings", 1048576}});
  return config;
}

}  // namespace

TEST_CASE("Granite 4.0 H: Mamba-2 or attention, then MoE and a shared MLP, in every layer") {
  // 6,939,037,248: granite-4.0-h-tiny-base's safetensors metadata at
  // revision f95c8e8 (code search id 70196246186, "6,939,037,248 in the
  // safetensors metadata"; -h-tiny is the same architecture).
  CHECK(count_params(parse(granite_h_tiny())).total.value == 6939037248.0);
  // 32,207,337,984: granite-4.0-h-small's parameters as llama.cpp reports
  // them for its GGUF ("n-params" : 32207337984, code search id 37074310570)
  // and a fixture of the ibm-granite checkpoint (id 70911651117).
  const ModelArch arch = parse(granite_h_small());
  CHECK(count_params(arch).total.value == 32207337984.0);
  CHECK(arch.tie_embeddings);
  CHECK(arch.layer(0).attn.kind == AttnKind::None);
  CHECK(arch.layer(0).ssm_state == 128 * 64 * 128);         // heads x head_dim x d_state
  CHECK(arch.layer(0).conv_state == (8192 + 2 * 128) * 3);  // (inner + 2 G N) x (d_conv - 1)
  CHECK(arch.layer(5).attn.kind == AttnKind::Standard);
  CHECK(arch.layer(5).ssm_state == 0);
  for (int i : {0, 5})
    CHECK(arch.layer(i).ffn == FfnSpec{.kind = FfnKind::Moe,
                                       .num_experts = 72,
                                       .top_k = 10,
                                       .expert_intermediate = 768,
                                       .shared_intermediate = 1536});
}

TEST_CASE("Granite 4.0 H without experts: the shared MLP is each layer's dense MLP") {
  // ibm-granite/granite-4.0-h-1b config.json as a test copies it "verbatim
  // from the published config.json" (code search id 65865534003,
  // GRANITE_H_1B_HF): H-Tiny's layers with num_local_experts 0 and a shared
  // MLP of 4096.
  json config = granite_h_tiny();
  config.update({{"intermediate_size", 4096},
                 {"shared_intermediate_size", 4096},
                 {"num_local_experts", 0},
                 {"num_experts_per_tok", 0}});
  const ModelArch arch = parse(config);
  CHECK(arch.layer(0).ffn == FfnSpec{.kind = FfnKind::Dense, .intermediate = 4096});
  CHECK(arch.layer(5).ffn == FfnSpec{.kind = FfnKind::Dense, .intermediate = 4096});
  // H-Tiny's exact count less its 40 routers, experts and shared MLPs
  // (1536 x 64 + 64 x 3 x 1536 x 512 + 3 x 1536 x 1024 each) plus 40 dense
  // MLPs of 4096 (3 x 1536 x 4096): 1,461,538,368.
  const double moe = 1536.0 * 64 + 64 * 3 * 1536.0 * 512 + 3 * 1536.0 * 1024;
  CHECK(count_params(arch).total.value == 6939037248.0 - 40 * moe + 40 * 3 * 1536.0 * 4096);
}

TEST_CASE("Granite 4.0 H's cache: 4 attention layers over the sequence, 36 Mamba-2 states") {
  const int seq = 8192;
  const double kv = 4 * (8.0 * 128 * 2 * 2) * seq;  // 8 KV heads x 128, K and V, 2 B
  const double conv = (8192 + 2 * 128) * 3, ssm = 128.0 * 64 * 128;
  // transformers: the conv and SSM states in the model's 2-byte dtype.
  CHECK(kv_bytes(granite_h_small(), "transformers", seq) == kv + 36 * (conv + ssm) * 2);
  // llama.cpp keeps the recurrent state in F32 (llama-memory-recurrent).
  CHECK(kv_bytes(granite_h_small(), "llama.cpp", seq) == kv + 36 * (conv + ssm) * 4);
}

TEST_CASE("Granite 4.0 H configs that contradict the family are refused, naming the field") {
  json no_types = granite_h_tiny();
  no_types.erase("layer_types");
  CHECK(first_error(no_types) ==
        "model.configJson.layer_types: layer_types is required: which layers are mamba and "
        "which attention");
  json wrong = granite_h_tiny();
  wrong["layer_types"][3] = "linear_attention";
  CHECK(first_error(wrong).find("layer_types[3] is 'linear_attention', not a layer kind of "
                                "model_type 'granitemoehybrid'") != std::string::npos);
  json short_list = granite_h_tiny();
  short_list["layer_types"].erase(0);
  CHECK(first_error(short_list).find("layer_types must list one type per layer (40)") !=
        std::string::npos);
}

TEST_CASE("families the table does not have yet are refused by name, not counted as another") {
  // Falcon-H1 (attention and Mamba-2 side by side in every layer), ERNIE 4.5
  // MoE, HunYuan's remote-code type (Hunyuan-Large has cross-layer attention)
  // and Gemma 3n: each one's model_type as its config.json spells it.
  for (const char* type : {"falcon_h1", "ernie4_5_moe", "hunyuan", "gemma3n", "gemma3n_text"}) {
    CAPTURE(type);
    const json config = {{"model_type", type},        {"hidden_size", 1024},
                         {"num_hidden_layers", 4},    {"num_attention_heads", 8},
                         {"intermediate_size", 4096}, {"vocab_size", 32000}};
    CHECK(first_error(config).rfind(std::string("model.configJson.model_type: model_type '") +
                                        type + "' is not supported yet; known: ",
                                    0) == 0);
  }
}

namespace {

// ai21labs/Jamba-v0.1: JambaConfig's defaults (transformers
// models/jamba/configuration_jamba.py, the v0.1 checkpoint's values), the same
// fields as AI21-Jamba-1.5-Mini's config.json copied in a test (code search id
// 32223319525): attention on layers 4, 12, 20, 28, Mamba-1 on the rest, 16
// experts (top-2) on the odd layers.
json jamba_v01() {
  return {{"architectures", {"JambaForCausalLM"}},
          {"model_type", "jamba"},
          {"attn_layer_offset", 4},
          {"attn_layer_period", 8},
          {"expert_layer_offset", 1},
          {"expert_layer_period", 2},
          {"hidden_size", 4096},
          {"intermediate_size", 14336},
          {"mamba_conv_bias", true},
          {"mamba_d_conv", 4},
          {"mamba_d_state", 16},
          {"mamba_dt_rank", 256},
          {"mamba_expand", 2},
          {"mamba_proj_bias", false},
          {"max_position_embeddings", 262144},
          {"num_attention_heads", 32},
          {"num_experts", 16},
          {"num_experts_per_tok", 2},
          {"num_hidden_layers", 32},
          {"num_key_value_heads", 8},
          {"tie_word_embeddings", false},
          {"vocab_size", 65536},
          {"torch_dtype", "bfloat16"}};
}

}  // namespace

TEST_CASE("Jamba: Mamba-1 or attention, a dense MLP or 16 experts, by period and offset") {
  const ModelArch arch = parse(jamba_v01());
  // 51,570,323,328: Jamba-v0.1's count as a public estimator's notes say it
  // reproduces it exactly with Mamba-1 (code search id 69433612685,
  // "Jamba-v0.1, reproducing 51,570,323,328 exactly").
  CHECK(count_params(arch).total.value == 51570323328.0);
  CHECK(arch.layer(4).attn.kind == AttnKind::Standard);
  CHECK(arch.layer(4).ffn.kind == FfnKind::Dense);
  CHECK(arch.layer(0).attn.kind == AttnKind::None);
  CHECK(arch.layer(0).conv_state == 8192 * 3);  // I x (d_conv - 1)
  CHECK(arch.layer(0).ssm_state == 8192 * 16);  // I x d_state
  CHECK(arch.layer(1).ffn.kind == FfnKind::Moe);
  CHECK(arch.layer(1).ffn.num_experts == 16);
  CHECK(arch.layer(1).ffn.shared_intermediate == 0);
  // mamba_dt_rank "auto" is ceil(4096 / 16) = 256, the same count.
  json auto_rank = jamba_v01();
  auto_rank["mamba_dt_rank"] = "auto";
  CHECK(count_params(parse(auto_rank)).total.value == 51570323328.0);
  // transformers at 8192 tokens: 4 attention layers' K and V, 28 Mamba states.
  const double kv = 4 * (8.0 * 128 * 2 * 2) * 8192, state = 28 * (8192.0 * 3 + 8192 * 16) * 2;
  CHECK(kv_bytes(jamba_v01(), "transformers", 8192) == kv + state);

  json bad = jamba_v01();
  bad["attn_layer_offset"] = 8;
  CHECK(first_error(bad) ==
        "model.configJson.attn_layer_offset: attn_layer_offset must be below "
        "attn_layer_period (8 >= 8)");
}

namespace {

// tencent/Hunyuan-A13B-Instruct config.json (a test's copy, code search id
// 57983092879, HUNYUAN_MOE_LIST_CONFIG; use_qk_norm, use_mixed_mlp_moe,
// use_cla and tie_word_embeddings as another copy gives them, id
// 55421597645): 64 experts of 3072, top-8 and one shared expert in each of
// 32 layers, written as per-layer lists.
json hunyuan_a13b() {
  return {{"architectures", {"HunYuanMoEV1ForCausalLM"}},
          {"model_type", "hunyuan_v1_moe"},
          {"hidden_size", 4096},
          {"num_hidden_layers", 32},
          {"num_attention_heads", 32},
          {"num_key_value_heads", 8},
          {"head_dim", 128},
          {"intermediate_size", 3072},
          {"vocab_size", 128167},
          {"num_experts", 64},
          {"moe_intermediate_size", json(std::vector<int>(32, 3072))},
          {"moe_topk", json(std::vector<int>(32, 8))},
          {"num_shared_expert", json(std::vector<int>(32, 1))},
          {"use_mixed_mlp_moe", true},
          {"use_qk_norm", true},
          {"use_cla", false},
          {"attention_bias", false},
          {"tie_word_embeddings", true},
          {"torch_dtype", "bfloat16"}};
}

}  // namespace

TEST_CASE("HunYuan-A13B: per-layer lists of one value, a shared expert, q/k norms") {
  const ModelArch arch = parse(hunyuan_a13b());
  // 80,393,183,232: "the ledger reproduces the safetensors headers exactly:
  // 80,393,183,232 parameters" (code search id 69713764538, from the shipped
  // config.json: 32 layers, 4096, experts of 3072, 32/8 heads of 128, 128,167
  // tokens, tied).
  CHECK(count_params(arch).total.value == 80393183232.0);
  CHECK(arch.layer(0).ffn == FfnSpec{.kind = FfnKind::Moe,
                                     .num_experts = 64,
                                     .top_k = 8,
                                     .expert_intermediate = 3072,
                                     .shared_intermediate = 3072});
  // The q/k norms (query_layernorm, key_layernorm of head_dim): 32 x 2 x 128.
  json no_norm = hunyuan_a13b();
  no_norm["use_qk_norm"] = false;
  CHECK(count_params(parse(no_norm)).total.value == 80393183232.0 - 32 * 2 * 128);
  // Without the mixed MLP there is no shared expert: 32 x 3 x 4096 x 3072 less.
  json no_shared = hunyuan_a13b();
  no_shared["use_mixed_mlp_moe"] = false;
  CHECK(count_params(parse(no_shared)).total.value == 80393183232.0 - 32 * 3 * 4096.0 * 3072);

  json differing = hunyuan_a13b();
  differing["moe_topk"][3] = 2;
  CHECK(first_error(differing) ==
        "model.configJson.moe_topk: moe_topk must give one value for every layer (per-layer "
        "values that differ are not supported yet)");
  json cla = hunyuan_a13b();
  cla["use_cla"] = true;
  CHECK(first_error(cla) ==
        "model.configJson.use_cla: cross-layer attention (use_cla) is not supported yet");
}
