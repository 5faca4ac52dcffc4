// The report of the public contract: per-GPU components in whole bytes, each
// with the formula that produced it, plus the counts and the warnings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/error.hpp"
#include "util/units.hpp"

namespace llmmem {

// The six ids every report carries, in this order; more may follow.
inline constexpr std::string_view kRequiredComponents[] = {"weights",   "kv_cache",  "activations",
                                                           "gradients", "optimizer", "overhead"};

struct Component {
  std::string id;
  Bytes bytes;
  std::string formula;  // the numbers substituted, so a user can check by hand
};

// What vLLM users ask: how much it claims and how many tokens fit in the rest.
struct VllmCapacity {
  Bytes budget;                    // gpu_memory_utilization x card
  Bytes kv_pool;                   // budget minus weights, activations and non-torch memory
  double kv_tokens = 0;            // KV capacity in tokens (whole 16-token blocks)
  double max_concurrent_seqs = 0;  // at seqLen tokens each
  Bytes card;
  double max_model_len = 0;  // the longest sequence vLLM accepts (its max_model_len)
  double max_num_seqs = 0;   // sequences its scheduler runs at once (max_num_seqs)
  // The longest request the pool can hold (vLLM's start check), and how many
  // whole sequences of seqLen it holds at once: kv_tokens and its 16-token
  // blocks for attention-only models; with recurrent layers, the blocks each
  // sequence takes (vllm_pages.hpp).
  double longest_request = 0;
  double seqs_at_once = 0;
};

// Would it run on the named card? Each reason says, in plain words, why not.
struct FitReason {
  std::string id;  // "memory", "kv_pool", "max_model_len", "tensor_parallel", ...
  std::string message;
};

struct Fit {
  bool ok = true;
  std::int64_t gpus = 1;
  Bytes usable;  // per card
  std::vector<FitReason> reasons;
};

// Fine-tuning: what each kind of reading shows (torch.cuda.max_memory_allocated,
// max_memory_reserved, nvidia-smi); device equals the report's total.
struct MemoryFigures {
  Bytes allocated, reserved, device;
};

// Where the real figure is likely to fall, from the measured error of this
// trainer and method (core/data/accuracy.json, written by make bench).
struct Range {
  Bytes low, high;
  // What it was measured on: the cases of this trainer and method ("*" pools
  // them), and the median size of their error.
  int cases = 0;
  std::string trainer, method;
  double median_error = 0;
};

struct Report {
  bool ok = false;
  std::vector<FieldError> errors;

  std::string estimator;  // "simple" or "detailed"
  ParamCount total_params, active_params, trainable_params;
  // total_params plus what the checkpoint stores beside the model and no engine
  // loads for plain inference (multi-token-prediction layers).
  ParamCount checkpoint_params;
  std::vector<Component> components;
  std::vector<std::string> warnings;
  std::vector<std::pair<std::string, std::string>> settings;  // resolved settings, for display
  std::optional<VllmCapacity> vllm;
  std::optional<Fit> fit;               // when the request names a card (gpu or gpuMemoryBytes)
  std::optional<MemoryFigures> memory;  // fine-tuning
  std::optional<Range> range;

  // Sets a component, appending it (after the required six) if absent.
  void set(std::string_view id, Bytes bytes, std::string formula);
  const Component* find(std::string_view id) const;
  Bytes total() const;
  void setting(std::string key, std::string value) {
    settings.emplace_back(std::move(key), std::move(value));
  }
};

// A report with the six required components, all zero.
Report empty_report(std::string_view estimator);

// A failed report.
Report error_report(std::vector<FieldError> errors);

}  // namespace llmmem
