// Inference memory as each engine allocates it: transformers (PyTorch
// generate), vLLM (profiled KV-block pool) and llama.cpp (preallocated
// weight, KV and compute buffers). The engines and their formats are the
// table of engines.hpp.
#pragma once

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

// The detailed inference estimate; the request has a model architecture.
Report estimate_inference(const Request& req);

// Named constants the engines share, each with its source (each engine's own
// are in its file).
// CUDA context of one process on a recent GPU with lazy module loading
// (CUDA >= 11.7): nvidia-smi shows 300-600 MiB before any tensor
// (shared/reference/measurements.md; FastChat's idle 7B worker: 13213 MiB
// against 12852 MiB of weights).
inline constexpr double kCudaContextBytes = 400.0 * 1024 * 1024;
// vLLM memory outside torch's allocator (NCCL, custom all-reduce, cuBLAS
// handles): the V0 profiler's non_torch_memory, typically 0.1-0.5 GiB. The
// KV pool of Report::vllm is what the budget leaves after it.
inline constexpr double kVllmNonTorchBytes = 0.25 * 1024 * 1024 * 1024;

}  // namespace llmmem
