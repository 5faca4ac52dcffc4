#include "finetune.hpp"

#include "simple.hpp"

namespace llmmem {

Report estimate_finetune(const Request& req) {
  Report r = estimate_simple(req);  // placeholder until the fine-tuning model lands
  r.estimator = "detailed";
  return r;
}

}  // namespace llmmem
