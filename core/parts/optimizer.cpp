#include "parts/optimizer.hpp"

namespace llmmem {

PrecisionRegime precision_regime(TrainingPrecision p) {
  PrecisionRegime r;
  r.kind = p;
  switch (p) {
    case TrainingPrecision::Bf16:
      // torchtune: the model, its gradients and the optimizer states all in
      // bf16 (dtype: bf16 in every recipe; torch optimizers keep states in the
      // parameter's dtype).
      r.compute = 2, r.trainable = 2, r.gradient = 2, r.state = 2;
      break;
    case TrainingPrecision::MixedBf16:
    case TrainingPrecision::MixedFp16:
      // HF Trainer AMP: fp32 parameters (the master copy), 16-bit casts of them
      // for the matmuls, fp32 gradients, fp32 states (model_memory_anatomy:
      // "6 bytes * number of parameters for mixed precision training").
      r.compute = 2, r.trainable = 4, r.gradient = 4, r.state = 4, r.master_copy = true;
      break;
    case TrainingPrecision::Fp32:
      r.compute = 4, r.trainable = 4, r.gradient = 4, r.state = 4;
      break;
  }
  return r;
}

OptimizerCost optimizer_cost(Optimizer opt, const PrecisionRegime& regime, bool fused) {
  OptimizerCost c;
  const double s = regime.state;
  const std::string sname = s == 2 ? "bf16" : "fp32";
  // 8-bit states: 1 byte each plus one fp32 absmax per 2048-value block.
  const double q8 = 1 + 4 / kBnbBlock;
  switch (opt) {
    case Optimizer::Sgd:
      c.states = 0, c.bytes_per_param = 0, c.rule = "plain SGD keeps no state";
      break;
    case Optimizer::SgdMomentum:
      c.states = 1, c.bytes_per_param = s, c.rule = "momentum buffer, 1 " + sname + " state";
      break;
    case Optimizer::RmsProp:
      c.states = 1, c.bytes_per_param = s, c.rule = "square average, 1 " + sname + " state";
      // torch.optim.RMSprop defaults to its foreach path on CUDA (foreach=None,
      // no fused variant by default): _multi_tensor_rmsprop builds
      // avg = torch._foreach_sqrt(square_avgs) for every parameter at once,
      // one temporary the size of the states, before _foreach_addcdiv_.
      c.step_bytes_per_param = s;
      break;
    case Optimizer::Lion:
      c.states = 1, c.bytes_per_param = s, c.rule = "Lion momentum, 1 " + sname + " state";
      break;
    case Optimizer::Adam:
    case Optimizer::AdamW:
      c.states = 2, c.bytes_per_param = 2 * s,
      c.rule = "exp_avg + exp_avg_sq, 2 " + sname + " states";
      // torch.optim.AdamW without fused=True runs _multi_tensor_adamw on CUDA
      // (foreach=None picks it): exp_avg_sq_sqrt = torch._foreach_sqrt(exp_avg_sqs)
      // is one state-sized temporary for all parameters before _foreach_addcdiv_
      // (6.4 GB for a 3.2B-parameter model in bf16, #17).
      if (!fused) {
        c.step_bytes_per_param = s;
        c.rule += ", foreach step";
      }
      break;
    case Optimizer::AdamW8bit:
      c.states = 2, c.bytes_per_param = 2 * q8,
      c.rule = "bitsandbytes 8-bit AdamW: 2 states of 1 B + fp32 absmax per 2048 values";
      break;
    case Optimizer::PagedAdamW8bit:
      c.states = 2, c.bytes_per_param = 2 * q8, c.paged = true,
      c.rule = "bitsandbytes paged 8-bit AdamW: 2 B + absmax in CUDA unified memory";
      break;
    case Optimizer::Adafactor:
      c.states = 0, c.bytes_per_param = 0, c.factored = true,
      c.rule = "Adafactor: factored second moment (rows + cols fp32 per matrix), no first moment";
      // transformers.optimization.Adafactor.step loops over parameters: for
      // each one `update = grad**2 + eps` and `_approx_sq_grad(row, col)` (a
      // full-size fp32 tensor) coexist, as do `update` and `-update` in
      // `p_data_fp32.add_(-update)`: 2 fp32 copies of the tensor; 16-bit
      // parameters add `p.float()` and `grad.float()` (2 more).
      c.step_fp32_copies_per_tensor = regime.trainable < 4 ? 4 : 2;
      break;
  }
  return c;
}

double optimizer_step_bytes(const OptimizerCost& c, double largest_tensor, double params) {
  return c.step_fp32_copies_per_tensor * 4 * largest_tensor + c.step_bytes_per_param * params;
}

double adafactor_elements(double rows, double cols) {
  if (rows <= 1 || cols <= 1) return rows * cols;  // vectors: an unfactored second moment
  return rows + cols;
}

}  // namespace llmmem
