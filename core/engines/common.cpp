#include "engines/common.hpp"

#include <algorithm>

#include "engines/engines.hpp"
#include "util/text.hpp"

namespace llmmem::engines {

std::string format_mib(Bytes b) {
  return format_number(b.value / kMiB, 5) + " MiB";
}

Shape shape_of(const ModelArch& arch) {
  Shape s;
  s.hidden = double(arch.hidden_size);
  s.vocab = double(arch.vocab_size);
  for (const auto& g : arch.layers) {
    const auto& a = g.spec.attn;
    s.heads = std::max(s.heads, double(a.num_heads));
    const double qk = a.kind == AttnKind::Mla ? double(a.qk_nope_head_dim + a.qk_rope_head_dim)
                                              : double(a.head_dim);
    s.q_dim = std::max(s.q_dim, double(a.num_heads) * qk);
    s.kv_dim = std::max(s.kv_dim, double(a.num_kv_heads) * double(a.head_dim));
    const auto& f = g.spec.ffn;
    if (f.kind == FfnKind::Dense) s.ff = std::max(s.ff, double(f.intermediate));
    if (f.kind == FfnKind::Moe) {
      s.moe = true;
      s.top_k = std::max(s.top_k, double(f.top_k));
      s.expert_ff = std::max(s.expert_ff, double(f.expert_intermediate));
      s.shared_ff = std::max(s.shared_ff, double(f.shared_intermediate));
    }
  }
  return s;
}

const WeightFormat* requested_format(const Request& req) {
  const WeightFormat* f = find_weight_format(req.weights);
  return f ? f : find_weight_format("bf16");
}

const WeightFormat* checkpoint_format(const Request& req, Report& r) {
  const WeightFormat* f = requested_format(req);
  if (f->family == FormatFamily::Gguf)
    r.warnings.push_back(std::string(f->label) +
                         " is a llama.cpp file type; estimated with llama.cpp's tensor types "
                         "as if the engine loaded it unchanged");
  return f;
}

double cache_bits(const std::string& id, Engine engine, double compute_bytes, Report& r,
                  const char* which) {
  if (id == "auto") return compute_bytes * 8;
  const CacheFormat* c = find_cache_format(id);
  if (!c) return 16;
  if (c->llama_cpp_only && !engine_spec(engine).gguf) {
    r.warnings.push_back(std::string(which) + " type " + id + " is a llama.cpp cache type; " +
                         std::string(to_string(engine)) +
                         " has no such cache, estimated at its size anyway");
  }
  return c->bits;
}

TorchBase torch_base(const Request& req, const ModelArch& arch, const WeightFormat* f,
                     Engine engine, std::int64_t tp, Report& r) {
  TorchBase out;
  WeightSpec ws;
  ws.format = f;
  ws.engine = engine;
  ws.tensor_parallel = tp;
  ws.file_bytes = double(req.weights_bytes.value_or(0));
  out.w = weight_bytes(arch, ws);
  out.cb = compute_bytes(*f);
  KvSpec& ks = out.ks;
  ks.engine = engine;
  ks.k_bits = ks.v_bits = cache_bits(req.kv_cache, engine, out.cb, r, "kvCache");
  ks.auto_cache = req.kv_cache == "auto";
  ks.batch = req.batch;
  ks.seq_len = req.seq_len;
  ks.tensor_parallel = tp;
  out.kv = kv_cache_bytes(arch, ks);
  return out;
}

}  // namespace llmmem::engines
