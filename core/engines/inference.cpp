#include "engines/inference.hpp"

#include <string>

#include "engines/engines.hpp"
#include "model/model.hpp"

namespace llmmem {

Report estimate_inference(const Request& req) {
  Report r = empty_report("detailed");
  const ModelArch& arch = *req.model.arch;
  const ParamTotals totals = count_params(arch);
  r.total_params = totals.total;
  r.active_params = totals.active;
  r.trainable_params = ParamCount(0);
  r.setting("engine", std::string(to_string(req.engine)));
  const EngineSpec& engine = engine_spec(req.engine);
  engine.estimate(req, arch, r);
  if (engine.shards != Sharding::TensorParallel && req.tensor_parallel > 1)
    r.warnings.push_back(
        "tensorParallel applies to vLLM only; figures are for one GPU holding the model");
  r.ok = true;
  return r;
}

}  // namespace llmmem
