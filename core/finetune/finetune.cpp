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
#include "finetune/finetune.hpp"

#include <algorithm>
#include <cmath>

#include "formats/formats.hpp"
#include "model/model.hpp"
#include "parts/activations.hpp"
#include "parts/lora.hpp"
#include "parts/optimizer.hpp"
#include "parts/weights.hpp"
#include "util/text.hpp"

namespace llmmem {

namespace {

// CUDA context of a PyTorch process on CUDA 12 with lazy module loading
// (CUDA_MODULE_LOADING=LAZY, the default since PyTorch 1.13 / CUDA 11.7):
// about 300-600 MiB depending on the card and libraries; the HF anatomy doc
// measured 1343 MiB on a V100 with eager loading. Not in torch's allocator stats.
constexpr double kCudaContextMiB = 500;
// PyTorch's caching allocator: peak reserved runs about 11% above peak
// allocated in a plain training loop (pytorch/pytorch#40989: 15006 vs 16726
// MB, 17402 vs 19354 MB); we apply 10% to the memory allocated and freed
// within a step. FSDP's all-gather stream can hold far more (blocks tagged
// to one stream are not reused by another); not modelled.
constexpr double kAllocatorReserve = 0.10;
// FSDP / ZeRO-3 keep the layer being computed and the one prefetched
// (backward_prefetch=BACKWARD_PRE, DeepSpeed stage3_prefetch) unsharded.
constexpr double kGatheredLayers = 2;
// Korthikanti et al. 2022, eq. 2: under tensor parallelism the per-layer
// activations are s·b·h·(10 + 24/t) of the unsharded 34: norms, dropout
// masks and layer inputs stay replicated.
constexpr double kTpReplicated = 10, kTpSharded = 24;

std::string gib(double b) {
  return format_gib(Bytes(b));
}

struct LayerCost {
  std::int64_t count = 0;
  LayerActivation act;
  double grad = 0;     // gradient bytes of one layer's trainable parameters (this GPU)
  double weights = 0;  // parameters of one layer (for gathered buffers)
};

}  // namespace

Report estimate_finetune(const Request& req) {
  const ModelArch& arch = *req.model.arch;
  Report r = empty_report("detailed");
  const bool lora = req.method != Method::Full;

  // ---- the base weights' format -------------------------------------------------
  std::string wid = req.weights;
  if (!req.weights_given && req.method == Method::QLora4) wid = "nf4";
  if (!req.weights_given && req.method == Method::QLora8) wid = "int8";
  const WeightFormat* fmt = find_weight_format(wid);
  if (!fmt) return error_report({{"weights", "unknown weight format \"" + wid + "\""}});
  const bool float_base = fmt->family == FormatFamily::Float;
  const bool bnb_base = fmt->family == FormatFamily::BnbInt8 ||
                        fmt->family == FormatFamily::BnbNf4 || fmt->family == FormatFamily::Int4;
  if (!lora && !float_base)
    return error_report(
        {{"weights", "full fine-tuning trains float weights: use fp32, bf16 or fp16 (got " + wid +
                         "), or method lora/qlora for a quantized base"}});
  if (lora && !float_base && !bnb_base)
    return error_report(
        {{"weights",
          "a LoRA base must be fp32, bf16, fp16, int8 or nf4 (bitsandbytes); got " + wid}});

  // ---- precision regime ------------------------------------------------------------
  TrainingPrecision tp_kind;
  if (req.training_precision) {
    tp_kind = *req.training_precision;
  } else if (wid == "fp32") {
    tp_kind = TrainingPrecision::Fp32;
  } else if (wid == "fp16") {
    tp_kind = TrainingPrecision::MixedFp16;
  } else if (!lora) {
    tp_kind = TrainingPrecision::Bf16;
    r.warnings.push_back(
        "trainingPrecision not given: pure bf16 weights, gradients and optimizer states "
        "(torchtune's default)");
  } else {
    tp_kind = TrainingPrecision::MixedBf16;
    r.warnings.push_back(
        "trainingPrecision not given: fp32 LoRA adapters with bf16 autocast (PEFT + HF Trainer "
        "bf16=True)");
  }
  const PrecisionRegime reg = precision_regime(tp_kind);
  // The PEFT QLoRA recipe (HF Trainer with autocast) upcasts the unquantized
  // modules to fp32; torchtune and fsdp_qlora (pure bf16) do not.
  const bool peft_kbit = lora && bnb_base && reg.master_copy;
  const Attention attention = req.attention.value_or(Attention::Sdpa);
  const double tp = double(req.tensor_parallel);
  const double dp = double(req.gpus) / tp;
  const int stage = int(req.zero_stage);
  const bool offload_opt = req.cpu_offload != CpuOffload::None;
  const bool offload_params = req.cpu_offload == CpuOffload::OptimizerParams && stage == 3;
  if (req.cpu_offload == CpuOffload::OptimizerParams && stage != 3)
    r.warnings.push_back(
        "parameter offload needs ZeRO-3 / FSDP full shard: only the optimizer is offloaded");
  const double tokens = double(req.batch) * double(req.seq_len);

  // ---- trainable parameters ------------------------------------------------------------
  const ParamTotals totals = count_params(arch);
  r.total_params = totals.total;
  r.active_params = totals.active;
  LoraPlan plan;
  if (lora) {
    plan = plan_lora(arch, req);
    if (plan.adapter.value <= 0)
      return error_report({{"loraTargets", "no Linear module of this model matches loraTargets"}});
    for (const auto& t : plan.unmatched)
      r.warnings.push_back("no module named \"" + t + "\" in this model");
    r.trainable_params = plan.adapter + plan.saved;
  } else {
    r.trainable_params = totals.total;
  }
  const double trainable = r.trainable_params.value;
  auto is_trainable = [&](const Module& m) { return lora ? lora_targets_module(m, req) : true; };
  // Trainable parameters of module m (whole model or one layer): its adapter, or all of it.
  auto trained_params = [&](const Module& m, std::int64_t layers) {
    if (!lora) return module_params(m, layers).value;
    double p = lora_targets_module(m, req) ? lora_module_params(m, layers, req.lora_rank).value : 0;
    if (saved_in_full(m, req)) p += module_params(m, layers).value;
    return p;
  };

  // ---- weights -----------------------------------------------------------------------------
  WeightSpec ws;
  ws.format = fmt;
  ws.engine = Engine::Transformers;
  double weights_all = 0;
  std::string weights_rule;
  if (!lora) {
    // Full: the model as trained; under AMP the fp32 parameters are the master
    // copy and autocast keeps 16-bit casts of every weight for the backward pass.
    const double per = reg.master_copy ? reg.compute : reg.trainable;
    weights_all = totals.total.value * per;
    weights_rule = format_count(totals.total.value) + " params × " + format_number(per) + " B" +
                   (reg.master_copy ? " (16-bit autocast copies)" : "");
  } else {
    WeightBreakdown wb = weight_bytes(arch, ws);
    weights_all = wb.device.value;
    weights_rule = "frozen base: " + wb.formula;
    if (peft_kbit) {
      // PEFT prepare_model_for_kbit_training casts every non-quantized
      // parameter (embeddings, norms, lm_head) from 16 bits to fp32.
      weights_all += wb.other_params.value * 2;
      weights_rule += "; + " + format_count(wb.other_params.value) +
                      " unquantized params upcast to fp32 (PEFT prepare_model_for_kbit_training)";
    }
  }
  double shard_w = tp * (stage == 3 ? dp : 1);
  double weights = offload_params ? 0 : weights_all / shard_w;
  r.set("weights", Bytes(weights),
        weights_rule + (shard_w > 1 ? " / " + format_number(shard_w) + " shards" : "") +
            (offload_params ? " → on the CPU (parameter offload)" : "") + " = " + gib(weights));

  // Adapter weights (trainable, sharded like the rest under ZeRO-3).
  double adapter = 0;
  if (lora) {
    adapter = offload_params ? 0 : plan.adapter.value * reg.trainable / shard_w;
    r.set("adapter", Bytes(adapter),
          plan.formula + " × " + format_number(reg.trainable) + " B" +
              (shard_w > 1 ? " / " + format_number(shard_w) : "") + " = " + gib(adapter));
  }
  if (lora && plan.saved.value > 0) {
    const double copy = offload_params ? 0 : plan.saved.value * reg.trainable / shard_w;
    r.set("modules_to_save", Bytes(copy),
          format_count(plan.saved.value) +
              " params copied and trained in full (PEFT modules_to_save) × " +
              format_number(reg.trainable) + " B" +
              (shard_w > 1 ? " / " + format_number(shard_w) : "") + " = " + gib(copy));
  }
  // fp32 master weights (mixed precision, full fine-tuning).
  const double opt_shard = tp * (stage >= 1 ? dp : 1);
  if (!lora && reg.master_copy) {
    const double master = offload_opt ? 0 : trainable * 4 / opt_shard;
    r.set("master_weights", Bytes(master),
          format_count(trainable) + " trainable × 4 B fp32" +
              (opt_shard > 1 ? " / " + format_number(opt_shard) : "") +
              (offload_opt ? " → on the CPU" : "") + " = " + gib(master));
  }

  // ---- optimizer ---------------------------------------------------------------------------
  const OptimizerCost oc = optimizer_cost(req.optimizer, reg);
  double opt_all = trainable * oc.bytes_per_param;
  if (oc.factored) {
    double elems = 0;
    arch.for_each_module([&](const Module& m, std::int64_t layers) {
      const double copies = double(m.copies) * double(layers);
      if (lora) {
        const double rk = double(req.lora_rank);
        if (lora_targets_module(m, req))
          elems += (adafactor_elements(double(m.in), rk) + adafactor_elements(rk, double(m.out))) *
                   copies;
        if (saved_in_full(m, req))
          elems +=
              (adafactor_elements(double(m.in), double(m.out)) + (m.bias ? double(m.out) : 0)) *
              copies;
      } else {
        elems += (adafactor_elements(double(m.in), double(m.out)) + (m.bias ? double(m.out) : 0)) *
                 copies;
      }
    });
    opt_all = elems * 4;
  }
  double optimizer = opt_all / opt_shard;
  std::string opt_rule = format_count(trainable) + " trainable × " +
                         format_number(oc.bytes_per_param) + " B (" + oc.rule + ")";
  if (oc.factored) opt_rule = oc.rule;
  if (offload_opt) {
    optimizer = 0;
    opt_rule += " → on the CPU (optimizer offload)";
  } else if (oc.paged) {
    optimizer = 0;
    opt_rule +=
        ": " + gib(opt_all / opt_shard) +
        " in CUDA unified memory, outside PyTorch's allocator and paged to the CPU under pressure";
    r.warnings.push_back(
        "paged-adamw-8bit: its " + gib(opt_all / opt_shard) +
        " of states live in unified memory, on the GPU only while memory is free; not counted");
  }
  r.set("optimizer", Bytes(optimizer),
        opt_rule +
            (opt_shard > 1 && !offload_opt ? " / " + format_number(opt_shard) + " shards" : "") +
            " = " + gib(optimizer));

  // ---- per-layer activations and gradients ---------------------------------------------
  ActivationSettings as;
  as.compute = reg.compute;
  as.autocast = reg.master_copy ||
                (lora && tp_kind != TrainingPrecision::Bf16 && tp_kind != TrainingPrecision::Fp32);
  // fp32 embeddings (full AMP, fp32 bases, PEFT's kbit upcast) make the residual stream fp32.
  as.fp32_residual = as.autocast && ((!lora && reg.master_copy) || wid == "fp32" || peft_kbit);
  as.attention = attention;
  as.dropout = trains_with_dropout(arch);
  as.full = !lora;
  as.lora_rank = lora ? req.lora_rank : 0;
  as.lora_input_copies =
      lora && as.autocast;  // PEFT casts x to the fp32 adapter's dtype, autocast casts it back
  as.tokens = tokens;
  as.seq_len = double(req.seq_len);
  as.batch = double(req.batch);
  const double act_tp = (kTpReplicated + kTpSharded / tp) / (kTpReplicated + kTpSharded);
  const double grad_shard = tp * (stage >= 2 ? dp : 1);
  const bool params_grads_offloaded =
      offload_params;  // FSDP CPUOffload(offload_params) moves grads too

  std::vector<LayerCost> layers;
  double max_layer_params = 0;
  double max_tensor_grad = 0;   // optimizer-in-backward frees each gradient after its step
  double max_tensor_elems = 0;  // the largest trainable tensor (optimizer-step temporaries)
  for (const auto& g : arch.layers) {
    LayerCost c;
    c.count = g.count;
    c.act = layer_activation(arch, g, as, is_trainable);
    c.act.saved *= act_tp, c.act.input *= act_tp, c.act.workspace *= act_tp;
    double params = 0, train = 0;
    for (const auto& m : g.modules) {
      params += m.params_per_copy() * double(m.copies);
      const double p = trained_params(m, 1);
      if (p <= 0) continue;
      train += p;
      const double elems = lora ? p / double(m.copies) : m.weight_elements();
      max_tensor_grad = std::max(max_tensor_grad, elems * reg.gradient);
      max_tensor_elems = std::max(max_tensor_elems, elems);
    }
    c.grad = train * reg.gradient / grad_shard;
    c.weights = params;
    max_layer_params = std::max(max_layer_params, params);
    layers.push_back(c);
  }
  double head_grad = 0,
         embed_grad = 0;  // outside the layers: lm_head (+ final norm) first, embeddings last
  auto outside = [&](const std::vector<Module>& ms, bool head) {
    for (const auto& m : ms) {
      const double p = trained_params(m, 1);
      if (p <= 0) continue;
      (head ? head_grad : embed_grad) += p * reg.gradient / grad_shard;
      max_tensor_grad = std::max(max_tensor_grad, p * reg.gradient);
      max_tensor_elems = std::max(max_tensor_elems, p);
    }
  };
  outside(arch.tail_modules, true);
  outside(arch.head_modules, false);
  outside(arch.extra_modules, false);
  max_tensor_grad /= tp;

  const LogitsCost lc = logits_cost(arch, as, req.chunked_loss, tp);
  auto live_grads = [&](double g) {
    return req.optimizer_in_backward ? std::min(g, max_tensor_grad) : g;
  };

  // Walk the step. `keep(l)`: what stays of layer l until its backward.
  auto keep = [&](const LayerCost& c) {
    return req.gradient_checkpointing ? c.act.input : c.act.saved;
  };
  double all_keep = 0, all_grads = head_grad + embed_grad;
  for (const auto& c : layers)
    all_keep += keep(c) * double(c.count), all_grads += c.grad * double(c.count);
  const double offload_window =
      layers.empty() ? 0 : keep(layers.back());  // the layer in flight to/from the CPU

  struct Phase {
    double act = 0, logits = 0, grads = 0, work = 0;  // work: optimizer-step temporaries
    std::string where;
    double total() const { return act + logits + grads + work; }
  };
  Phase best;
  // The loss: everything saved, logits buffers, no gradient yet.
  best.act = req.activation_offloading ? offload_window : all_keep;
  best.logits = lc.bytes;
  best.grads = 0;
  best.where = "at the loss";
  // The backward pass, layer by layer from the last.
  double before = all_keep, grads_so_far = head_grad;
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    for (std::int64_t i = 0; i < it->count; ++i) {
      before -= keep(*it);
      grads_so_far += it->grad;
      Phase p;
      const double kept = req.activation_offloading ? std::min(before, offload_window) : before;
      // With checkpointing the recomputed layer's saved set replaces its checkpointed input.
      p.act = kept + it->act.saved + it->act.workspace;
      p.grads = live_grads(grads_so_far);
      if (p.total() > best.total()) {
        p.where = "in the backward pass";
        best = p;
      }
    }
  }
  // The optimizer step: every gradient at once (unless applied during backward).
  Phase step;
  step.grads = req.optimizer_in_backward ? 0 : all_grads;
  // The step's own temporaries (optimizer.cpp: Adafactor's per-tensor fp32
  // copies, RMSprop's foreach sqrt); none when the step runs on the CPU.
  const double step_work =
      offload_opt ? 0
                  : optimizer_step_bytes(oc, max_tensor_elems / opt_shard, trainable / opt_shard);
  step.work = req.optimizer_in_backward ? 0 : step_work;
  if (step.total() > best.total()) {
    step.where = "at the optimizer step";
    best = step;
  }
  if (params_grads_offloaded && !req.optimizer_in_backward) {
    // Gradients go to the CPU as soon as they are reduced: one layer's at a time stays.
    double one = 0;
    for (const auto& c : layers) one = std::max(one, c.grad);
    best.grads = std::min(best.grads, std::max(one, head_grad));
  }

