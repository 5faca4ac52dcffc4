#include "model/decoder_layer.hpp"

#include <string>
#include <utility>

#include "model/module_makers.hpp"

namespace llmmem {
namespace {

std::string joined(std::string_view prefix, std::string_view name) {
  return std::string(prefix).append(name);
}

// Multi-head latent attention (DeepSeek V2/V3, Kimi K2).
std::vector<Module> mla_modules(const AttentionSpec& a, std::int64_t h) {
  std::vector<Module> ms;
  const std::int64_t qk = a.qk_nope_head_dim + a.qk_rope_head_dim;
  if (a.q_lora_rank > 0) {
    ms.push_back(linear("q_a_proj", ModuleRole::Attention, h, a.q_lora_rank, false));
    ms.push_back(norm_module("q_a_layernorm", a.q_lora_rank, NormKind::RmsNorm));
    ms.push_back(linear("q_b_proj", ModuleRole::Attention, a.q_lora_rank, a.num_heads * qk, false));
  } else {
    ms.push_back(linear("q_proj", ModuleRole::Attention, h, a.num_heads * qk, false));
  }
  ms.push_back(linear("kv_a_proj_with_mqa", ModuleRole::Attention, h,
                      a.kv_lora_rank + a.qk_rope_head_dim, false));
  ms.push_back(norm_module("kv_a_layernorm", a.kv_lora_rank, NormKind::RmsNorm));
  ms.push_back(linear("kv_b_proj", ModuleRole::Attention, a.kv_lora_rank,
                      a.num_heads * (a.qk_nope_head_dim + a.v_head_dim), false));
  ms.push_back(linear("o_proj", ModuleRole::Attention, a.num_heads * a.v_head_dim, h, false));
  return ms;
}

}  // namespace

std::vector<Module> attention_modules(const Family& family, const AttentionSpec& a, std::int64_t h,
                                      QkNorm qk_norm) {
  std::vector<Module> ms;
  if (a.kind == AttnKind::None) return ms;
  if (a.kind == AttnKind::Mla) return mla_modules(a, h);
  const ModuleNames& n = family.names;
  const std::int64_t q_out = a.num_heads * a.head_dim;
  const std::int64_t kv_out = a.num_kv_heads * a.head_dim;
  if (!n.fused_qkv.empty()) {
    ms.push_back(
        linear(n.fused_qkv, ModuleRole::Attention, h, q_out + 2 * kv_out, family.qkv_bias));
  } else {
    // Qwen3-Next: q_proj also gives the gate of the attention output.
    const std::int64_t q_proj_out = family.attention_output_gate ? 2 * q_out : q_out;
    ms.push_back(linear(n.q, ModuleRole::Attention, h, q_proj_out, family.qkv_bias));
    if (!a.kv_shared) ms.push_back(linear(n.k, ModuleRole::Attention, h, kv_out, family.qkv_bias));
    if (!a.kv_shared && !a.v_from_k)
      ms.push_back(linear(n.v, ModuleRole::Attention, h, kv_out, family.qkv_bias));
  }
  ms.push_back(linear(n.o, ModuleRole::Attention, q_out, h, family.o_bias));
  const NormKind qk_kind =
      family.norm == NormKind::LayerNormNoBias ? NormKind::LayerNormNoBias : NormKind::RmsNorm;
  if (qk_norm == QkNorm::PerHead) {
    ms.push_back(norm_module("q_norm", a.head_dim, qk_kind));
    if (!a.kv_shared) ms.push_back(norm_module("k_norm", a.head_dim, qk_kind));
  } else if (qk_norm == QkNorm::Full) {
    ms.push_back(norm_module("q_norm", q_out, qk_kind));
    ms.push_back(norm_module("k_norm", kv_out, qk_kind));
  }
  if (family.sinks) ms.push_back(vector_module("sinks", ModuleRole::Other, a.num_heads));
  return ms;
}

std::vector<Module> dense_mlp(const Family& family, std::int64_t h, std::int64_t width, bool gated,
                              bool bias, ModuleRole role, std::string_view prefix) {
  const ModuleNames& n = family.names;
  std::vector<Module> ms;
  if (gated) {
    // Only the dense MLP is fused; shared experts keep gate and up apart.
    if (!n.fused_gate_up.empty() && role == ModuleRole::Mlp) {
      ms.push_back(linear(n.fused_gate_up, role, h, 2 * width, bias));
    } else {
      ms.push_back(linear(joined(prefix, n.gate), role, h, width, bias));
      ms.push_back(linear(joined(prefix, n.up), role, h, width, bias));
    }
  } else {
    ms.push_back(linear(joined(prefix, n.up), role, h, width, bias));
  }
  ms.push_back(linear(joined(prefix, n.down), role, width, h, bias));
  return ms;
}

std::vector<Module> moe_modules(const Family& family, const FfnSpec& ffn, std::int64_t h) {
  const ModuleNames& n = family.names;
  std::vector<Module> ms;
  ms.push_back(linear(n.router, ModuleRole::Router, h, ffn.num_experts, family.router_bias));
  if (family.router_correction_bias)
    ms.push_back(
        vector_module("gate.e_score_correction_bias", ModuleRole::Router, ffn.num_experts));
  const std::string p = joined(n.experts, ".");
  const std::int64_t w = ffn.expert_intermediate;
  auto expert = [&](std::string_view name, std::int64_t in, std::int64_t out) {
    return experts_of(linear(joined(p, name), ModuleRole::Expert, in, out, family.expert_bias),
                      ffn.num_experts, ffn.top_k);
  };
  if (!n.expert_fused_gate_up.empty()) {
    ms.push_back(expert(n.expert_fused_gate_up, h, 2 * w));
  } else if (ffn.gated) {
    ms.push_back(expert(n.expert_gate, h, w));
    ms.push_back(expert(n.expert_up, h, w));
  } else {
    ms.push_back(expert(n.expert_up, h, w));
  }
  ms.push_back(expert(n.expert_down, w, h));
  if (ffn.shared_intermediate > 0) {
    for (auto& m : dense_mlp(family, h, ffn.shared_intermediate, ffn.gated, false,
                             ModuleRole::SharedExpert, joined(n.shared, ".")))
      ms.push_back(std::move(m));
    if (family.shared_expert_gate)
      ms.push_back(linear("shared_expert_gate", ModuleRole::Router, h, 1, false));
  }
  return ms;
}

}  // namespace llmmem
