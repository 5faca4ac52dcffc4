// The measured error of the fine-tuning estimate, by trainer and method
// (core/data/accuracy.json, written by `make bench` from the measurement
// cases), turned into a range around a report's total.
#pragma once

#include <string_view>

#include "api/report.hpp"
#include "api/request.hpp"
#include "finetune/trainer.hpp"

namespace llmmem::finetune {

// The method as the accuracy table groups it: "full", "lora" or "qlora".
const char* method_class(Method m);

// Sets report.range from the signed error (estimate vs measured, 10th and
// 90th percentile) of the cases of this trainer and method; with fewer than
// kMinCases of them, of this method over all trainers, then of all cases.
void set_range(const Request& req, const TrainerSettings& t, Report& r);

inline constexpr int kMinCases = 3;

// The whole of core/data/accuracy.json (also the per-engine and per-trainer
// median errors, which est.schema() passes to the page for its notes).
std::string_view accuracy_json_text();

}  // namespace llmmem::finetune