  const std::string ckpt =
      req.gradient_checkpointing ? "checkpointed layer inputs" : "saved activations";
  r.set("activations", Bytes(best.act),
        ckpt + (req.activation_offloading ? " (offloaded to the CPU but one layer)" : "") + ", " +
            format_integer(double(req.batch)) + " × " + format_integer(double(req.seq_len)) +
            " tokens, " + std::string(to_string(attention)) + " attention, live " + best.where +
            (best.where == "in the backward pass" && req.gradient_checkpointing
                 ? " incl. one layer's recompute"
                 : "") +
            (tp > 1 ? ", TP factor " + format_number(act_tp) : "") + " = " + gib(best.act));
  // All gradients together (all_grads, per GPU) and what of them is live at the peak: at the loss
  // none exist yet, so the formula says both rather than "N × 2 B = 0".
  const std::string grads_all = format_count(trainable) + " trainable × " +
                                format_number(reg.gradient) + " B" +
                                (grad_shard > 1 ? " / " + format_number(grad_shard) : "");
  std::string grads_formula;
  if (best.grads <= 0 && all_grads > 0 && !req.optimizer_in_backward)
    grads_formula = "none live " + best.where +
                    " (the peak): they appear in backward; all of them, " + grads_all + " = " +
                    gib(all_grads) + ", exist only at a lower moment";
  else
    grads_formula =
        grads_all +
        (req.optimizer_in_backward ? ", applied in backward (largest tensor's only)" : "") +
        ", live " + best.where + " = " + gib(best.grads);
  r.set("gradients", Bytes(best.grads), grads_formula);
  r.set("logits", Bytes(best.logits),
        best.logits > 0 ? lc.formula : "logits freed before this peak: 0 B");
  if (best.work > 0)
    r.set("optimizer_step", Bytes(best.work),
          "temporaries of the optimizer step (" + oc.rule + ") = " + gib(best.work));

