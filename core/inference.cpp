#include "inference.hpp"

#include "simple.hpp"

namespace llmmem {

Report estimate_inference(const Request& req) {
  Report r = estimate_simple(req);  // placeholder until the engine models land
  r.estimator = "detailed";
  return r;
}

}  // namespace llmmem
