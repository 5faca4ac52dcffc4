// Optimizer states and gradients per trainable parameter, by optimizer and
// precision regime. The table in docs/finetune.md lists every number here
// with its source.
#pragma once

#include <string>

#include "api/request.hpp"
#include "util/units.hpp"

namespace llmmem {

// The precision of a fine-tuning run, resolved from trainingPrecision and the weights.
struct PrecisionRegime {
  TrainingPrecision kind = TrainingPrecision::Bf16;
  double compute = 2;    // activations and 16-bit weight copies: 2 (bf16/fp16) or 4 (fp32)
  double trainable = 2;  // bytes of each trainable parameter as stored (bf16 2, fp32 master 4)
  double gradient = 2;   // bytes of each gradient element (the parameter's dtype)
  double state = 4;      // bytes of each 32-bit optimizer state element (2 under pure bf16)
  bool master_copy =
      false;  // mixed precision: trainable parameters kept in fp32 besides 16-bit copies
};

PrecisionRegime precision_regime(TrainingPrecision p);

// bitsandbytes 8-bit optimizers: blockwise quantization, one fp32 absmax per
// block of 2048 values (bitsandbytes functional.py, optimizer_update_8bit_blockwise;
// Dettmers et al. 2022, "8-bit Optimizers via Block-wise Quantization").
inline constexpr double kBnbBlock = 2048;
// Tensors smaller than 4096 elements keep 32-bit states in bitsandbytes (min_8bit_size).
inline constexpr double kBnbMin8bitSize = 4096;

struct OptimizerCost {
  double states = 0;           // state elements per trainable parameter (dense optimizers)
  double bytes_per_param = 0;  // bytes per trainable parameter under the regime
  bool factored = false;       // Adafactor: rows + cols per matrix instead of a per-element state
  bool paged = false;          // states in CUDA unified memory (bitsandbytes paged optimizers)
  // Temporaries of the optimizer step, live only while it runs:
  // per_tensor: fp32 copies of the tensor being updated, times the largest
  // trainable tensor's elements (optimizers that loop over parameters);
  // per_param: bytes per trainable parameter of this GPU's shard (foreach
  // implementations that work on all parameters of a dtype at once).
  double step_fp32_copies_per_tensor = 0;
  double step_bytes_per_param = 0;
  std::string rule;  // how the bytes come about, for formulas
};

// Bytes of optimizer state per trainable parameter for dense (non-factored)
// optimizers; Adafactor's factored second moment is computed per matrix by
// the caller with adafactor_bytes.
// `fused`: Adam/AdamW run fused kernels (fused=True); else torch's foreach path.
OptimizerCost optimizer_cost(Optimizer opt, const PrecisionRegime& regime, bool fused = true);

// Bytes of optimizer-step temporaries per GPU: the largest trainable tensor
// (elements, this GPU's share) and all trainable parameters of this GPU.
double optimizer_step_bytes(const OptimizerCost& c, double largest_tensor, double params);

// Adafactor (Shazeer & Stern 2018; transformers.optimization.Adafactor, no
// first moment by default): a rows x cols matrix keeps rows + cols fp32
// values; vectors keep one value per element.
double adafactor_elements(double rows, double cols);

}  // namespace llmmem