  // ---- multi-GPU buffers -------------------------------------------------------------------
  if (stage == 3 && (dp > 1 || offload_params)) {
    const double per_param = weights_all / std::max(1.0, totals.total.value);
    double gathered = kGatheredLayers * max_layer_params * per_param / tp;
    const double cap =
        offload_params ? weights_all / tp : weights_all / tp - weights;  // never above stage 2
    gathered = std::min(gathered, cap);
    r.set("gathered_params", Bytes(gathered),
          format_number(kGatheredLayers) + " layers × " + format_count(max_layer_params) +
              " params × " + format_number(per_param) +
              " B unsharded (current + prefetched) = " + gib(gathered));
  }
  if (stage == 0 && dp > 1) {
    // DDP: gradient buckets are a second copy of the gradients (gradient_as_bucket_view=False).
    const double buckets = trainable * reg.gradient / tp;
    r.set("grad_buckets", Bytes(buckets),
          "DDP all-reduce buckets: " + format_count(trainable) + " × " +
              format_number(reg.gradient) + " B = " + gib(buckets));
  }
  if (lora && !float_base) {
    // bitsandbytes dequantizes one weight at a time to the compute dtype for the matmul.
    double widest = 0;
    arch.for_each_module([&](const Module& m, std::int64_t) {
      if (m.linear && m.role != ModuleRole::LmHead) widest = std::max(widest, m.weight_elements());
    });
    const double dq = widest * reg.compute / tp;
    r.set("dequant_buffer", Bytes(dq),
          format_count(widest) + " elements (largest Linear) × " + format_number(reg.compute) +
              " B = " + gib(dq));
  }

