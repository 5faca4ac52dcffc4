// The model as it really is: each decoder layer's attention and MLP shape,
// and every parameter tensor as a named module, so that parameter counting,
// LoRA targets, per-tensor quantization and sharding all walk one list.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/units.hpp"

namespace llmmem {

enum class NormKind { RmsNorm, LayerNorm, LayerNormNoBias };

enum class AttnKind {
  None,      // no attention in this layer (DeciLM no_op blocks)
  Standard,  // MHA, GQA or MQA: K and V of num_kv_heads x head_dim per token
  Mla,       // multi-head latent attention (DeepSeek): a compressed latent per token
  Cross,     // cross-attention to another sequence (mllama image tokens): no per-token KV
};

struct AttentionSpec {
  AttnKind kind = AttnKind::Standard;
  std::int64_t num_heads = 0;
  std::int64_t num_kv_heads = 0;
  std::int64_t head_dim = 0;        // query/key width per head
  std::int64_t v_head_dim = 0;      // value width per head (= head_dim except MLA)
  std::int64_t sliding_window = 0;  // 0 = global attention
  // Llama 4: the window is a chunk of attention_chunk_size tokens (each token
  // attends within its own chunk), cached like a window of that size.
  bool chunked = false;
  // MLA (DeepSeek V2/V3, Kimi K2)
  std::int64_t q_lora_rank = 0;  // 0 = plain q_proj
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_head_dim = 0;
  std::int64_t qk_rope_head_dim = 0;
  // Gemma 4 (attention_k_eq_v): the key projection also gives the values, so
  // the layer has no v_proj; K and V are still cached apart.
  bool v_from_k = false;
  // Gemma 4 num_kv_shared_layers: the layer reads the K and V of an earlier
  // layer of its kind, so it has no k/v projections and no cache of its own.
  bool kv_shared = false;
  // DeepSeek-V3.2's lightning indexer keeps a key of index_head_dim per token
  // beside the MLA latent; 0 = no indexer.
  std::int64_t index_head_dim = 0;
  friend bool operator==(const AttentionSpec&, const AttentionSpec&) = default;
};

enum class FfnKind { None, Dense, Moe };

struct FfnSpec {
  FfnKind kind = FfnKind::Dense;
  bool gated = true;              // gate, up, down (SwiGLU/GeGLU) versus up, down
  std::int64_t intermediate = 0;  // dense MLP width
  std::int64_t num_experts = 0;   // routed experts
  std::int64_t top_k = 0;         // experts per token
  std::int64_t expert_intermediate = 0;
  std::int64_t shared_intermediate = 0;  // total width of the shared expert(s), 0 = none
  friend bool operator==(const FfnSpec&, const FfnSpec&) = default;
};

struct LayerSpec {
  AttentionSpec attn;
  FfnSpec ffn;
  bool parallel = false;         // attention and MLP read the same input (Falcon, Command-R, NeoX)
  bool cross_attention = false;  // an extra encoder-decoder cross-attention block (T5 decoder)
  bool encoder = false;          // an encoder layer (BERT, T5 encoder): no KV cache
  // A recurrent token mixer's state per sequence, in elements: its
  // convolution's last kernel-1 inputs and the SSM state (Mamba-2 heads x
  // head_dim x ssm_state_size); 0 for attention layers.
  std::int64_t conv_state = 0, ssm_state = 0;
  friend bool operator==(const LayerSpec&, const LayerSpec&) = default;
};

enum class ModuleRole {
  Embedding,          // token embedding table
  PositionEmbedding,  // learned positions / token types (BERT, GPT-BigCode)
  Attention,          // q/k/v/o projections (and fused qkv, MLA projections)
  Mlp,                // dense gate/up/down
  Expert,             // routed expert matrices (one copy per expert)
  SharedExpert,       // always-active shared expert matrices
  Router,             // MoE gate
  Norm,               // normalisation weights (and biases)
  LmHead,             // output projection (absent when tied)
  Other,              // sinks, gates, poolers, relative position biases
  Vision,             // a multimodal encoder, counted whole
};

// One parameter tensor (with its bias), repeated `copies` times per layer
// (experts) and over the layers of its group.
struct Module {
  std::string name;  // the Hugging Face leaf name: "q_proj", "query_key_value", "experts.w1"
  ModuleRole role = ModuleRole::Other;
  std::int64_t in = 0;             // input features (rows for embeddings)
  std::int64_t out = 0;            // output features (width for embeddings and norms)
  bool bias = false;               // an extra `out` parameters per copy
  bool linear = false;             // an nn.Linear: a LoRA, bitsandbytes or GPTQ target
  std::int64_t copies = 1;         // per layer (experts), 1 otherwise
  std::int64_t active_copies = 1;  // used per token (top-k experts), = copies otherwise

