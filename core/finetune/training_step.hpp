// The quantities of one training step, resolved once from the request and
// read by each stage of the walk (finetune.cpp: the set-up and the static
// state; step_walk.cpp: the step's moments and what is live at the peak).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/report.hpp"
#include "api/request.hpp"
#include "finetune/trainer.hpp"
#include "formats/formats.hpp"
#include "model/model.hpp"
#include "parts/activations.hpp"
#include "parts/lora.hpp"
#include "parts/optimizer.hpp"

namespace llmmem::finetune {

// How the run is set up: the base weights, the precision and the parallelism.
struct TrainingSetup {
  TrainerSettings trainer;
  std::string weights_id;  // the base format, after QLoRA's default
  const WeightFormat* format = nullptr;
  bool lora = false;        // LoRA or QLoRA: adapters train, the base is frozen
  bool float_base = false;  // fp32, bf16 or fp16 base weights
  bool bnb_base = false;    // a bitsandbytes int8 / nf4 / 4-bit base
  TrainingPrecision precision = TrainingPrecision::Bf16;
  PrecisionRegime regime;
  // The PEFT QLoRA recipe (HF Trainer with autocast) upcasts the unquantized
  // modules to fp32; torchtune and fsdp_qlora (pure bf16) do not.
  bool peft_kbit = false;
  Attention attention = Attention::Sdpa;
  double tensor_parallel = 1, data_parallel = 1;
  int zero_stage = 0;
  bool offload_optimizer = false;
  bool offload_params = false;  // FSDP CPUOffload(offload_params) moves gradients too
  double tokens = 0;            // micro-batch × seqLen
  // How many ways each state is split: tensor parallelism, times the data
  // parallel ranks where the ZeRO stage shards it (3: weights, 1: optimizer, 2: gradients).
  double weight_shards = 1, optimizer_shards = 1, gradient_shards = 1;
};

// One group of identical layers: what each keeps for the backward pass and
// the gradients it creates there (this GPU's share).
struct LayerCost {
  std::int64_t count = 0;
  LayerActivation act;
  double grad = 0;     // gradient bytes of one layer's trainable parameters (this GPU)
  double weights = 0;  // parameters of one layer (for gathered buffers)
};

// What is live at one moment of the step.
struct Phase {
  double act = 0, logits = 0, grads = 0, work = 0;  // work: optimizer-step temporaries
  double gathered = 0;  // unsharded parameters (FSDP units, ZeRO-3 live parameters)
  double copies = 0;    // torch.autocast's 16-bit casts of fp32 weights (full AMP)
  double buckets = 0;   // DeepSpeed ZeRO-1/2's gradient bucket, allocated when backward starts
  std::string where;
  double total() const { return act + logits + grads + work + gathered + copies + buckets; }
};

// Parameters that stage 3 gathers, per moment of the step (finetune.cpp).
struct Gathered {
  double root = 0;      // FSDP's root unit (embeddings, lm_head, final norm): kept after forward
  double layers = 0;    // FSDP: the layer being computed and the one prefetched
  double live = 0;      // DeepSpeed: stage3_max_live_parameters and the largest tensor, whole
  double pool = 0;      // FSDP: the all-gather stream's cached blocks (reserved, not allocated)
  std::string formula;  // how, for the report
};

struct TrainingStep {
  TrainingSetup setup;
  ParamTotals totals;
  LoraPlan lora_plan;
  double trainable = 0;  // trainable parameters of the whole model

  // Static state.
  double weights_all = 0;  // base or trained weights, before sharding
  double weights = 0;      // weights on this GPU
  // Full fine-tuning under torch.autocast: the 16-bit casts of the fp32
  // weights exist from the forward pass until backward has used them, never at
  // the optimizer step (finetune.cpp set_weights); 0 where the weights are static.
  double copies = 0;        // all of them (at the loss; in backward without checkpointing)
  double copies_layer = 0;  // in backward with checkpointing: one recomputed layer + lm_head
  std::string copies_rule;
  OptimizerCost optimizer;

  // Dynamic state, layer by layer.
  ActivationSettings activation;
  double activation_tp = 1;  // Korthikanti's TP factor on the per-layer activations
  std::vector<LayerCost> layers;
  double max_layer_params = 0;
  double max_tensor_grad = 0;   // optimizer-in-backward frees each gradient after its step
  double max_tensor_elems = 0;  // the largest trainable tensor (optimizer-step temporaries)
  double head_grad = 0;         // lm_head (+ final norm): the first gradients of backward
  double embed_grad = 0;        // embeddings: the last
  LogitsCost logits;
  Gathered gathered;
  double all_grads = 0;  // every gradient of this GPU, as the optimizer step sees them
  // DeepSpeed's reduce bucket (finetune.cpp plan_reduce_bucket): ZeRO-3 keeps
  // it from the optimizer's creation (static), ZeRO-1/2 from the start of
  // each backward to the end of its reduction (backward_bucket).
  double static_bucket = 0, backward_bucket = 0;
  std::string bucket_rule;
  Phase peak;
};

// step_walk.cpp: the layers' activations and gradients, the three moments of
// the step, and the dynamic components as they stand at the peak.
void cost_layers(const Request& req, const ModelArch& arch, TrainingStep& step);
Phase find_peak(const Request& req, TrainingStep& step);
void set_live_components(const Request& req, const TrainingStep& step, Report& r);

}  // namespace llmmem::finetune