  // The caching allocator keeps what the step frees: reserved exceeds
  // allocated by the blocks that the per-step (dynamic) allocations split
  // and cannot reuse. Weights, adapters and optimizer states are allocated
  // once and do not fragment.
  double dynamic = 0;
  for (const auto& c : r.components)
    if (c.id == "activations" || c.id == "logits" || c.id == "gradients" ||
        c.id == "gathered_params" || c.id == "dequant_buffer" || c.id == "grad_buckets" ||
        c.id == "optimizer_step")
      dynamic += c.bytes.value;
  const double reserve = dynamic * kAllocatorReserve;
  r.set("allocator_reserve", Bytes(reserve),
        format_number(kAllocatorReserve * 100) + "% of the " + gib(dynamic) +
            " allocated and freed each step (PyTorch caching allocator: reserved above allocated) "
            "= " +
            gib(reserve));

  const double ctx = kCudaContextMiB * kMiB;
  r.set("overhead", Bytes(ctx),
        "CUDA context with lazy module loading ≈ " + format_number(kCudaContextMiB) + " MiB");

  r.setting("trainingPrecision", std::string(to_string(tp_kind)));
  r.setting("weights", wid);
  r.setting("attention", std::string(to_string(attention)));
  r.setting("peak", best.where);
  r.ok = true;
  return r;
}

}  // namespace llmmem
