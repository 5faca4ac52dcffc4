#include "parts/vllm_pages.hpp"

#include <algorithm>
#include <cmath>

#include "api/request.hpp"

namespace llmmem {

double VllmHybridPages::blocks_per_seq(std::int64_t tokens) const {
  const double attention =
      block_tokens > 0 ? double((tokens + block_tokens - 1) / block_tokens) : 0.0;
  return double(attention_groups) * attention + double(state_groups);
}

double VllmHybridPages::reported_tokens(double num_blocks) const {
  const double groups = double(attention_groups + state_groups);
  return groups > 0 ? std::floor(num_blocks / groups) * double(block_tokens) : 0;
}

std::optional<VllmHybridPages> vllm_hybrid_pages(const ModelArch& arch, const KvSpec& spec) {
  VllmHybridPages p;
  double token_bytes = 0;  // one attention layer, one token
  const double tp = double(std::max<std::int64_t>(1, spec.tensor_parallel));
  for (const auto& g : arch.layers) {
    // The state is split over the ranks with the heads (MambaStateShapeCalculator).
    if (const double s = recurrent_state_bytes(g.spec, arch, Engine::Vllm) / tp; s > 0) {
      p.state_page = std::max(p.state_page, s);
      p.state_layers += g.count;
    }
    const KvWidth w = kv_width(g.spec, Engine::Vllm, spec.tensor_parallel);
    if (w.k == 0 && w.v == 0) continue;
    token_bytes = std::max(token_bytes, (w.k * spec.k_bits + w.v * spec.v_bits) / 8);
    p.attention_layers += g.count;
  }
  if (p.state_layers == 0) return std::nullopt;
  if (p.attention_layers == 0) {  // attention-free: the state pages alone
    p.page = p.state_page;
    p.group_size = p.state_layers;
    p.state_groups = 1;
    return p;
  }
  const double unit = double(kVllmBlockTokens) * token_bytes;
  p.block_tokens = kVllmBlockTokens * std::int64_t(std::ceil(p.state_page / unit));
  p.page = double(p.block_tokens) * token_bytes;
  const std::int64_t fewer = std::min(p.attention_layers, p.state_layers);
  const std::int64_t more = std::max(p.attention_layers, p.state_layers);
  p.group_size = double(more) < 1.5 * double(fewer) ? more : fewer;
  p.attention_groups = (p.attention_layers + p.group_size - 1) / p.group_size;
  p.state_groups = (p.state_layers + p.group_size - 1) / p.group_size;
  return p;
}

}  // namespace llmmem
