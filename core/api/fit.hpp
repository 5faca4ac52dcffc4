// The verdict a person acts on: would the engine (or trainer) run this request
// on the named card? Checked the way the engine checks at start-up: the
// per-GPU total against the card's usable memory, and each refusal of the
// engine (vLLM's KV pool against max_model_len, tensor parallel against the
// heads, kernels the card lacks), each with its reason in plain words.
#pragma once

#include <string>

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

struct ModelArch;

// vLLM splits attention heads over the ranks: the query heads must divide
// evenly, and K/V heads either divide or are replicated a whole number of
// times (vllm/model_executor/layers/linear.py QKVParallelLinear). Empty when
// tp is valid, else why not.
std::string tensor_parallel_problem(const ModelArch& arch, std::int64_t tp);

// The fit of a successful report on req's card; nothing when req names none.
std::optional<Fit> check_fit(const Request& req, const Report& report);

}  // namespace llmmem
