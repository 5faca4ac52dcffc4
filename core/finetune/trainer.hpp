// The trainer a fine-tuning run uses and the defaults it brings: precision,
// the loss and whether it is compiled or chunked, how gradients are zeroed,
// whether the cache is emptied, whether the model's KV cache stays on, the
// optimizer kernel, how FSDP wraps the model and how many parameters ZeRO-3
// keeps gathered. Each default names the trainer's code or docs (trainer.cpp)
// and each is overridden by its own request field.
#pragma once

#include <optional>
#include <string>

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem::finetune {

// Bytes per logit held at the start of the backward pass depend on how the loss runs.
enum class LossForm {
  Plain,       // F.cross_entropy on an fp32 upcast; the 16-bit logits stay referenced
  HeldOutput,  // the loop keeps the model's output (fp32 logits) through backward
};

struct TrainerSettings {
  Trainer trainer = Trainer::HfTrainer;
  bool named = false;  // the request named it (else inferred from the other fields)
  std::string why;     // how it was chosen, for the report's settings
  // trainingPrecision when the request gives none (std::nullopt: the weights decide).
  std::optional<TrainingPrecision> full_precision, lora_precision;
  bool autocast = true;       // LoRA under torch.autocast (else fp32 adapters see 16-bit inputs)
  bool compile = false;       // torch.compile of the model and the loss
  bool chunked_loss = false;  // torchtune CEWithChunkedOutputLoss
  LossForm loss = LossForm::Plain;
  bool zero_grad_set_to_none = true;
  bool empty_cache_each_step = false;
  bool use_cache = false;       // the KV cache left on while training
  bool fused_optimizer = true;  // fused Adam/AdamW (else the foreach path's temporary)
  bool fsdp = true;             // stage 3 is FSDP (else DeepSpeed ZeRO-3)
  std::int64_t fsdp_version = 2;
  bool root_unit_unsharded = true;   // embeddings / lm_head / final norm in FSDP's root unit
  double zero3_max_live_params = 0;  // DeepSpeed stage3_max_live_parameters (0: not DeepSpeed)
  // A 4-bit/8-bit base's 16-bit parameters (embeddings, norms, lm_head) cast to fp32 when
  // the adapters are added (PEFT prepare_model_for_kbit_training).
  bool kbit_upcast = true;
  // Gradient checkpointing keeps its checkpoints in CPU memory (Unsloth's "unsloth" mode).
  bool offload_checkpoints = false;
  // Saved activations on the CPU but the layer in flight: activationOffloading, or the
  // checkpoints when offload_checkpoints and gradient checkpointing are both on.
  bool offload_activations = false;
};

// The trainer named by the request, or the one its other fields imply, with
// every override of the request applied.
TrainerSettings resolve_trainer(const Request& req);

}  // namespace llmmem::finetune
