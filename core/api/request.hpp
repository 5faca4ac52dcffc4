// The request of the public contract (shared/contract.md), as core values.
//
// Every field has the contract's default. Engine and training settings that
// the contract leaves to "the engine's own default" are std::optional here:
// each estimator fills them with its engine's default and says so.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/units.hpp"

namespace llmmem {

struct ModelArch;  // model.hpp

enum class Task { Inference, Finetune };
enum class EstimatorKind { Detailed, Simple };
enum class Engine { Transformers, Vllm, LlamaCpp };
enum class Method { Full, Lora, QLora8, QLora4 };
enum class Optimizer {
  AdamW,
  Adam,
  Sgd,
  SgdMomentum,
  RmsProp,
  AdamW8bit,
  PagedAdamW8bit,
  Adafactor,
  Lion
};
enum class Attention { Eager, Sdpa, Flash };
enum class TrainingPrecision { Bf16, MixedBf16, MixedFp16, Fp32 };
enum class CpuOffload { None, Optimizer, OptimizerParams };
// The training program whose defaults apply (core/finetune/trainer.cpp says which, and why).
enum class Trainer {
  HfTrainer,
  Torchtune,
  AccelerateFsdp,
  FsdpQlora,
  DeepSpeed,
  Unsloth,
  PlainPytorch
};

// The model, resolved: either a full architecture (preset or config.json) or
// a parameter count alone (then only the simple estimator applies).
struct ModelSpec {
  std::shared_ptr<const ModelArch> arch;  // null when only a count is known
  ParamCount params_only;                 // the count when arch is null
  std::string preset_id;                  // set when the model came from the catalog
};

struct Request {
  ModelSpec model;
  EstimatorKind estimator = EstimatorKind::Detailed;
  Task task = Task::Inference;
  Engine engine = Engine::Transformers;
  std::string weights = "bf16";  // a format id of formats/formats.hpp
  bool weights_given = false;    // false: the contract default, which QLoRA may replace
  std::string kv_cache = "auto";
  std::int64_t batch = 1;
  std::int64_t seq_len = 2048;
  Method method = Method::Full;
  Optimizer optimizer = Optimizer::AdamW;
  std::int64_t lora_rank = 16;
  std::vector<std::string> lora_targets;  // empty with lora_all_linear = true
  bool lora_all_linear = true;
  std::vector<std::string>
      modules_to_save;  // PEFT modules_to_save: trained in full beside the adapters
  bool gradient_checkpointing = false;
  std::int64_t gpus = 1;
  std::int64_t zero_stage = 0;
  std::int64_t tensor_parallel = 1;

  // Engine and training settings; empty = the engine's or framework's default.
  std::optional<Attention> attention;
  std::optional<std::int64_t> ubatch;
  std::optional<std::string> kv_cache_v;
  std::optional<std::int64_t> gpu_layers;
  bool experts_on_cpu = false;
  bool swa_full = false;
  std::optional<double> gpu_memory_utilization;
  std::optional<std::int64_t> max_num_batched_tokens;
  std::optional<std::int64_t> max_num_seqs;
  std::optional<std::int64_t> max_model_len;
  std::optional<bool> cuda_graphs;
  std::optional<double> bits_per_weight;
  std::optional<std::int64_t> weights_bytes;  // the files' exact tensor bytes (readModelFile)
  std::optional<TrainingPrecision> training_precision;
  CpuOffload cpu_offload = CpuOffload::None;
  bool optimizer_in_backward = false;
  bool activation_offloading = false;
  std::optional<bool> chunked_loss;  // empty: the trainer's default
  // The trainer and the settings whose defaults it sets; empty: its default.
  std::optional<Trainer> trainer;
  std::optional<bool> compile;                // torch.compile of the model and the loss
  std::optional<std::int64_t> fsdp_version;   // 1 or 2
  std::optional<bool> empty_cache_each_step;  // torch.cuda.empty_cache() after every step
  std::optional<bool> use_cache;              // the model's KV cache left on while training
  std::optional<bool> fused_optimizer;  // fused Adam/AdamW kernels (else torch's foreach path)
  std::optional<bool> zero_grad_set_to_none;     // optimizer.zero_grad(set_to_none=...)
  std::optional<std::int64_t> gpu_memory_bytes;  // the card, for engines that size by it (vLLM)
  std::string gpu_id;  // the catalog card (gpu), empty for a custom gpuMemoryBytes

  // What reading the request noticed (unknown fields): the report's first warnings.
  std::vector<std::string> warnings;
};

// Names as the contract spells them, for parsing and for reports.
std::string_view to_string(Task);
std::string_view to_string(EstimatorKind);
std::string_view to_string(Engine);
std::string_view to_string(Method);
std::string_view to_string(Optimizer);
std::string_view to_string(Attention);
std::string_view to_string(TrainingPrecision);
std::string_view to_string(CpuOffload);
std::string_view to_string(Trainer);

}  // namespace llmmem