  friend bool operator==(const Module&, const Module&) = default;
  constexpr double weight_elements() const { return double(in) * double(out); }
  constexpr double params_per_copy() const {
    return weight_elements() + (bias ? double(out) : 0.0);
  }
};

// Consecutive identical layers, stored once.
struct LayerGroup {
  std::int64_t first = 0;  // index of the first layer
  std::int64_t count = 0;  // how many consecutive layers share this shape
  LayerSpec spec;
  std::vector<Module> modules;
};

// Where the parameter-count conventions of a family differ.
struct ModelArch {
  std::string model_type;    // as in config.json ("llama", "qwen3_moe", ...)
  std::string display_name;  // preset name, or "<model_type> (config.json)"
  std::int64_t vocab_size = 0;
  std::int64_t hidden_size = 0;
  std::int64_t num_layers = 0;  // decoder layers (encoder + decoder for T5)
  std::int64_t max_position_embeddings = 0;
  bool tie_embeddings = false;
  NormKind norm = NormKind::RmsNorm;
  bool encoder_decoder = false;
  std::int64_t encoder_layers = 0;  // T5: the first encoder_layers groups are the encoder
  std::string torch_dtype;          // checkpoint dtype as the config states it ("" = unstated)
  bool ssm_state_fp32 = false;      // mamba_ssm_cache_dtype float32: the SSM state in 4 B

  // quantization_config, kept for the weights estimate.
  struct Quantization {
    std::string method;  // "fp8", "bitsandbytes", "gptq", "awq", "mxfp4", "compressed-tensors", ...
    int bits = 0;
    int group_size = 0;
    bool double_quant = false;
    std::vector<std::string> modules_not_converted;
  };
  std::optional<Quantization> quantization;

  std::vector<Module> head_modules;   // before the layers (embeddings)
  std::vector<LayerGroup> layers;     // the decoder (or encoder, then decoder) layers
  std::vector<Module> tail_modules;   // after the layers (final norm, lm_head, pooler)
  std::vector<Module> extra_modules;  // outside the text model (vision encoder, MTP)

  // The multi-token-prediction layers the checkpoint stores beside the model
  // (not loaded for plain inference, so outside every other count).
  std::int64_t mtp_layers = 0;
  double mtp_params = 0;

  std::vector<std::string> warnings;  // what the parser assumed

  // Walks every module with the number of layers it repeats over (1 outside
  // layers). A template, not a std::function: the walk runs in every estimate
  // and each search's probe, and the call through std::function cost ~5%.
  template <typename Fn>
  void for_each_module(Fn&& fn) const {
    for (const auto& m : head_modules) fn(m, std::int64_t{1});
    for (const auto& g : layers)
      for (const auto& m : g.modules) fn(m, g.count);
    for (const auto& m : tail_modules) fn(m, std::int64_t{1});
    for (const auto& m : extra_modules) fn(m, std::int64_t{1});
  }

  // The spec of layer i (0-based); an empty spec outside the model's layers.
  const LayerSpec& layer(std::int64_t i) const;
  bool is_moe() const;
};

struct ParamTotals {
  ParamCount total;
  ParamCount active;                    // per token: top-k experts, embedding and head counted
  ParamCount active_without_embedding;  // the convention of gpt-oss and DeepSeek-V2 statements
  ParamCount embedding;                 // input embedding table(s)
};

ParamTotals count_params(const ModelArch& arch);

// Parameters of one module over the whole model (copies x layers).
ParamCount module_params(const Module& m, std::int64_t layers);

// Appends a layer to the architecture, merging it into the last group when
// its shape is identical.
void append_layer(ModelArch& arch, const LayerSpec& spec, std::vector<Module> modules);

}  // namespace llmmem
