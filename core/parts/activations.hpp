// Activation memory of training: what autograd saves for the backward pass
// of each layer, derived from the layer's real shapes (attention widths under
// GQA/MLA, gated or plain MLP, MoE top-k, norms, dropout), what activation
// checkpointing keeps instead, and the logits / cross-entropy buffers.
#pragma once

#include <cstdint>
#include <string>

#include "api/request.hpp"
#include "model/model.hpp"

namespace llmmem {

struct ActivationSettings {
  double compute = 2;     // bytes of a 16-bit (2) or fp32 (4) activation
  bool autocast = false;  // mixed precision: LayerNorm and softmax run in fp32
  bool fp32_residual =
      false;  // fp32 parameters under autocast (HF AMP): the residual stream stays fp32
  Attention attention = Attention::Sdpa;
  bool dropout = false;        // the model trains with dropout (BERT, T5)
  bool full = true;            // every parameter trainable (norm outputs saved too)
  std::int64_t lora_rank = 0;  // > 0: LoRA adapters; their inputs and r-dim outputs are saved
  // Bytes per input element of the copy each LoRA adapter saves (PEFT casts x
  // to the adapter's dtype): 16-bit under autocast, fp32 without; 0: none.
  double lora_input_copy_bytes = 0;
  bool kv_expanded = false;  // K/V saved repeated to every query head (transformers repeat_kv)
  bool use_cache = false;    // the model's KV cache stays on in training (DynamicCache)
  double tokens = 0;         // micro-batch x seqLen
  double seq_len = 0;
  double batch = 0;
};

// Saved bytes of one layer for the whole micro-batch.
struct LayerActivation {
  double saved = 0;      // everything autograd keeps for this layer without checkpointing
  double input = 0;      // the layer input: all that checkpointing keeps
  double workspace = 0;  // transient gradient buffers while this layer runs backward
  double scores = 0;     // part of `saved` that is materialised attention scores (eager)
};

// `is_trainable(m)`: whether module m has trainable weights (full) or an adapter (LoRA).
template <typename Pred>
LayerActivation layer_activation(const ModelArch& arch, const LayerGroup& g,
                                 const ActivationSettings& s, Pred is_trainable);

// Logits and cross-entropy buffers at the start of the backward pass.
struct LogitsCost {
  double bytes = 0;
  double per_logit = 0;  // bytes per logit
  std::string formula;
};
struct LossSettings {
  bool chunked = false;      // torchtune CEWithChunkedOutputLoss
  bool compiled = false;     // torch.compile of the loss
  bool held_output = false;  // the loop keeps the model's fp32 logits through backward
};
// Bytes per logit held at the start of backward (e: the activations' bytes).
double loss_bytes_per_logit(const LossSettings& loss, double e);
LogitsCost logits_cost(const ModelArch& arch, const ActivationSettings& s, const LossSettings& loss,
                       double tp);

// Dropout in training: the families whose configs train with it.
bool trains_with_dropout(const ModelArch& arch);

// Per-token bytes of one layer, given which modules train; implementation of layer_activation.
LayerActivation layer_activation_impl(const ModelArch& arch, const LayerGroup& g,
                                      const ActivationSettings& s,
                                      const std::vector<bool>& trainable);

template <typename Pred>
LayerActivation layer_activation(const ModelArch& arch, const LayerGroup& g,
                                 const ActivationSettings& s, Pred is_trainable) {
  std::vector<bool> t;
  t.reserve(g.modules.size());
  for (const auto& m : g.modules) t.push_back(is_trainable(m));
  return layer_activation_impl(arch, g, s, t);
}

// torchtune CEWithChunkedOutputLoss: the loss runs over 8 chunks of the sequence.
inline constexpr double kLossChunks = 8;

}  // namespace llmmem
