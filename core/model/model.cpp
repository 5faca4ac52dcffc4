#include "model/model.hpp"

namespace llmmem {

const LayerSpec& ModelArch::layer(std::int64_t i) const {
  for (const auto& g : layers)
    if (i >= g.first && i < g.first + g.count) return g.spec;
  static const LayerSpec none;  // outside 0..layer_count: an empty spec, never a throw
  return none;
}

bool ModelArch::is_moe() const {
  for (const auto& g : layers)
    if (g.spec.ffn.kind == FfnKind::Moe) return true;
  return false;
}

ParamCount module_params(const Module& m, std::int64_t layers) {
  return ParamCount(m.params_per_copy() * double(m.copies) * double(layers));
}

ParamTotals count_params(const ModelArch& arch) {
  ParamTotals t;
  arch.for_each_module([&](const Module& m, std::int64_t layers) {
    const double per = m.params_per_copy() * double(layers);
    t.total += ParamCount(per * double(m.copies));
    t.active += ParamCount(per * double(m.active_copies));
    if (m.role == ModuleRole::Embedding) t.embedding += ParamCount(per * double(m.copies));
  });
  t.active_without_embedding = t.active - t.embedding;
  return t;
}

void append_layer(ModelArch& arch, const LayerSpec& spec, std::vector<Module> modules) {
  const std::int64_t index =
      arch.layers.empty() ? 0 : arch.layers.back().first + arch.layers.back().count;
  if (!arch.layers.empty() && arch.layers.back().spec == spec &&
      arch.layers.back().modules == modules) {
    ++arch.layers.back().count;
    return;
  }
  arch.layers.push_back(LayerGroup{index, 1, spec, std::move(modules)});
}

}  // namespace llmmem
