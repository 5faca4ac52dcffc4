// Which parameters a fine-tuning run trains: all of them (full), or LoRA
// adapters on target Linear modules (PEFT / torchtune), each adding
// r x (in + out) parameters per copy, with the module's real shape.
#pragma once

#include <string>
#include <vector>

#include "api/request.hpp"
#include "model/model.hpp"
#include "util/units.hpp"

namespace llmmem {

// PEFT target matching: a target names a module when it equals the module's
// name or is its last dotted component(s) ("dense" matches
// "attention.output.dense"). "all-linear" is every nn.Linear except the
// output layer (PEFT's INCLUDE_LINEAR_LAYERS_SHORTHAND).
bool lora_targets_module(const Module& m, const Request& req);

// PEFT modules_to_save: a module (usually embed_tokens or lm_head) trained in
// full beside the adapters, as a trainable copy next to the frozen original.
bool saved_in_full(const Module& m, const Request& req);

// LoRA parameters one module adds over the whole model (copies x layers).
ParamCount lora_module_params(const Module& m, std::int64_t layers, std::int64_t rank);

struct LoraPlan {
  ParamCount adapter;                  // LoRA A and B matrices, all targets
  ParamCount saved;                    // parameters of the modules_to_save copies
  std::int64_t targeted = 0;           // module kinds matched
  std::vector<std::string> unmatched;  // targets that named no module
  std::string formula;
};

LoraPlan plan_lora(const ModelArch& arch, const Request& req);

}  // namespace llmmem
