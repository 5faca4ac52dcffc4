// Inference memory as each engine allocates it: transformers (PyTorch
// generate), vLLM (profiled KV-block pool) and llama.cpp (preallocated
// weight, KV and compute buffers).
#pragma once

#include "report.hpp"
#include "request.hpp"

namespace llmmem {

// The detailed inference estimate; the request has a model architecture.
Report estimate_inference(const Request& req);

}  // namespace llmmem
