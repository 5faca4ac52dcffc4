// Inference memory as each engine allocates it: transformers (PyTorch
// generate), vLLM (profiled KV-block pool) and llama.cpp (preallocated
// weight, KV and compute buffers).
#pragma once

#include <string_view>
#include <vector>

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

// The detailed inference estimate; the request has a model architecture.
Report estimate_inference(const Request& req);

// The three formats a page shows per engine, 16-bit, 8-bit and 4-bit:
// transformers bf16 / int8 / nf4, vLLM bf16 / fp8 / awq-int4, llama.cpp f16 / q8_0 / q4_k_m.
struct InferenceFormat {
  std::string_view tier;     // "16-bit", "8-bit", "4-bit"
  std::string_view weights;  // a weight format id of precision.hpp
};
std::vector<InferenceFormat> inference_formats(Engine engine);

// Named constants, each with its source.
// CUDA context of one process on a recent GPU with lazy module loading
// (CUDA >= 11.7): nvidia-smi shows 300-600 MiB before any tensor
// (shared/reference/measurements.md; FastChat's idle 7B worker: 13213 MiB
// against 12852 MiB of weights).
inline constexpr double kCudaContextBytes = 400.0 * 1024 * 1024;
// PyTorch's cuBLAS workspace, allocated through the caching allocator and so
// counted by max_memory_allocated: ":4096:8" = 32 MiB on Hopper
// (CUDABlasHandlePool.cpp getChosenWorkspaceSize), 8 MiB + 128 KiB before.
inline constexpr double kCublasWorkspaceBytes = 32.0 * 1024 * 1024;
// vLLM memory outside torch's allocator (NCCL, custom all-reduce, cuBLAS
// handles): the V0 profiler's non_torch_memory, typically 0.1-0.5 GiB.
inline constexpr double kVllmNonTorchBytes = 0.25 * 1024 * 1024 * 1024;
// vLLM CUDA-graph capture: "Graph capturing finished in N secs, took
// 0.17-0.62 GiB" in the start-up logs (measurements.md).
inline constexpr double kVllmCudaGraphBytes = 0.4 * 1024 * 1024 * 1024;
// vLLM defaults: gpu_memory_utilization 0.9, max_num_seqs 256 (EngineArgs).
inline constexpr double kVllmDefaultUtilization = 0.9;
inline constexpr std::int64_t kVllmDefaultMaxNumSeqs = 256;
// Bytes per logit in vLLM's profile run: the model's bf16 logits, an fp32
// copy, the softmax probabilities and the log-probabilities (V0 sampler).
inline constexpr double kVllmLogitBytes = 2 + 4 + 4 + 4;
// llama.cpp defaults (common.h): n_ubatch 512, n_batch 2048; flash attention "auto" (on where
// supported).
inline constexpr std::int64_t kLlamaDefaultUbatch = 512;
// AWQ in vLLM: at 256 tokens or more it dequantizes the weight to fp16 and
// runs a plain matmul (awq.py FP16_MATMUL_HEURISTIC_CONDITION).
inline constexpr std::int64_t kAwqDequantTokens = 256;

}  // namespace llmmem
