// Fine-tuning memory: full, LoRA and QLoRA, every common optimizer,
// activation checkpointing, precision regimes, ZeRO / FSDP, offload, TP.
#pragma once

#include "api/report.hpp"
#include "api/request.hpp"

namespace llmmem {

// The detailed fine-tuning estimate; the request has a model architecture.
Report estimate_finetune(const Request& req);

}  // namespace llmmem
