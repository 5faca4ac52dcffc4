// The request's vocabulary, once: the names of every enumeration, the bounds of
// every number, and the list of known fields. The request parser
// (request_json.cpp), the reports (to_string), the schema the page and the
// command line read (schema.cpp) and the unknown-field warnings all use these
// tables; nothing outside core/ keeps a copy.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "api/request.hpp"
#include "engines/engines.hpp"

namespace llmmem::fields {

// An enumeration value: its name in requests and its label for people.
template <typename E>
struct Name {
  std::string_view name;
  E value;
  std::string_view label;
};

inline constexpr std::array<Name<Task>, 2> kTasks{
    {{"inference", Task::Inference, "Inference"}, {"finetune", Task::Finetune, "Fine-tuning"}}};
inline constexpr std::array<Name<EstimatorKind>, 2> kEstimators{
    {{"detailed", EstimatorKind::Detailed, "Detailed (architecture)"},
     {"simple", EstimatorKind::Simple, "Simple (parameter count)"}}};
// Engine labels are the engine table's names (engines/engines.hpp).
inline constexpr std::array<Name<Engine>, 3> kEngineNames{
    {{"transformers", Engine::Transformers, engine_spec(Engine::Transformers).name},
     {"vllm", Engine::Vllm, engine_spec(Engine::Vllm).name},
     {"llama.cpp", Engine::LlamaCpp, engine_spec(Engine::LlamaCpp).name}}};
inline constexpr std::array<Name<Method>, 4> kMethods{
    {{"full", Method::Full, "Full"},
     {"lora", Method::Lora, "LoRA"},
     {"qlora-8bit", Method::QLora8, "QLoRA 8-bit"},
     {"qlora-4bit", Method::QLora4, "QLoRA 4-bit"}}};
inline constexpr std::array<Name<Optimizer>, 9> kOptimizers{
    {{"adamw", Optimizer::AdamW, "AdamW"},
     {"adam", Optimizer::Adam, "Adam"},
     {"sgd", Optimizer::Sgd, "SGD"},
     {"sgd-momentum", Optimizer::SgdMomentum, "SGD with momentum"},
     {"rmsprop", Optimizer::RmsProp, "RMSprop"},
     {"adamw-8bit", Optimizer::AdamW8bit, "AdamW 8-bit"},
     {"paged-adamw-8bit", Optimizer::PagedAdamW8bit, "Paged AdamW 8-bit"},
     {"adafactor", Optimizer::Adafactor, "Adafactor"},
     {"lion", Optimizer::Lion, "Lion"}}};
inline constexpr std::array<Name<Attention>, 3> kAttention{
    {{"eager", Attention::Eager, "eager"},
     {"sdpa", Attention::Sdpa, "SDPA"},
     {"flash", Attention::Flash, "FlashAttention"}}};
inline constexpr std::array<Name<TrainingPrecision>, 4> kPrecisions{
    {{"bf16", TrainingPrecision::Bf16, "pure bf16 (torchtune)"},
     {"mixed-bf16", TrainingPrecision::MixedBf16, "mixed bf16 (fp32 master weights)"},
     {"mixed-fp16", TrainingPrecision::MixedFp16, "mixed fp16 (fp32 master weights)"},
     {"fp32", TrainingPrecision::Fp32, "fp32"}}};
inline constexpr std::array<Name<CpuOffload>, 3> kOffloads{
    {{"none", CpuOffload::None, "none"},
     {"optimizer", CpuOffload::Optimizer, "optimizer states"},
     {"optimizer+params", CpuOffload::OptimizerParams, "optimizer states and parameters"}}};

// Sources of each trainer's defaults: core/finetune/trainer.cpp.
inline constexpr std::array<Name<Trainer>, 7> kTrainers{
    {{"hf-trainer", Trainer::HfTrainer, "Transformers Trainer + PEFT"},
     {"torchtune", Trainer::Torchtune, "torchtune"},
     {"accelerate-fsdp", Trainer::AccelerateFsdp, "Accelerate FSDP"},
     {"fsdp-qlora", Trainer::FsdpQlora, "Answer.AI fsdp_qlora"},
     {"deepspeed", Trainer::DeepSpeed, "DeepSpeed ZeRO"},
     {"unsloth", Trainer::Unsloth, "Unsloth"},
     {"plain-pytorch", Trainer::PlainPytorch, "plain PyTorch loop (+ PEFT)"}}};

// Bounds of the request fields: wide enough for every real deployment
// (16M-token contexts, 65,536 GPUs), narrow enough that no result overflows.
inline constexpr std::int64_t kMaxBatch = 1 << 20;
inline constexpr std::int64_t kMaxSeqLen = 1 << 24;  // 16.7M tokens
inline constexpr std::int64_t kMaxGpus = 1 << 16;
inline constexpr std::int64_t kMaxRank = 1 << 16;
inline constexpr std::int64_t kMaxGpuLayers = 1 << 20;
inline constexpr double kMaxParams = 1e14;
inline constexpr std::size_t kMaxTargets = 256;
inline constexpr std::size_t kMaxModuleName = 200;
inline constexpr std::int64_t kMinGpuMemoryBytes = std::int64_t(1) << 20;  // 1 MiB
inline constexpr std::int64_t kMaxGpuMemoryBytes = std::int64_t(1) << 50;  // 1 PiB
inline constexpr double kMaxBitsPerWeight = 64;
inline constexpr std::int64_t kMaxWeightsBytes = std::int64_t(1) << 53;  // 8 PiB, exact in JS

// The fields a request may carry, by level. A field not listed is not an
// error but gets a warning naming the closest known field.
inline constexpr std::array<std::string_view, 45> kRequestFields{
    "model",
    "estimator",
    "task",
    "engine",
    "weights",
    "kvCache",
    "batch",
    "seqLen",
    "method",
    "optimizer",
    "loraRank",
    "loraTargets",
    "modulesToSave",
    "gradientCheckpointing",
    "gpus",
    "zeroStage",
    "tensorParallel",
    "attention",
    "ubatch",
    "kvCacheV",
    "gpuLayers",
    "expertsOnCpu",
    "swaFull",
    "gpuMemoryUtilization",
    "maxNumBatchedTokens",
    "maxNumSeqs",
    "maxModelLen",
    "cudaGraphs",
    "bitsPerWeight",
    "weightsBytes",
    "trainingPrecision",
    "cpuOffload",
    "optimizerInBackward",
    "activationOffloading",
    "chunkedLoss",
    "trainer",
    "compile",
    "fsdpVersion",
    "emptyCacheEachStep",
    "useCache",
    "fusedOptimizer",
    "zeroGradSetToNone",
    "gpu",
    "gpuMemoryBytes",
    "notes",
};
inline constexpr std::array<std::string_view, 4> kModelFields{"preset", "config", "configJson",
                                                              "params"};

// The name of an enumeration value, as the contract spells it.
template <typename E, std::size_t N>
constexpr std::string_view name_of(const std::array<Name<E>, N>& table, E v) {
  for (const auto& n : table)
    if (n.value == v) return n.name;
  return "?";
}

}  // namespace llmmem::fields
