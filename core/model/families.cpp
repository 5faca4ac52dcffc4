#include "model/families.hpp"

#include <algorithm>
#include <vector>

namespace llmmem {
namespace {

using enum AttentionBiasField;
using enum SlidingLayers;

constexpr ModuleNames kMixtralNames{.router = "block_sparse_moe.gate",
                                    .experts = "block_sparse_moe.experts",
                                    .expert_gate = "w1",
                                    .expert_up = "w3",
                                    .expert_down = "w2"};
constexpr ModuleNames kSharedExpertsNames{.shared = "shared_experts"};
constexpr std::array<std::string_view, 4> kSandwichNorms{
    "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
    "post_feedforward_layernorm"};
constexpr ModuleNames kFalconNames{.embed = "word_embeddings",
                                   .final_norm = "ln_f",
                                   .o = "dense",
                                   .fused_qkv = "query_key_value",
                                   .up = "dense_h_to_4h",
                                   .down = "dense_4h_to_h"};
constexpr ModuleNames kNeoxNames{.embed = "embed_in",
                                 .lm_head = "embed_out",
                                 .final_norm = "final_layer_norm",
                                 .o = "dense",
                                 .fused_qkv = "query_key_value",
                                 .up = "dense_h_to_4h",
                                 .down = "dense_4h_to_h"};
constexpr ModuleNames kGpt2Names{.embed = "wte",
                                 .final_norm = "ln_f",
                                 .layer_norms = {"ln_1", "ln_2"},
                                 .o = "c_proj",
                                 .fused_qkv = "c_attn",
                                 .up = "c_fc",
                                 .down = "c_proj",
                                 .positions = "wpe"};
constexpr ModuleNames kBloomNames{.embed = "word_embeddings",
                                  .final_norm = "ln_f",
                                  .o = "dense",
                                  .fused_qkv = "query_key_value",
                                  .up = "dense_h_to_4h",
                                  .down = "dense_4h_to_h",
                                  .embed_norm = "word_embeddings_layernorm"};

// Gemma3TextConfig defaults.
constexpr SizeDefaults kGemma3TextDefaults{.vocab = 262208,
                                           .hidden = 2304,
                                           .layers = 26,
                                           .heads = 8,
                                           .kv_heads = 4,
                                           .intermediate = 9216,
                                           .max_positions = 131072};

// Gemma4TextConfig defaults (transformers models/gemma4/configuration_gemma4.py).
constexpr SizeDefaults kGemma4TextDefaults{.vocab = 262144,
                                           .hidden = 2304,
                                           .layers = 30,
                                           .heads = 8,
                                           .kv_heads = 4,
                                           .intermediate = 9216,
                                           .max_positions = 131072};

// Llama4TextConfig defaults (transformers models/llama4/configuration_llama4.py).
constexpr SizeDefaults kLlama4TextDefaults{.vocab = 202048,
                                           .hidden = 5120,
                                           .layers = 48,
                                           .heads = 40,
                                           .kv_heads = 8,
                                           .intermediate = 8192,
                                           .max_positions = 131072,
                                           .dense_width = 16384};

constexpr Family kFamilies[] = {
    // Llama-style decoders that differ from the defaults in untied embeddings only.
    {.model_type = "llama", .tie_default = false},
    {.model_type = "mistral", .tie_default = false},
    {.model_type = "ministral", .tie_default = false},
    {.model_type = "ministral3", .tie_default = false},
    {.model_type = "granite", .tie_default = false},
    {.model_type = "nemotron-nas", .tie_default = false},
    {.model_type = "yi", .tie_default = false},
    {.model_type = "internlm2", .tie_default = false},
    {.model_type = "exaone", .tie_default = false},
    // MllamaTextModel: nn.Embedding(vocab_size + 8, hidden_size).
    {.model_type = "mllama_text_model", .tie_default = false, .extra_embedding_rows = 8},
    {.model_type = "deepseek_v2", .names = kSharedExpertsNames, .tie_default = false},
    {.model_type = "deepseek_v3",
     .names = kSharedExpertsNames,
     .tie_default = false,
     .correction_bias_from_topk_method = true},
    // DeepSeek-V3.2: V3 plus the indexer (index_n_heads x index_head_dim).
    {.model_type = "deepseek_v32",
     .names = kSharedExpertsNames,
     .dsa_indexer = true,
     .tie_default = false,
     .correction_bias_from_topk_method = true},
    {.model_type = "kimi_k2",
     .names = kSharedExpertsNames,
     .tie_default = false,
     .correction_bias_from_topk_method = true},
    // Glm4MoeLiteConfig (transformers 5): DeepSeek-V3's MLA and noaux_tc MoE.
    {.model_type = "glm4_moe_lite",
     .names = kSharedExpertsNames,
     .tie_default = false,
     .correction_bias_from_topk_method = true},
    // KimiLinearConfig (moonshotai remote code): KDA layers, MLA without rope
    // on the others, sigmoid router with a correction bias.
    {.model_type = "kimi_linear",
     .names = kSharedExpertsNames,
     .router_correction_bias = true,
     .kimi_delta = true,
     .tie_default = false},
    {.model_type = "mixtral", .names = kMixtralNames, .tie_default = false},
    // HunYuanMoEV1Config / modeling_hunyuan_v1_moe.py (transformers): a router
    // (gate.wg), experts of moe_intermediate_size, a shared MLP of
    // intermediate_size x num_shared_expert (under use_mixed_mlp_moe), q/k
    // norms of head_dim under use_qk_norm; per-layer lists of one value.
    {.model_type = "hunyuan_v1_moe",
     .names = {.router = "mlp.gate.wg", .experts = "mlp.experts", .shared = "mlp.shared_mlp"}},
    // Llama4TextConfig / modeling_llama4.py (transformers): q/k norms without
    // weights (Llama4TextL2Norm), MoE layers of a router, experts with fused
    // gate_up_proj and one shared expert of intermediate_size, dense layers of
    // intermediate_size_mlp; RoPE layers chunked, NoPE layers global.
    {.model_type = "llama4_text",
     .names = {.router = "router", .expert_fused_gate_up = "gate_up_proj"},
     .chunked_attention = true,
     .dense_width_field = "intermediate_size_mlp",
     .default_shared_experts = 1,
     .tie_default = false,
     .default_head_dim = 128,
     .defaults = kLlama4TextDefaults,
     .qk_norm_when_enabled = QkNorm::None},
    // MiniMaxM2Config (transformers 5): Mixtral's expert names, q/k norms over
    // all heads (qk_norm_type per_layer), a sigmoid router with a correction
    // bias (use_routing_bias), every layer full attention (attn_type_list 1).
    {.model_type = "minimax_m2",
     .names = kMixtralNames,
     .router_correction_bias = true,
     .tie_default = false,
     .qk_norm_when_enabled = QkNorm::Full},
    {.model_type = "qwen2",
     .qkv_bias = true,
     .tie_default = false,
     .attention_bias = AddsToQkvAndO,
     .sliding_layers = FromMaxWindowLayers},
    {.model_type = "qwen2_vl",
     .qkv_bias = true,
     .tie_default = false,
     .attention_bias = AddsToQkvAndO,
     .vision = VisionTower::Qwen2Vl},
    {.model_type = "qwen2_5_vl",
     .qkv_bias = true,
     .tie_default = false,
     .attention_bias = AddsToQkvAndO,
     .vision = VisionTower::Qwen25Vl},
    {.model_type = "qwen2_moe",
     .qkv_bias = true,
     .shared_expert_gate = true,
     .tie_default = false,
     .attention_bias = AddsToQkvAndO,
     .sliding_layers = FromMaxWindowLayers},
    {.model_type = "qwen3",
     .qk_norm = QkNorm::PerHead,
     .tie_default = false,
     .sliding_layers = FromMaxWindowLayers},
    // Qwen3VLTextConfig: Qwen3's decoder under Qwen3-VL (no sliding window).
    {.model_type = "qwen3_vl_text", .qk_norm = QkNorm::PerHead, .tie_default = false},
    {.model_type = "qwen3_moe",
     .qk_norm = QkNorm::PerHead,
     .tie_default = false,
     .sliding_layers = FromMaxWindowLayers},
    // SmolLM3Config: a Llama with NoPE layers (no_rope_layers, no parameters)
    // and tied embeddings by default (HuggingFaceTB/SmolLM3-3B has no lm_head).
    {.model_type = "smollm3", .sliding_layers = FromMaxWindowLayers},
    // Qwen3NextConfig: Qwen3-MoE with a gated shared expert, Gated DeltaNet
    // layers and gated attention.
    {.model_type = "qwen3_next",
     .qk_norm = QkNorm::PerHead,
     .shared_expert_gate = true,
     .gated_delta_net = true,
     .attention_output_gate = true,
     .tie_default = false},
    // Qwen3_5TextConfig / Qwen3_5MoeTextConfig (transformers 5): Qwen3-Next's
    // layers (Gated DeltaNet with split input projections, gated attention)
    // with a dense MLP or Qwen3-Next's MoE.
    {.model_type = "qwen3_5_text",
     .qk_norm = QkNorm::PerHead,
     .gated_delta_net = true,
     .delta_net_split_in_proj = true,
     .attention_output_gate = true,
     .tie_default = false},
    {.model_type = "qwen3_5_moe_text",
     .qk_norm = QkNorm::PerHead,
     .shared_expert_gate = true,
     .gated_delta_net = true,
     .delta_net_split_in_proj = true,
     .attention_output_gate = true,
     .tie_default = false},
    {.model_type = "gemma", .default_head_dim = 256},
    // NemotronHConfig (nvidia remote code, transformers 4.55): one block per
    // layer, relu2 MLPs and experts, noaux_tc router, untied embeddings.
    {.model_type = "nemotron_h",
     .names = {.embed = "embeddings",
               .final_norm = "norm_f",
               .layer_norms = {"norm"},
               .o = "o_proj",
               .shared = "shared_experts"},
     .gated = false,
     .router_correction_bias = true,
     .hybrid_pattern = true,
     .tie_default = false},
    // GraniteMoeHybridConfig / modeling_granitemoehybrid.py (transformers):
    // layer_types "mamba" layers a Mamba-2 mixer, "attention" layers attention
    // without position embeddings; every layer then the MoE (a router, experts
    // with a fused input_linear) and the shared MLP of shared_intermediate_size,
    // which is the dense MLP when there are no experts.
    {.model_type = "granitemoehybrid",
     .names = {.down = "shared_mlp.output_linear",
               .fused_gate_up = "shared_mlp.input_linear",
               .router = "block_sparse_moe.router.layer",
               .experts = "block_sparse_moe",
               .expert_down = "output_linear",
               .expert_fused_gate_up = "input_linear",
               .shared = "shared_mlp"},
     .mamba_layer_types = true,
     .dense_width_field = "shared_intermediate_size",
     .tie_default = false},
    // JambaConfig / modeling_jamba.py (transformers): Mamba-1 mixers
    // (JambaMambaMixer, with RMSNorms of dt, B and C) or attention, then a
    // dense MLP or a routed MoE (router, experts, no shared expert); untied.
    {.model_type = "jamba",
     .names = {.final_norm = "final_layernorm",
               .layer_norms = {"input_layernorm", "pre_ff_layernorm"},
               .router = "feed_forward.router",
               .experts = "feed_forward.experts"},
     .jamba_layers = true,
     .tie_default = false},
    // Lfm2Config: attention layers with per-head q/k norms between gated
    // short convolutions; tied embeddings, intermediate_size 12288 by default.
    {.model_type = "lfm2",
     .names = {.final_norm = "embedding_norm",
               .layer_norms = {"operator_norm", "ffn_norm"},
               .o = "out_proj",
               .gate = "w1",
               .up = "w3",
               .down = "w2"},
     .qk_norm = QkNorm::PerHead,
     .short_conv = true,
     .defaults = {.intermediate = 12288}},
    {.model_type = "gemma2",
     .names = {.layer_norms = kSandwichNorms},
     .default_head_dim = 256,
     .sliding_layers = EvenLayers,
     .default_sliding_window = 4096},
    {.model_type = "gemma3_text",
     .names = {.layer_norms = kSandwichNorms},
     .qk_norm = QkNorm::PerHead,
     .default_head_dim = 256,
     .defaults = kGemma3TextDefaults,
     .sliding_layers = AllButEveryNth,
     .default_sliding_window = 4096,
     .default_sliding_pattern = 6},
    // Gemma4TextConfig: Gemma 3's sandwich norms and q/k norms (v_norm has no
    // scale), global layers of their own geometry (layer_kinds.cpp), 5:1
    // sliding by default with a 512 window.
    {.model_type = "gemma4_text",
     .names = {.layer_norms = kSandwichNorms},
     .qk_norm = QkNorm::PerHead,
     .gemma4_layers = true,
     .default_head_dim = 256,
     .defaults = kGemma4TextDefaults,
     .sliding_layers = AllButEveryNth,
     .default_sliding_window = 512,
     .default_sliding_pattern = 6},
    {.model_type = "phi3",
     .names = {.fused_qkv = "qkv_proj", .fused_gate_up = "gate_up_proj"},
     .tie_default = false},
    {.model_type = "olmo2",
     .names = {.layer_norms = {"post_attention_layernorm", "post_feedforward_layernorm"}},
     .qk_norm = QkNorm::Full,
     .tie_default = false,
     .qk_norm_when_enabled = QkNorm::Full},
    // Olmo3Config / modeling_olmo3.py (transformers): OLMo 2's layers (the two
    // post-norms, q_norm and k_norm over all heads) with layer_types of
    // sliding_attention (window 4096) and every fourth layer full_attention,
    // which is also the config class's default when layer_types is absent.
    {.model_type = "olmo3",
     .names = {.layer_norms = {"post_attention_layernorm", "post_feedforward_layernorm"}},
     .qk_norm = QkNorm::Full,
     .tie_default = false,
     .qk_norm_when_enabled = QkNorm::Full,
     .sliding_layers = AllButEveryNth,
     .default_sliding_window = 4096,
     .default_sliding_pattern = 4},
    // SeedOssConfig / modeling_seed_oss.py (transformers): a Llama whose q, k
    // and v carry a bias under attention_bias (default true) and o_proj one
    // under attention_out_bias (default false); the MLP under mlp_bias; untied.
    {.model_type = "seed_oss", .qkv_bias = true, .tie_default = false, .attention_bias = QkvOnly},
    // Ernie4_5Config / modular_ernie4_5.py (transformers): a Llama whose
    // use_bias puts a bias on q, k, v, o and the three MLP projections; tied
    // by default.
    {.model_type = "ernie4_5", .bias_field = "use_bias"},
    {.model_type = "cohere",
     .names = {.layer_norms = {"input_layernorm"}},
     .norm = NormKind::LayerNormNoBias,
     .parallel = true,
     .qk_norm_when_enabled = QkNorm::Full},
    {.model_type = "cohere2",
     .names = {.layer_norms = {"input_layernorm"}},
     .norm = NormKind::LayerNormNoBias,
     .parallel = true,
     .sliding_layers = AllButEveryNth,
     .default_sliding_pattern = 4},
    {.model_type = "glm4",
     .names = {.layer_norms = {"input_layernorm", "post_self_attn_layernorm",
                               "post_attention_layernorm", "post_mlp_layernorm"},
               .fused_gate_up = "gate_up_proj"},
     .tie_default = false,
     .attention_bias = QkvOnly},
    {.model_type = "glm4_moe",
     .names = kSharedExpertsNames,
     .router_correction_bias = true,
     .tie_default = false,
     .attention_bias = QkvOnly},
    {.model_type = "gpt_oss",
     .names = {.router = "router", .expert_fused_gate_up = "gate_up_proj"},
     .qkv_bias = true,
     .o_bias = true,
     .sinks = true,
     .expert_bias = true,
     .router_bias = true,
     .tie_default = false,
     .sliding_layers = EvenLayers},
    // tiiuae's configs omit tie_word_embeddings; the checkpoints and litgpt
    // carry a separate lm_head, which the catalog counts (model-configs.md).
    {.model_type = "falcon",
     .names = kFalconNames,
     .norm = NormKind::LayerNorm,
     .gated = false,
     .tie_default = false,
     .kv_heads = KvHeadsField::Falcon,
     .bias_field = "bias"},
    {.model_type = "gpt_neox",
     .names = kNeoxNames,
     .norm = NormKind::LayerNorm,
     .gated = false,
     .qkv_bias = true,
     .o_bias = true,
     .mlp_bias = true,
     .tie_default = false},
    {.model_type = "gpt_bigcode",
     .names = kGpt2Names,
     .norm = NormKind::LayerNorm,
     .gated = false,
     .qkv_bias = true,
     .o_bias = true,
     .mlp_bias = true,
     .kv_heads = KvHeadsField::MultiQuery},
    {.model_type = "gpt2",
     .names = kGpt2Names,
     .norm = NormKind::LayerNorm,
     .gated = false,
     .qkv_bias = true,
     .o_bias = true,
     .mlp_bias = true},
    {.model_type = "bloom",
     .names = kBloomNames,
     .norm = NormKind::LayerNorm,
     .gated = false,
     .qkv_bias = true,
     .o_bias = true,
     .mlp_bias = true},

    // Encoders and encoder-decoders.
    {.model_type = "bert", .builder = Builder::BertEncoder},
    {.model_type = "roberta", .builder = Builder::BertEncoder},
    {.model_type = "t5", .builder = Builder::T5},
    {.model_type = "mt5", .builder = Builder::T5},
    {.model_type = "umt5", .builder = Builder::T5},

    // Multimodal wrappers: the text decoder's fields live under text_config.
    {.model_type = "gemma3",
     .builder = Builder::MultimodalWrapper,
     .text_decoder = "gemma3_text",
     .read_in_text_config = "",
     .vision = VisionTower::Siglip},
    // Gemma4ForConditionalGeneration: the text model, a vision tower and its
    // embedder (vision.cpp); an audio tower is not counted (a warning).
    {.model_type = "gemma4",
     .builder = Builder::MultimodalWrapper,
     .text_decoder = "gemma4_text",
     .read_in_text_config = "",
     .vision = VisionTower::Gemma4},
    // Qwen3VLForConditionalGeneration: Qwen3 and the Qwen3-VL vision tower
    // with its deepstack mergers (vision.cpp).
    {.model_type = "qwen3_vl",
     .builder = Builder::MultimodalWrapper,
     .text_decoder = "qwen3_vl_text",
     .read_in_text_config = "",
     .vision = VisionTower::Qwen3Vl},
    // Qwen3_5(Moe)ForConditionalGeneration: the text model and a Qwen3-VL
    // style vision tower (vision.cpp).
    {.model_type = "qwen3_5",
     .builder = Builder::MultimodalWrapper,
     .text_decoder = "qwen3_5_text",
     .read_in_text_config = "",
     .vision = VisionTower::Qwen3Vl},
    {.model_type = "qwen3_5_moe",
     .builder = Builder::MultimodalWrapper,
     .text_decoder = "qwen3_5_moe_text",
     .read_in_text_config = "",
     .vision = VisionTower::Qwen3Vl},
    // Llama4ForConditionalGeneration: the text model, the vision model and
    // the multi-modal projector (vision.cpp).
    {.model_type = "llama4",
     .builder = Builder::MultimodalWrapper,
     .text_decoder = "llama4_text",
     .read_in_text_config = "",
     .vision = VisionTower::Llama4},
    {.model_type = "mllama",
     .builder = Builder::MultimodalWrapper,
     .text_decoder = "mllama_text_model"},
    {.model_type = "mistral3",
     .builder = Builder::MultimodalWrapper,
     .text_decoder = "llama",
     .read_in_text_config = "mistral"},
    {.model_type = "pixtral", .builder = Builder::MultimodalWrapper, .text_decoder = "llama"},
    {.model_type = "llava", .builder = Builder::MultimodalWrapper, .text_decoder = "llama"},
    {.model_type = "llava_next", .builder = Builder::MultimodalWrapper, .text_decoder = "llama"},
};

}  // namespace

const Family* find_family(std::string_view model_type) {
  for (const Family& family : kFamilies)
    if (family.model_type == model_type) return &family;
  return nullptr;
}

std::string known_model_types(std::size_t most) {
  std::vector<std::string_view> types;
  for (const Family& family : kFamilies) types.push_back(family.model_type);
  std::sort(types.begin(), types.end());
  std::string out;
  for (std::size_t i = 0; i < types.size() && i < most; ++i)
    out += (i ? ", " : "") + std::string(types[i]);
  if (types.size() > most) out += ", ...";
  return out;
}

std::string_view text_decoder_of(std::string_view model_type) {
  const Family* family = find_family(model_type);
  return family && !family->text_decoder.empty() ? family->text_decoder : model_type;
}

}  // namespace llmmem
