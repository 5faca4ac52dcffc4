// Each trainer's defaults, with where they come from, and how a request that
// names no trainer is read.
#include "finetune/trainer.hpp"

namespace llmmem::finetune {

namespace {

// DeepSpeed ZeRO-3 keeps up to this many parameters gathered on each GPU
// (deepspeed/runtime/zero/config.py: max_live_parameters, alias
// stage3_max_live_parameters, default 1e9).
constexpr double kDeepSpeedMaxLiveParams = 1e9;

TrainerSettings defaults_of(Trainer t) {
  TrainerSettings s;
  s.trainer = t;
  switch (t) {
    case Trainer::HfTrainer:
      // transformers Trainer + PEFT: TrainingArguments(bf16=True) keeps fp32
      // parameters under autocast (PEFT adapters fp32); torch_compile=False;
      // the loss upcasts the logits inside ForCausalLMLoss (loss/loss_utils.py);
      // model.zero_grad() sets grads to None (torch >= 2.0); torch_empty_cache_steps=None;
      // optim defaults to "adamw_torch_fused" on torch >= 2.8 (training_args.py);
      // use_cache stays as config.json says unless gradient checkpointing turns it off.
      s.full_precision = s.lora_precision = TrainingPrecision::MixedBf16;
      s.fsdp_version = 1;  // accelerate FullyShardedDataParallelPlugin: fsdp_version 1
      break;
    case Trainer::Torchtune:
      // torchtune recipes/configs: dtype: bf16, compile: False, loss:
      // CEWithChunkedOutputLoss, optimizer torch.optim.AdamW fused: True;
      // recipes call zero_grad(set_to_none=True) and `del logits` before
      // backward; training.shard_model uses FSDP2 fully_shard, and
      // custom_sharded_layers (tok_embeddings, output) is commented out
      // (llama3_1/70B_lora.yaml), so they stay in the root unit.
      s.full_precision = s.lora_precision = TrainingPrecision::Bf16;
      s.chunked_loss = true;
      break;
    case Trainer::AccelerateFsdp:
      // accelerate FSDP plugin (FSDP1 by default; fsdp_version: 2 opts into
      // fully_shard), run by the Trainer: its precision and optimizer defaults.
      s.full_precision = s.lora_precision = TrainingPrecision::MixedBf16;
      s.fsdp_version = 1;
      break;
    case Trainer::FsdpQlora:
      // AnswerDotAI/fsdp_qlora train.py: precision "bf16" (pure), FSDP1
      // FullyShardedDataParallel(use_orig_params=False), optimizer "adamw"
      // -> torch.optim.AdamW(fused=False), cfg.use_cache=False, and the loop
      // keeps `output` (LlamaForCausalLM's logits.float()) until after the step.
      s.full_precision = s.lora_precision = TrainingPrecision::Bf16;
      s.loss = LossForm::HeldOutput;
      s.fused_optimizer = false;
      s.fsdp_version = 1;
      break;
    case Trainer::DeepSpeed:
      // DeepSpeed ZeRO with bf16/fp16 enabled keeps fp32 master weights in its
      // optimizer; FusedAdam / DeepSpeedCPUAdam kernels; stage 3 is ZeRO-3,
      // not FSDP, and keeps stage3_max_live_parameters gathered.
      s.full_precision = s.lora_precision = TrainingPrecision::MixedBf16;
      s.fsdp = false;
      s.zero3_max_live_params = kDeepSpeedMaxLiveParams;
      break;
    case Trainer::Unsloth:
      // Unsloth: PEFT LoRA under bf16 autocast, its Triton cross-entropy
      // works on chunks of the vocabulary and writes the gradient in place
      // (unsloth/kernels/cross_entropy_loss.py): no full fp32 copy of the logits.
      // Its use_gradient_checkpointing="unsloth" (the README's and notebooks'
      // setting) is Unsloth_Offloaded_Gradient_Checkpointer
      // (unsloth/models/_utils.py; now unsloth_zoo/gradient_checkpointing.py): each layer's input
      // goes to the CPU (hidden_states.to("cpu", non_blocking=True)) and comes back for that
      // layer's recompute in backward, so one layer's checkpoint is on the GPU.
      s.full_precision = s.lora_precision = TrainingPrecision::MixedBf16;
      // Its own prepare_model_for_kbit_training (unsloth/models/_utils.py,
      // dev.2023.12 on) only freezes the base and turns checkpointing on: the
      // embeddings, norms and lm_head stay 16-bit (PEFT's casts them to fp32).
      s.chunked_loss = true;
      s.offload_checkpoints = true;
      s.kbit_upcast = false;
      break;
    case Trainer::PlainPytorch:
      // A hand-written loop (the PEFT example scripts): the weights' own
      // dtype, no autocast (PEFT keeps adapters fp32: autocast_adapter_dtype),
      // torch.optim.AdamW's foreach default, config.json's use_cache.
      s.autocast = false;
      s.fused_optimizer = false;
      s.fsdp_version = 1;
      break;
  }
  return s;
}

// An HF Trainer or hand-written loop in fp32 or fp16 AMP: the regimes of the
// GPUs before bf16 (V100, T4) and of the torch 1.x stacks they were measured
// on. Both loops call zero_grad() without arguments (transformers Trainer:
// model.zero_grad(); PEFT's examples: optimizer.zero_grad()), and until
// torch 2.0 that kept every gradient allocated, zeroed (set_to_none=False;
// pytorch/pytorch#92731 changed the default). The HF model-memory-anatomy page
// (transformers docs, 2023, BERT-large fp32 AdamW) shows it: 8681 MiB at batch
// 1 and 14949 MiB at batch 4, 2.04 GiB per sequence over a fixed 5.13 GiB that
// is weights (1.25) + Adam (2.50) + gradients (1.25), not weights + Adam alone.
bool torch1_era(const Request& req) {
  const auto p = req.training_precision;
  if (p) return *p == TrainingPrecision::Fp32 || *p == TrainingPrecision::MixedFp16;
  return req.weights == "fp32" || req.weights == "fp16";
}

// A request that names no trainer: the trainer its other fields imply.
TrainerSettings inferred(const Request& req) {
  const bool lora = req.method != Method::Full;
  const auto precision = req.training_precision;
  auto pick = [](Trainer t, const char* why) {
    TrainerSettings s = defaults_of(t);
    s.why = why;
    // The precision default stays the weights' (finetune.cpp resolve_precision).
    s.full_precision = s.lora_precision = std::nullopt;
    // chunkedLoss absent: not chunked, unless the trainer has no other loss
    // (Unsloth's fused cross-entropy is not an option of it).
    if (t != Trainer::Unsloth) s.chunked_loss = false;
    return s;
  };
  if (req.chunked_loss.value_or(false) || req.optimizer_in_backward || req.activation_offloading)
    return pick(Trainer::Torchtune, "chunked loss / optimizer in backward / activation offloading");
  if (req.zero_stage == 3 && req.cpu_offload == CpuOffload::OptimizerParams && !precision)
    return pick(Trainer::DeepSpeed, "ZeRO-3 with parameter offload and no precision given");
  // Unsloth's README example and notebooks: FastLanguageModel(load_in_4bit=True),
  // optim="adamw_8bit" (bitsandbytes' non-paged 8-bit AdamW), one GPU, its own
  // attention kernels (Flash/xformers/SDPA, never eager). The HF QLoRA recipe
  // (Dettmers et al.'s qlora.py) pages its optimizer instead.
  if (req.method == Method::QLora4 && req.optimizer == Optimizer::AdamW8bit && req.gpus == 1 &&
      req.attention != Attention::Eager && !precision)
    return pick(Trainer::Unsloth, "4-bit LoRA with non-paged 8-bit AdamW on one GPU");
  if (precision == TrainingPrecision::Bf16 && lora && req.gpus > 1)
    return pick(Trainer::FsdpQlora, "pure bf16 LoRA on several GPUs");
  if (precision == TrainingPrecision::Bf16 || (!lora && !precision && req.weights == "bf16"))
    return pick(Trainer::Torchtune, "pure bf16");
  TrainerSettings s = lora && !precision && req.weights == "fp32"
                          ? pick(Trainer::PlainPytorch, "an fp32 LoRA run with no precision given")
                          : pick(Trainer::HfTrainer, "the default");
  if (torch1_era(req)) {
    s.zero_grad_set_to_none = false;
    s.why += "; fp32 / fp16 AMP, torch 1.x: zero_grad() keeps the gradients";
  }
  return s;
}

}  // namespace

TrainerSettings resolve_trainer(const Request& req) {
  TrainerSettings s = req.trainer ? defaults_of(*req.trainer) : inferred(req);
  s.named = req.trainer.has_value();
  if (s.named) s.why = "named";
  // config.json's use_cache=True stays on in training unless gradient
  // checkpointing turns it off (transformers: "use_cache=True is incompatible
  // with gradient checkpointing. Setting use_cache=False"); fsdp_qlora and
  // torchtune's own models keep no cache.
  s.use_cache = !req.gradient_checkpointing &&
                (s.trainer == Trainer::HfTrainer || s.trainer == Trainer::PlainPytorch ||
                 s.trainer == Trainer::AccelerateFsdp || s.trainer == Trainer::DeepSpeed);
  if (req.chunked_loss) s.chunked_loss = *req.chunked_loss;
  if (req.compile) s.compile = *req.compile;
  if (req.fsdp_version) s.fsdp_version = *req.fsdp_version;
  if (req.empty_cache_each_step) s.empty_cache_each_step = *req.empty_cache_each_step;
  if (req.use_cache) s.use_cache = *req.use_cache;
  if (req.fused_optimizer) s.fused_optimizer = *req.fused_optimizer;
  if (req.zero_grad_set_to_none) s.zero_grad_set_to_none = *req.zero_grad_set_to_none;
  s.offload_activations =
      req.activation_offloading || (s.offload_checkpoints && req.gradient_checkpointing);
  return s;
}

}  // namespace llmmem::finetune
