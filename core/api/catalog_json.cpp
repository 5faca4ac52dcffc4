// presets() and gpus() of the contract as JSON text (api/estimate.hpp), in
// a source of their own: they run once per module, so wasm/CMakeLists.txt
// compiles them for size, not speed (estimate.cpp is on every estimate()'s path).
#include <cmath>

#include "api/estimate.hpp"
#include "catalog/catalog.hpp"

namespace llmmem {

using json = nlohmann::json;

namespace {

std::string presets_text() {
  json out = json::array();
  for (const auto& p : presets()) {
    out.push_back({{"id", p.id},
                   {"name", p.name},
                   {"family", p.family},
                   {"hfId", p.hf_id},
                   {"modelType", p.arch->model_type},
                   {"params", std::llround(p.params.total.value)},
                   {"activeParams", std::llround(p.params.active.value)},
                   {"maxContext", p.arch->max_position_embeddings},
                   {"source", p.source}});
  }
  return out.dump();
}

std::string gpus_text() {
  json out = json::array();
  for (const auto& g : gpus()) {
    out.push_back({{"id", g.id},
                   {"name", g.name},
                   {"vendor", g.vendor},
                   {"segment", g.segment},
                   {"arch", g.arch},
                   {"computeCapability",
                    g.compute_capability.empty() ? json(nullptr) : json(g.compute_capability)},
                   {"memoryBytes", std::llround(g.memory_bytes)},
                   {"usableBytes", std::llround(g.usable_bytes)},
                   {"basis", g.basis},
                   {"source", g.source},
                   {"notes", g.notes}});
  }
  return out.dump();
}

}  // namespace

// The catalogs never change: their text is written once.
std::string presets_json() {
  static const std::string text = presets_text();
  return text;
}

std::string gpus_json() {
  static const std::string text = gpus_text();
  return text;
}

}  // namespace llmmem
