// Fine-tuning memory per GPU at the peak of a training step.
//
// Static state: weights (frozen base or trainable model), LoRA adapters,
// fp32 master copies, optimizer states, each sharded as ZeRO/FSDP and
// tensor parallelism shard them, or offloaded to the CPU.
// Dynamic state: the step is walked as PyTorch runs it. At the loss, every
// layer's saved activations (or checkpointed inputs) and the logits buffers
// are live and no gradient exists yet (optimizer.zero_grad(set_to_none=True),
// the default in torchtune and the HF Trainer). Then the backward pass frees
// each layer's activations as it creates that layer's gradients; with
// checkpointing the layer is recomputed first. After it, every gradient
// exists for the optimizer step. The peak is the largest of these moments,
// and the report's activations / logits / gradients are what is live then.
//
// This file: the regime, the trainable parameters and the static state, then
// the walk (step_walk.cpp) and the buffers around it, in the order of
// estimate_finetune at the bottom.
#include "finetune/finetune.hpp"

#include <algorithm>
#include <optional>

#include "finetune/accuracy.hpp"
#include "finetune/training_step.hpp"
#include "parts/weights.hpp"
#include "util/formula.hpp"
#include "util/text.hpp"

namespace llmmem {

namespace finetune {
namespace {

// CUDA context of a PyTorch process on CUDA 12 with lazy module loading
// (CUDA_MODULE_LOADING=LAZY, the default since PyTorch 1.13 / CUDA 11.7):
// about 300-600 MiB depending on the card and libraries; the HF anatomy doc
// measured 1343 MiB on a V100 with eager loading. Not in torch's allocator stats.
constexpr double kCudaContextMiB = 500;
// PyTorch's caching allocator: peak reserved runs about 11% above peak
// allocated in a plain training loop (pytorch/pytorch#40989: 15006 vs 16726
// MB, 17402 vs 19354 MB: +11.5%, +11.2% of the allocated peak).
constexpr double kAllocatorReserve = 0.11;
// A loop that calls torch.cuda.empty_cache() every step returns the freed
// blocks: reserved stays within a few percent of allocated (~0-2%, #17).
constexpr double kAllocatorReserveEmptied = 0.02;
// FSDP / ZeRO-3 keep the layer being computed and the one prefetched
// (backward_prefetch=BACKWARD_PRE, DeepSpeed stage3_prefetch) unsharded.
constexpr double kGatheredLayers = 2;
// DeepSpeed's gradient-reduction bucket, in elements: reduce_bucket_size
// defaults to 5e8 (deepspeed/runtime/zero/config.py). accelerate's
// DeepSpeedPlugin (a yaml config, no json: the PEFT and accelerate examples)
// writes no reduce_bucket_size, so the default holds; only a json config with
// "auto" gets hidden_size² (accelerate accelerator.py _prepare_deepspeed).
constexpr double kDeepSpeedReduceBucket = 5e8;
// fp32 master weights and Adafactor's factored states: 4 bytes each.
constexpr double kFp32Bytes = 4;
// PEFT's kbit upcast: a 16-bit parameter becomes fp32, 2 bytes more.
constexpr double kUpcastExtraBytes = kFp32Bytes - 2;

std::string gib(double b) {
  return format_gib(Bytes(b));
}

// ---- the regime --------------------------------------------------------------------

// The base weights' format: QLoRA's default when none is given, and which
// formats each method can train.
std::optional<Report> resolve_base_weights(const Request& req, TrainingSetup& s) {
  s.lora = req.method != Method::Full;
  s.weights_id = req.weights;
  if (!req.weights_given && req.method == Method::QLora4) s.weights_id = "nf4";
  if (!req.weights_given && req.method == Method::QLora8) s.weights_id = "int8";
  s.format = find_weight_format(s.weights_id);
  const std::string& wid = s.weights_id;
  if (!s.format) return error_report({{"weights", "unknown weight format \"" + wid + "\""}});
  const FormatFamily family = s.format->family;
  s.float_base = family == FormatFamily::Float;
  s.bnb_base = family == FormatFamily::BnbInt8 || family == FormatFamily::BnbNf4 ||
               family == FormatFamily::Int4;
  if (!s.lora && !s.float_base)
    return error_report(
        {{"weights", "full fine-tuning trains float weights: use fp32, bf16 or fp16 (got " + wid +
                         "), or method lora/qlora for a quantized base"}});
  if (s.lora && !s.float_base && !s.bnb_base)
    return error_report(
        {{"weights",
          "a LoRA base must be fp32, bf16, fp16, int8 or nf4 (bitsandbytes); got " + wid}});
  return std::nullopt;
}

// trainingPrecision, or the default of the framework the request implies.
void resolve_precision(const Request& req, TrainingSetup& s, Report& r) {
  const auto& named = s.lora ? s.trainer.lora_precision : s.trainer.full_precision;
  if (req.training_precision) {
    s.precision = *req.training_precision;
  } else if (named) {
    s.precision = *named;
  } else if (s.weights_id == "fp32") {
    s.precision = TrainingPrecision::Fp32;
  } else if (s.weights_id == "fp16") {
    s.precision = TrainingPrecision::MixedFp16;
  } else if (!s.lora) {
    s.precision = TrainingPrecision::Bf16;
    r.warnings.push_back(
        "trainingPrecision not given: pure bf16 weights, gradients and optimizer states "
        "(torchtune's default)");
  } else {
    s.precision = TrainingPrecision::MixedBf16;
    r.warnings.push_back(
        "trainingPrecision not given: fp32 LoRA adapters with bf16 autocast (PEFT + HF Trainer "
        "bf16=True)");
  }
  s.regime = precision_regime(s.precision);
  s.peft_kbit = s.lora && s.bnb_base && s.regime.master_copy && s.trainer.kbit_upcast;
}

// Tensor and data parallelism, the ZeRO stage, and what is offloaded.
void resolve_parallelism(const Request& req, TrainingSetup& s, Report& r) {
  s.attention = req.attention.value_or(Attention::Sdpa);
  s.tensor_parallel = double(req.tensor_parallel);
  s.data_parallel = double(req.gpus) / s.tensor_parallel;
  s.zero_stage = int(req.zero_stage);
  s.offload_optimizer = req.cpu_offload != CpuOffload::None;
  s.offload_params = req.cpu_offload == CpuOffload::OptimizerParams && s.zero_stage == 3;
  if (req.cpu_offload == CpuOffload::OptimizerParams && s.zero_stage != 3)
    r.warnings.push_back(
        "parameter offload needs ZeRO-3 / FSDP full shard: only the optimizer is offloaded");
  s.tokens = double(req.batch) * double(req.seq_len);
  const double tp = s.tensor_parallel, dp = s.data_parallel;
  // QLoRA sharded by FSDP / DeepSpeed ZeRO-3 skips PEFT's kbit preparation:
  // TRL's SFTTrainer calls prepare_model_for_kbit_training only when the
  // Params4bit are not on cpu/meta ("one should never call
  // peft_module_casting_to_bf16 or prepare_model_for_kbit_training when doing
  // QLoRA + FSDP / DS-Zero3", trl/trainer/sft_trainer.py): the embeddings,
  // norms and lm_head stay in bnb_4bit_quant_storage's 16 bits, and so does
  // the residual stream.
  if (s.zero_stage == 3 && dp > 1) s.peft_kbit = false;
  s.weight_shards = tp * (s.zero_stage == 3 ? dp : 1);
  s.optimizer_shards = tp * (s.zero_stage >= 1 ? dp : 1);
  s.gradient_shards = tp * (s.zero_stage >= 2 ? dp : 1);
}

// ---- trainable and frozen parameters -------------------------------------------------

std::optional<Report> count_trainable(const Request& req, const ModelArch& arch, TrainingStep& step,
                                      Report& r) {
  step.totals = count_params(arch);
  r.total_params = step.totals.total;
  r.active_params = step.totals.active;
  if (step.setup.lora) {
    LoraPlan& plan = step.lora_plan;
    plan = plan_lora(arch, req);
    if (plan.adapter.value <= 0)
      return error_report({{"loraTargets", "no Linear module of this model matches loraTargets"}});
    for (const auto& t : plan.unmatched)
      r.warnings.push_back("no module named \"" + t + "\" in this model");
    r.trainable_params = plan.adapter + plan.saved;
  } else {
    r.trainable_params = step.totals.total;
  }
  step.trainable = r.trainable_params.value;
  return std::nullopt;
}

// ---- weights, adapters, master weights --------------------------------------------------

// The weights of the whole model as stored during training, before sharding.
Formula all_weights(const ModelArch& arch, const TrainingSetup& s, const ParamTotals& totals) {
  const PrecisionRegime& reg = s.regime;
  if (!s.lora) {
    // Full: the model as trained; under AMP the fp32 parameters are the master
    // copy and autocast keeps 16-bit casts of every weight for the backward pass.
    Formula all = count(totals.total.value, "params") *
                  number(reg.master_copy ? reg.compute : reg.trainable, "B");
    if (reg.master_copy) all.note(" (16-bit autocast copies)");
    return all;
  }
  WeightSpec ws;
  ws.format = s.format;
  ws.engine = Engine::Transformers;
  const WeightBreakdown wb = weight_bytes(arch, ws);
  Formula frozen(wb.device.value, "frozen base: " + wb.formula);
  if (!s.peft_kbit) return frozen;
  // PEFT prepare_model_for_kbit_training casts every non-quantized
  // parameter (embeddings, norms, lm_head) from 16 bits to fp32.
  return frozen.note(";") +
         Formula(wb.other_params.value * kUpcastExtraBytes,
                 format_count(wb.other_params.value) +
                     " unquantized params upcast to fp32 (PEFT prepare_model_for_kbit_training)");
}

// A full fine-tune under torch.autocast (HF Trainer / accelerate AMP, not
// DeepSpeed, whose 16-bit parameters are the model's, nor FSDP, which casts
// at the all-gather): the 16-bit weights are casts of the fp32 parameters.
// The autocast cache keeps each cast until the autocast region exits
// (torch/amp/autocast_mode.py: clear_autocast_cache() on the outermost
// __exit__); autograd keeps those the matmuls saved until backward has used
// them. No cast is alive at the optimizer step.
bool casts_are_transient(const TrainingSetup& s) {
  return !s.lora && s.regime.master_copy && s.trainer.autocast && s.zero_stage < 3 &&
         s.trainer.trainer != Trainer::DeepSpeed;
}

void set_weights(const ModelArch& arch, TrainingStep& step, Report& r) {
  const TrainingSetup& s = step.setup;
  Formula weights = all_weights(arch, s, step.totals);
  step.weights_all = weights.value();
  weights.over(s.weight_shards, "shards");
  if (s.offload_params) weights.elsewhere(" → on the CPU (parameter offload)");
  step.weights = weights.value();
  r.set("weights", weights.bytes(), weights.equals(format_gib));
  if (!casts_are_transient(s)) return;
  step.copies = weights.value();
  step.copies_rule = weights.text();
}

// The casts alive in a checkpointed backward: the recomputed layer's and lm_head's
// (outside the checkpoints, saved by autograd).
void plan_copies(const ModelArch& arch, TrainingStep& step) {
  if (step.copies <= 0) return;
  double tail = 0;
  for (const auto& m : arch.tail_modules) tail += m.params_per_copy() * double(m.copies);
  const double layer = (step.max_layer_params + tail) * step.setup.regime.compute;
  step.copies_layer = std::min(step.copies, layer / step.setup.tensor_parallel);
}

// The weights component of a full AMP run: the casts live at the peak.
void set_live_copies(const TrainingStep& step, Report& r) {
  if (step.copies <= 0) return;
  r.set("weights", Bytes(step.peak.copies),
        step.copies_rule +
            ": casts of the fp32 parameters (master_weights), from the forward pass until "
            "backward has used them; live " +
            step.peak.where + " = " + gib(step.peak.copies));
}

// Adapter weights and modules_to_save copies: trainable, sharded like the rest under ZeRO-3.
void set_adapters(const TrainingStep& step, Report& r) {
  const TrainingSetup& s = step.setup;
  if (!s.lora) return;
  const LoraPlan& plan = step.lora_plan;
  Formula adapter = Formula(plan.adapter.value, plan.formula) * number(s.regime.trainable, "B");
  adapter.over(s.weight_shards);
  if (s.offload_params) adapter.elsewhere("");  // with the weights, whose formula says so
  r.set("adapter", adapter.bytes(), adapter.equals(format_gib));
  if (plan.saved.value <= 0) return;
  Formula copy =
      count(plan.saved.value, "params copied and trained in full (PEFT modules_to_save)") *
      number(s.regime.trainable, "B");
  copy.over(s.weight_shards);
  if (s.offload_params) copy.elsewhere("");
  r.set("modules_to_save", copy.bytes(), copy.equals(format_gib));
}

// fp32 master weights (mixed precision, full fine-tuning).
void set_master_weights(const TrainingStep& step, Report& r) {
  const TrainingSetup& s = step.setup;
  if (s.lora || !s.regime.master_copy) return;
  Formula master = count(step.trainable, "trainable") * number(kFp32Bytes, "B fp32");
  master.over(s.optimizer_shards);
  if (s.offload_optimizer) master.elsewhere(" → on the CPU");
  r.set("master_weights", master.bytes(), master.equals(format_gib));
}

// ---- optimizer -------------------------------------------------------------------------

// Adafactor's factored state elements: rows + cols per trained matrix.
double adafactor_state_elements(const Request& req, const ModelArch& arch, bool lora) {
  double elems = 0;
  arch.for_each_module([&](const Module& m, std::int64_t layers) {
    const double copies = double(m.copies) * double(layers);
    const double full =
        adafactor_elements(double(m.in), double(m.out)) + (m.bias ? double(m.out) : 0);
    if (!lora) {
      elems += full * copies;
      return;
    }
    const double rank = double(req.lora_rank);
    if (lora_targets_module(m, req))
      elems += (adafactor_elements(double(m.in), rank) + adafactor_elements(rank, double(m.out))) *
               copies;
    if (saved_in_full(m, req)) elems += full * copies;
  });
  return elems;
}

void set_optimizer_states(const Request& req, const ModelArch& arch, TrainingStep& step,
                          Report& r) {
  const TrainingSetup& s = step.setup;
  const OptimizerCost& oc = step.optimizer =
      optimizer_cost(req.optimizer, s.regime, s.trainer.fused_optimizer);
  Formula states = oc.factored
                       ? Formula(adafactor_state_elements(req, arch, s.lora) * kFp32Bytes, oc.rule)
                       : count(step.trainable, "trainable") *
                             number(oc.bytes_per_param, "B").note(" (" + oc.rule + ")");
  const double per_gpu = states.value() / s.optimizer_shards;
  if (s.offload_optimizer) {
    states.elsewhere(" → on the CPU (optimizer offload)");
  } else {
    if (oc.paged) {
      states.elsewhere(": " + gib(per_gpu) +
                       " in CUDA unified memory, outside PyTorch's allocator and paged to the "
                       "CPU under pressure");
      r.warnings.push_back(
          "paged-adamw-8bit: its " + gib(per_gpu) +
          " of states live in unified memory, on the GPU only while memory is free; not counted");
    }
    states.over(s.optimizer_shards, "shards");
  }
  r.set("optimizer", states.bytes(), states.equals(format_gib));
}

// ---- buffers around the step ---------------------------------------------------------------

// The parameters stage 3 gathers (FSDP units or DeepSpeed's live
// parameters), before the walk places them in the step's moments.
void plan_gathered(const ModelArch& arch, TrainingStep& step) {
  const TrainingSetup& s = step.setup;
  const double tp = s.tensor_parallel, dp = s.data_parallel;
  if (s.zero_stage != 3 || (dp <= 1 && !s.offload_params)) return;
  Gathered& g = step.gathered;
  const double per_param = step.weights_all / std::max(1.0, step.totals.total.value);
  // Never above stage 2 (every weight on every GPU), with parameter offload the whole model.
  const double cap =
      s.offload_params ? step.weights_all / tp : step.weights_all / tp - step.weights;
  double root = 0, largest = 0;
  for (const auto* ms : {&arch.head_modules, &arch.tail_modules})
    for (const auto& m : *ms) root += m.params_per_copy() * double(m.copies);
  arch.for_each_module(
      [&](const Module& m, std::int64_t) { largest = std::max(largest, m.params_per_copy()); });
  const TrainerSettings& t = s.trainer;
  if (t.zero3_max_live_params > 0) {
    // DeepSpeed ZeRO-3: up to stage3_max_live_parameters stay gathered, and a
    // tensor larger than that (the vocabulary matrix) is gathered whole.
    const double live =
        std::min(step.totals.total.value, std::max(t.zero3_max_live_params, largest));
    g.live = std::min(live * per_param / tp, cap);
    g.formula = "DeepSpeed ZeRO-3 live parameters: min(all, max(stage3_max_live_parameters " +
                format_count(t.zero3_max_live_params) + ", largest tensor " +
                format_count(largest) + ")) × " + format_number(per_param) + " B";
    return;
  }
  // FSDP: the layer computed and the one prefetched (BACKWARD_PRE); the root
  // unit is not resharded after forward (FSDP1 _runtime_utils._post_forward_reshard
  // skips the root; FSDP2 _fsdp_state._lazy_init sets the root's
  // post_forward_mesh_info to None), so it stays gathered through backward.
  // CPUOffload(offload_params=True) changes where the shard lives, not that
  // rule: the root's unsharded flat parameter stays on the GPU after forward
  // like any other trainer's (FlatParamHandle.reshard frees it only when asked).
  g.layers = std::min(kGatheredLayers * step.max_layer_params * per_param / tp, cap);
  if (t.root_unit_unsharded) {
    const double root_bytes = s.lora && !s.float_base ? (s.peft_kbit ? kFp32Bytes : 2) : per_param;
    g.root = std::min(root * root_bytes / tp, std::max(0.0, cap - g.layers));
  }
  // Blocks allocated on the all-gather stream are cached for that stream:
  // the compute stream's peak cannot reuse them (reserved, not allocated).
  g.pool = g.layers;
  g.formula = format_number(kGatheredLayers) + " layers × " + format_count(step.max_layer_params) +
              " params × " + format_number(per_param) + " B (current + prefetched, in backward)" +
              (g.root > 0 ? " + root unit " + format_count(root) +
                                " params (embeddings, lm_head, "
                                "final norm: not resharded after forward)"
                          : "");
}

void set_gathered(const TrainingStep& step, Report& r) {
  const Gathered& g = step.gathered;
  if (g.formula.empty()) return;
  r.set("gathered_params", Bytes(step.peak.gathered),
        g.formula + ", live " + step.peak.where + " = " + gib(step.peak.gathered));
}

// DeepSpeed's gradient-reduction (IPG) bucket with contiguous_gradients
// (default True): torch.empty(reduce_bucket_size) in the dtype of the
// optimizer's parameters, the model's own (16-bit under bf16/fp16, the engine
// casts the module; fp32 otherwise). ZeRO-3 allocates it once when the
// optimizer is built and keeps it (deepspeed/runtime/zero/stage3.py,
// DeepSpeedZeroOptimizer_Stage3.__init__, the same since 0.8); ZeRO-1/2
// allocate it at the start of each backward() and release it after the
// reduction (stage_1_and_2.py backward, _release_ipg_buffers), a second one
// with overlap_comm (default off below stage 3, config.py overlap_comm_valid).
void plan_reduce_bucket(TrainingStep& step) {
  const TrainingSetup& s = step.setup;
  if (s.trainer.trainer != Trainer::DeepSpeed || s.zero_stage < 1) return;
  const double dtype = s.regime.compute;
  const double bucket = kDeepSpeedReduceBucket * dtype;
  (s.zero_stage == 3 ? step.static_bucket : step.backward_bucket) = bucket;
  step.bucket_rule =
      "DeepSpeed ZeRO-" + format_integer(s.zero_stage) +
      " gradient bucket (contiguous_gradients): reduce_bucket_size " +
      format_count(kDeepSpeedReduceBucket) + " × " + format_number(dtype) + " B" +
      (s.zero_stage == 3 ? " (from the optimizer's creation)" : " (from the start of backward)");
}

// DDP buckets, DeepSpeed's gradient bucket, bitsandbytes dequantization.
void set_multi_gpu_buffers(const ModelArch& arch, const TrainingStep& step, Report& r) {
  const TrainingSetup& s = step.setup;
  const double tp = s.tensor_parallel, dp = s.data_parallel;
  const double trainable = step.trainable;
  if (s.zero_stage == 0 && dp > 1) {
    // DDP: gradient buckets are a second copy of the gradients (gradient_as_bucket_view=False).
    const double buckets = trainable * s.regime.gradient / tp;
    r.set("grad_buckets", Bytes(buckets),
          "DDP all-reduce buckets: " + format_count(trainable) + " × " +
              format_number(s.regime.gradient) + " B = " + gib(buckets));
  }
  if (step.static_bucket > 0 || step.peak.buckets > 0)
    r.set("grad_buckets", Bytes(step.static_bucket + step.peak.buckets),
          step.bucket_rule + (step.peak.buckets > 0 ? ", live " + step.peak.where : "") + " = " +
              gib(step.static_bucket + step.peak.buckets));
  if (s.lora && !s.float_base) {
    // bitsandbytes dequantizes one weight at a time to the compute dtype for the matmul.
    double widest = 0;
    arch.for_each_module([&](const Module& m, std::int64_t) {
      if (m.linear && m.role != ModuleRole::LmHead) widest = std::max(widest, m.weight_elements());
    });
    const double dq = widest * s.regime.compute / tp;
    r.set("dequant_buffer", Bytes(dq),
          format_count(widest) + " elements (largest Linear) × " + format_number(s.regime.compute) +
              " B = " + gib(dq));
  }
}

// The caching allocator keeps the blocks the step frees and splits:
// reserved runs above the allocated peak by the ratio pytorch#40989
// measured, or by a few percent when the loop empties the cache each step.
// Under FSDP the all-gather stream's blocks stay cached for that stream when
// the peak comes while they are free (the compute stream cannot reuse them).
void set_allocator_reserve(const TrainingStep& step, Report& r) {
  double allocated = 0;
  for (const auto& c : r.components)
    if (c.id != "overhead") allocated += c.bytes.value;
  const bool emptied = step.setup.trainer.empty_cache_each_step;
  const double fraction = emptied ? kAllocatorReserveEmptied : kAllocatorReserve;
  const Gathered& g = step.gathered;
  const double pool = std::max(0.0, g.pool - (step.peak.gathered - g.root - g.live));
  const double reserve = allocated * fraction + pool;
  r.set("allocator_reserve", Bytes(reserve),
        format_number(fraction * 100) + "% of the " + gib(allocated) +
            " allocated at the peak (PyTorch caching allocator: reserved above allocated" +
            (emptied ? ", cache emptied each step" : "") + ")" +
            (pool > 0 ? " + " + gib(pool) + " cached on FSDP's all-gather stream" : "") + " = " +
            gib(reserve));
}

// What each reading shows: max_memory_allocated leaves out the context and
// the reserve, max_memory_reserved the context; nvidia-smi shows it all.
void set_memory(Report& r) {
  auto whole = [&](const char* id) {
    const Component* c = r.find(id);
    return c ? double(whole_bytes(c->bytes)) : 0.0;
  };
  MemoryFigures m;
  m.device = r.total();
  m.reserved = Bytes(m.device.value - whole("overhead"));
  m.allocated = Bytes(m.reserved.value - whole("allocator_reserve"));
  r.memory = m;
}

}  // namespace
}  // namespace finetune

Report estimate_finetune(const Request& req) {
  using namespace finetune;
  const ModelArch& arch = *req.model.arch;
  Report r = empty_report("detailed");
  TrainingStep step;
  // The regime.
  step.setup.trainer = resolve_trainer(req);
  if (auto error = resolve_base_weights(req, step.setup)) return *error;
  resolve_precision(req, step.setup, r);
  resolve_parallelism(req, step.setup, r);
  // Trainable and frozen parameters; the static state.
  if (auto error = count_trainable(req, arch, step, r)) return *error;
  set_weights(arch, step, r);
  set_adapters(step, r);
  set_master_weights(step, r);
  set_optimizer_states(req, arch, step, r);
  // The step: at the loss, the backward pass, the optimizer step.
  cost_layers(req, arch, step);
  plan_copies(arch, step);
  plan_gathered(arch, step);
  plan_reduce_bucket(step);
  step.peak = find_peak(req, step);
  set_live_components(req, step, r);
  set_live_copies(step, r);
  // The buffers around it.
  set_gathered(step, r);
  set_multi_gpu_buffers(arch, step, r);
  set_allocator_reserve(step, r);
  r.set("overhead", Bytes(kCudaContextMiB * kMiB),
        "CUDA context with lazy module loading ≈ " + format_number(kCudaContextMiB) + " MiB");

  r.setting("trainingPrecision", std::string(to_string(step.setup.precision)));
  r.setting("weights", step.setup.weights_id);
  r.setting("attention", std::string(to_string(step.setup.attention)));
  r.setting("peak", step.peak.where);
  const TrainerSettings& t = step.setup.trainer;
  r.setting("trainer",
            std::string(to_string(t.trainer)) + (t.named ? "" : " (inferred: " + t.why + ")"));
  set_memory(r);
  set_range(req, t, r);
  r.ok = true;
  return r;
}

}  // namespace llmmem
