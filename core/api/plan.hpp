// est.plan(request, {gpu, maxGpus}): the cheapest change that makes a request
// fit its card. Knobs are tried in tiers, each tier before the next:
//   1. fast and lossless: nothing, gradient checkpointing (fine-tuning), vLLM's
//      maxModelLen (always sized to the pool when not set), more cards;
//   2. slow but lossless: CPU offload of optimizer states, then parameters;
//   3. lossy, least loss first: an 8-bit optimizer, an fp8 / q8_0 KV cache,
//      8-bit then 4-bit weights, llama.cpp layers left on the CPU;
//   4. a smaller workload: fewer sequences, then shorter ones.
// In tiers 1 and 2 fewer cards win (cards cost money, these knobs do not);
// in tiers 3 and 4 less loss wins, at the fewest cards that give it.
// estimate({...request, ...changes}) then has fit.ok: the plan is checked by
// the same estimate, never assumed.
#pragma once

#include <cstdint>
#include <string>

#include "util/json.hpp"

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

struct PlanOptions {
  std::int64_t max_gpus = 8;
};

struct Plan {
  bool ok = false;         // a change within max_gpus makes it fit
  std::int64_t gpus = 1;   // cards at the answer
  Json changes;            // request fields to set: {"maxModelLen": 32768, ...}
  Bytes total;             // per-GPU total with the changes
  std::string binding;     // what stops the request as given (a fit reason id)
  std::string summary;     // in plain words: "fits on 8 × H100 SXM 80GB with ..."
  std::optional<Fit> fit;  // the verdict with the changes (or of the request as given)
};

// req must name a card (gpu_memory_bytes); the estimate of req must succeed.
Plan plan(const Request& req, const PlanOptions& options);

}  // namespace llmmem
