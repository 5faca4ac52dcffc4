#include "simple/simple.hpp"

#include "formats/formats.hpp"
#include "model/model.hpp"
#include "util/formula.hpp"
#include "util/text.hpp"

namespace llmmem {

double simple_optimizer_bytes(Optimizer opt) {
  using simple::kStateBytes;
  switch (opt) {
    case Optimizer::Sgd:
      return 0;  // no state
    case Optimizer::SgdMomentum:
      return 1 * kStateBytes;  // momentum
    case Optimizer::RmsProp:
      return 1 * kStateBytes;  // second moment
    case Optimizer::Adam:
    case Optimizer::AdamW:
      return 2 * kStateBytes;  // first and second moments
    case Optimizer::Lion:
      return 1 * kStateBytes;  // momentum only (Chen et al. 2023)
    case Optimizer::AdamW8bit:
    case Optimizer::PagedAdamW8bit:
      return 2 * 1.0;  // two 1-byte states (HF anatomy)
    case Optimizer::Adafactor:
      return 0;  // factored rows + columns
  }
  return 0;
}

namespace {

std::string optimizer_rule(Optimizer opt) {
  switch (opt) {
    case Optimizer::Sgd:
      return "SGD keeps no state: 0 B";
    case Optimizer::SgdMomentum:
      return "SGD + momentum: 1 state × 4 B";
    case Optimizer::RmsProp:
      return "RMSProp: 1 state × 4 B";
    case Optimizer::Adam:
      return "Adam: 2 states × 4 B";
    case Optimizer::AdamW:
      return "AdamW: 2 states × 4 B";
    case Optimizer::Lion:
      return "Lion: 1 state × 4 B";
    case Optimizer::AdamW8bit:
      return "8-bit AdamW: 2 states × 1 B";
    case Optimizer::PagedAdamW8bit:
      return "paged 8-bit AdamW: 2 states × 1 B";
    case Optimizer::Adafactor:
      return "Adafactor: factored moments, ~0 B per parameter";
  }
  return "";
}

}  // namespace

Report estimate_simple(const Request& req) {
  using namespace simple;
  Report r = empty_report("simple");

  ParamCount total = req.model.params_only, active = req.model.params_only;
  if (req.model.arch) {
    const ParamTotals t = count_params(*req.model.arch);
    total = t.total;
    active = t.active;
  }
  r.total_params = total;
  r.active_params = active;

  const double tokens = double(req.batch) * double(req.seq_len);
  const double scale = tokens / kReferenceTokens;
  const std::string scale_text =
      "batch " + std::to_string(req.batch) + " × seqLen " + std::to_string(req.seq_len) + " / 2048";
  const std::string active_text =
      format_count(active.value) + (req.model.arch && active < total ? " active" : "");

  // Weight bits: the format's nominal width, or QLoRA's base width.
  const WeightFormat* wf = find_weight_format(req.weights);
  double bits = wf ? wf->nominal_bits : 16;
  std::string bits_name = wf ? std::string(wf->label) : req.weights;
  if (req.task == Task::Finetune && req.method == Method::QLora8) bits = 8, bits_name = "8-bit";
  if (req.task == Task::Finetune && req.method == Method::QLora4) bits = 4, bits_name = "4-bit";

  const Formula weights =
      count(total.value, "params") * number(bits / 8, "B").note(" (" + bits_name + ")");
  r.set("weights", weights.bytes(), weights.equals(format_gb));

  // 10% of the 16-bit weights, at the reference b x s, for activations (and KV).
  const Bytes act16 = active * BytesPerParam(kActivationBytes);
  const Bytes activations = act16 * (kActivationFraction * scale);
  r.set("activations", activations,
        "10% × " + active_text + " params × 2 B × " + scale_text + " = " + format_gb(activations));

  if (req.task == Task::Inference) {
    const Bytes kv = act16 * (kKvFraction * scale);
    r.set("kv_cache", kv,
          "10% × " + active_text + " params × 2 B × " + scale_text + " = " + format_gb(kv));
  } else {
    const bool lora = req.method != Method::Full;
    const ParamCount trainable = lora ? total * kLoraTrainableFraction : total;
    r.trainable_params = trainable;
    const std::string trainable_text = lora ? "1% × " + format_count(total.value) + " = " +
                                                  format_count(trainable.value) + " trainable"
                                            : format_count(trainable.value) + " trainable";
    const Formula grads = Formula(trainable.value, trainable_text) * number(kGradientBytes, "B");
    r.set("gradients", grads.bytes(), grads.equals(format_gb));
    const Formula opt = Formula(trainable.value, trainable_text) *
                        number(simple_optimizer_bytes(req.optimizer), "B")
                            .note(" (" + optimizer_rule(req.optimizer) + ")");
    r.set("optimizer", opt.bytes(), opt.equals(format_gb));
  }

  r.set(
      "overhead", gigabytes(kOverheadGb),
      "CUDA context, framework and input buffers: 2 GB (the article's 1-2 GB, as its tables use)");

  if (req.gpus > 1 || req.zero_stage > 0 || req.tensor_parallel > 1)
    r.warnings.push_back(
        "the simple estimator does not model multi-GPU sharding: figures are for one GPU holding "
        "everything");
  if (req.model.arch && active < total)
    r.warnings.push_back(
        "MoE: weights count all " + format_count(total.value) +
        " parameters; activations and KV cache use the " + format_count(active.value) +
        " active ones (the article's rule for activations; for the KV cache, our choice)");
  r.ok = true;
  return r;
}

}  // namespace llmmem
