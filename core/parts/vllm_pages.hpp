// vLLM V1's KV pool for models with recurrent layers (Mamba-2, Gated
// DeltaNet, KDA, short convolutions): one pool of equal pages in which each
// running sequence holds the blocks of its attention layers and one page of
// state per recurrent layer.
#pragma once

#include <cstdint>
#include <optional>

#include "model/model.hpp"
#include "parts/kv_cache.hpp"

namespace llmmem {

// vllm/model_executor/models/config.py HybridAttentionMambaModelConfig: the
// attention block is 16 x cdiv(state page, 16 x attention bytes per token)
// tokens, and the state page is padded to the attention page. Then
// vllm/v1/core/kv_cache_utils.py _get_kv_cache_groups_uniform_page_size:
// the layers of each kind go in groups of group_size (the smaller count, or
// the larger when it is under 1.5 times the smaller), and every group's block
// spans group_size pool tensors; get_kv_cache_config_from_groups: num_blocks
// = pool / (page x group_size); a sequence holds cdiv(tokens, block) blocks
// per attention group and one per state group (MambaSpec.block_size =
// max_model_len); "GPU KV cache size" = num_blocks // groups x block tokens.
struct VllmHybridPages {
  std::int64_t block_tokens = 0;  // tokens per attention block
  double page = 0;                // bytes of one block of one layer, per rank
  double state_page = 0;          // the largest layer state before padding
  std::int64_t group_size = 0;
  std::int64_t attention_layers = 0, state_layers = 0;
  std::int64_t attention_groups = 0, state_groups = 0;

  double block_bytes() const { return page * double(group_size); }
  // Blocks one sequence of `tokens` holds.
  double blocks_per_seq(std::int64_t tokens) const;
  // The capacity vLLM logs for `num_blocks` blocks.
  double reported_tokens(double num_blocks) const;
};

// The pages when the model has recurrent layers (per rank under `spec`'s
// tensor parallelism); nullopt for attention-only models.
std::optional<VllmHybridPages> vllm_hybrid_pages(const ModelArch& arch, const KvSpec& spec);

}  // namespace llmmem
