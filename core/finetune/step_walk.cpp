// The dynamic state of a training step, walked as PyTorch runs it: each
// layer's saved activations and gradients, then the three moments (at the
// loss, in the backward pass, at the optimizer step), and what is live at
// the largest of them. The static state is finetune.cpp's.
#include <algorithm>

#include "finetune/training_step.hpp"
#include "util/formula.hpp"
#include "util/text.hpp"

namespace llmmem::finetune {

namespace {

// Korthikanti et al. 2022, eq. 2: under tensor parallelism the per-layer
// activations are s·b·h·(10 + 24/t) of the unsharded 34: norms, dropout
// masks and layer inputs stay replicated.
constexpr double kTpReplicated = 10, kTpSharded = 24;

std::string gib(double b) {
  return format_gib(Bytes(b));
}

ActivationSettings activation_settings(const Request& req, const ModelArch& arch,
                                       const TrainingSetup& s) {
  const PrecisionRegime& reg = s.regime;
  ActivationSettings as;
  as.compute = reg.compute;
  as.autocast =
      s.trainer.autocast && (reg.master_copy || (s.lora && s.precision != TrainingPrecision::Bf16 &&
                                                 s.precision != TrainingPrecision::Fp32));
  // fp32 embeddings (full AMP, fp32 bases, PEFT's kbit upcast) make the residual stream fp32.
  as.fp32_residual =
      as.autocast && ((!s.lora && reg.master_copy) || s.weights_id == "fp32" || s.peft_kbit);
  as.attention = s.attention;
  as.dropout = trains_with_dropout(arch);
  as.full = !s.lora;
  as.lora_rank = s.lora ? req.lora_rank : 0;
  // PEFT casts x to the fp32 adapter's dtype: under autocast the matmul casts
  // it back and saves a 16-bit copy; without autocast (a plain loop over a
  // 16-bit base) the adapter saves the fp32 copy itself.
  const bool fp32_adapters = s.lora && reg.trainable >= 4 && reg.compute < 4;
  as.lora_input_copy_bytes = !s.lora ? 0 : as.autocast ? reg.compute : fp32_adapters ? 4 : 0;
  // transformers' eager and SDPA paths repeat K/V to every query head
  // (repeat_kv) unless SDPA can take GQA itself (no mask: use_gqa_in_sdpa);
  // FlashAttention and torchtune's own attention take GQA as is. A padded
  // batch (more than one sequence) carries a mask.
  const bool hf_model = s.trainer.trainer != Trainer::Torchtune;
  as.kv_expanded = hf_model && (s.attention == Attention::Eager ||
                                (s.attention == Attention::Sdpa && req.batch > 1));
  as.use_cache = s.trainer.use_cache;
  as.tokens = s.tokens;
  as.seq_len = double(req.seq_len);
  as.batch = double(req.batch);
  return as;
}

// Trainable parameters of module m (whole model or one layer): its adapter, or all of it.
double trained_params(const Request& req, bool lora, const Module& m, std::int64_t layers) {
  if (!lora) return module_params(m, layers).value;
  double p = lora_targets_module(m, req) ? lora_module_params(m, layers, req.lora_rank).value : 0;
  if (saved_in_full(m, req)) p += module_params(m, layers).value;
  return p;
}

// Gradients outside the layers: lm_head (+ final norm) first, embeddings last.
void cost_outside_layers(const Request& req, const ModelArch& arch, TrainingStep& step) {
  const TrainingSetup& s = step.setup;
  auto outside = [&](const std::vector<Module>& ms, double& grad) {
    for (const auto& m : ms) {
      const double p = trained_params(req, s.lora, m, 1);
      if (p <= 0) continue;
      grad += p * s.regime.gradient / s.gradient_shards;
      step.max_tensor_grad = std::max(step.max_tensor_grad, p * s.regime.gradient);
      step.max_tensor_elems = std::max(step.max_tensor_elems, p);
    }
  };
  outside(arch.tail_modules, step.head_grad);
  outside(arch.head_modules, step.embed_grad);
  outside(arch.extra_modules, step.embed_grad);
}

// What stays of a layer until its backward: its checkpointed input or everything it saved.
double kept_until_backward(const Request& req, const LayerCost& c) {
  return req.gradient_checkpointing ? c.act.input : c.act.saved;
}

// With parameter offload gradients go to the CPU as soon as they are
// reduced: one layer's at a time stays on the GPU.
double offloaded_grad_cap(const Request& req, const TrainingStep& step) {
  if (!step.setup.offload_params || req.optimizer_in_backward) return 1e300;
  double one = step.head_grad;
  for (const auto& c : step.layers) one = std::max(one, c.grad);
  return one;
}

// At the loss: everything saved, the logits buffers, no gradient yet.
Phase peak_at_loss(const TrainingStep& step, double all_kept, double offload_window) {
  Phase loss;
  loss.act = step.setup.trainer.offload_activations ? offload_window : all_kept;
  loss.logits = step.logits.bytes;
  // optimizer.zero_grad(set_to_none=False) (the torch 1.x default) keeps every gradient allocated.
  loss.grads = step.setup.trainer.zero_grad_set_to_none ? 0 : step.all_grads;
  loss.gathered = step.gathered.root + step.gathered.live;
  loss.copies = step.copies;  // the autocast cache holds every cast until the forward ends
  loss.buckets = step.backward_bucket;  // allocated as backward starts, with the loss's buffers
  loss.where = "at the loss";
  return loss;
}

// The backward pass, layer by layer from the last: the largest moment.
Phase backward_peak(const Request& req, const TrainingStep& step, double all_kept,
                    double offload_window) {
  const bool kept = !step.setup.trainer.zero_grad_set_to_none;
  const double cap = offloaded_grad_cap(req, step);
  auto live_grads = [&](double g) {
    if (kept) g = step.all_grads;
    if (req.optimizer_in_backward) g = std::min(g, step.max_tensor_grad);
    return std::min(g, cap);
  };
  Phase best;
  double before = all_kept, grads_so_far = step.head_grad;
  for (auto it = step.layers.rbegin(); it != step.layers.rend(); ++it) {
    for (std::int64_t i = 0; i < it->count; ++i) {
      before -= kept_until_backward(req, *it);
      grads_so_far += it->grad;
      Phase p;
      const double kept =
          step.setup.trainer.offload_activations ? std::min(before, offload_window) : before;
      // With checkpointing the recomputed layer's saved set replaces its checkpointed input.
      p.act = kept + it->act.saved + it->act.workspace;
      p.grads = live_grads(grads_so_far);
      p.gathered = step.gathered.root + step.gathered.layers + step.gathered.live;
      // Autograd saved the casts for the matmuls' backward; a checkpointed
      // forward saved none (the cache was cleared when autocast exited) and
      // the recompute casts one layer again.
      p.copies = req.gradient_checkpointing ? step.copies_layer : step.copies;
      p.buckets = step.backward_bucket;
      if (best.where.empty() || p.total() > best.total()) {
        p.where = "in the backward pass";
        best = p;
      }
    }
  }
  return best;
}

// The optimizer step: every gradient at once (unless applied during backward).
Phase optimizer_step_peak(const Request& req, const TrainingStep& step) {
  const TrainingSetup& s = step.setup;
  Phase at_step;
  at_step.grads = req.optimizer_in_backward ? 0 : step.all_grads;
  // The step's own temporaries (parts/optimizer.cpp: Adafactor's per-tensor fp32
  // copies, RMSprop's foreach sqrt); none when the step runs on the CPU.
  const double step_work =
      s.offload_optimizer
          ? 0
          : optimizer_step_bytes(step.optimizer, step.max_tensor_elems / s.optimizer_shards,
                                 step.trainable / s.optimizer_shards);
  at_step.work = req.optimizer_in_backward ? 0 : step_work;
  at_step.where = "at the optimizer step";
  return at_step;
}

}  // namespace

void cost_layers(const Request& req, const ModelArch& arch, TrainingStep& step) {
  const TrainingSetup& s = step.setup;
  const double tp = s.tensor_parallel;
  step.activation = activation_settings(req, arch, s);
  step.activation_tp = (kTpReplicated + kTpSharded / tp) / (kTpReplicated + kTpSharded);
  auto is_trainable = [&](const Module& m) { return s.lora ? lora_targets_module(m, req) : true; };
  for (const auto& g : arch.layers) {
    LayerCost c;
    c.count = g.count;
    c.act = layer_activation(arch, g, step.activation, is_trainable);
    c.act.saved *= step.activation_tp;
    c.act.input *= step.activation_tp;
    c.act.workspace *= step.activation_tp;
    double params = 0, train = 0;
    for (const auto& m : g.modules) {
      params += m.params_per_copy() * double(m.copies);
      const double p = trained_params(req, s.lora, m, 1);
      if (p <= 0) continue;
      train += p;
      const double elems = s.lora ? p / double(m.copies) : m.weight_elements();
      step.max_tensor_grad = std::max(step.max_tensor_grad, elems * s.regime.gradient);
      step.max_tensor_elems = std::max(step.max_tensor_elems, elems);
    }
    c.grad = train * s.regime.gradient / s.gradient_shards;
    c.weights = params;
    step.max_layer_params = std::max(step.max_layer_params, params);
    step.layers.push_back(c);
  }
  cost_outside_layers(req, arch, step);
  step.max_tensor_grad /= tp;
  LossSettings loss;
  loss.chunked = s.trainer.chunked_loss;
  loss.compiled = s.trainer.compile;
  loss.held_output = s.trainer.loss == LossForm::HeldOutput;
  step.logits = logits_cost(arch, step.activation, loss, tp);
}

Phase find_peak(const Request& req, TrainingStep& step) {
  double all_kept = 0;
  step.all_grads = step.head_grad + step.embed_grad;
  for (const auto& c : step.layers) {
    all_kept += kept_until_backward(req, c) * double(c.count);
    step.all_grads += c.grad * double(c.count);
  }
  const double offload_window =  // the layer in flight to/from the CPU
      step.layers.empty() ? 0 : kept_until_backward(req, step.layers.back());

  // Each moment's gradients are clamped before the largest is picked
  // (clamping after the pick lost the real peak at the loss, #17).
  const double cap = offloaded_grad_cap(req, step);
  auto clamp = [&](Phase p) {
    p.grads = std::min(p.grads, cap);
    return p;
  };
  Phase best = clamp(peak_at_loss(step, all_kept, offload_window));
  const Phase backward = clamp(backward_peak(req, step, all_kept, offload_window));
  if (!backward.where.empty() && backward.total() > best.total()) best = backward;
  const Phase at_step = clamp(optimizer_step_peak(req, step));
  if (at_step.total() > best.total()) best = at_step;
  return best;
}

void set_live_components(const Request& req, const TrainingStep& step, Report& r) {
  const TrainingSetup& s = step.setup;
  const Phase& best = step.peak;
  const std::string ckpt =
      req.gradient_checkpointing ? "checkpointed layer inputs" : "saved activations";
  r.set("activations", Bytes(best.act),
        ckpt + (s.trainer.offload_activations ? " (offloaded to the CPU but one layer)" : "") +
            ", " + format_integer(double(req.batch)) + " × " + format_integer(double(req.seq_len)) +
            " tokens, " + std::string(to_string(s.attention)) + " attention, live " + best.where +
            (best.where == "in the backward pass" && req.gradient_checkpointing
                 ? " incl. one layer's recompute"
                 : "") +
            (s.tensor_parallel > 1 ? ", TP factor " + format_number(step.activation_tp) : "") +
            " = " + gib(best.act));
  // All gradients together (all_grads, per GPU, summed layer by layer) and
  // what of them is live at the peak: at the loss none exist yet, so the
  // formula says both rather than "N × 2 B = 0".
  Formula all = count(step.trainable, "trainable") * number(s.regime.gradient, "B");
  all.over(s.gradient_shards);
  std::string grads_formula;
  if (best.grads <= 0 && step.all_grads > 0 && !req.optimizer_in_backward)
    grads_formula = "none live " + best.where +
                    " (the peak): they appear in backward; all of them, " + all.text() + " = " +
                    gib(step.all_grads) + ", exist only at a lower moment";
  else
    grads_formula =
        all.text() +
        (req.optimizer_in_backward ? ", applied in backward (largest tensor's only)" : "") +
        ", live " + best.where + " = " + gib(best.grads);
  r.set("gradients", Bytes(best.grads), grads_formula);
  r.set("logits", Bytes(best.logits),
        best.logits > 0 ? step.logits.formula : "logits freed before this peak: 0 B");
  if (best.work > 0)
    r.set("optimizer_step", Bytes(best.work),
          "temporaries of the optimizer step (" + step.optimizer.rule + ") = " + gib(best.work));
}

}  // namespace llmmem::finetune
