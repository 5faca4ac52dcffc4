// What the engines share: the model's widest shapes for working-memory
// formulas, the requested weight format, KV-cache element widths, and the
// weights + KV cache that the two PyTorch engines (transformers, vLLM) set up
// the same way.
#pragma once

#include <string>

#include "api/report.hpp"
#include "api/request.hpp"
#include "formats/formats.hpp"
#include "model/model.hpp"
#include "parts/kv_cache.hpp"
#include "parts/weights.hpp"

namespace llmmem::engines {

// Bytes in MiB with up to five significant digits: "400 MiB", "1234.5 MiB".
std::string format_mib(Bytes b);
inline std::string mib(double b) {
  return format_mib(Bytes(b));
}

// The shapes the working-memory formulas need, taken from the widest layer.
struct Shape {
  double hidden = 0, vocab = 0, heads = 0, q_dim = 0, kv_dim = 0,
         ff = 0;  // ff: live MLP width per token
  bool moe = false;
  double top_k = 0, expert_ff = 0, shared_ff = 0;
};
Shape shape_of(const ModelArch& arch);

// The requested weight format (bf16 when unknown).
const WeightFormat* requested_format(const Request& req);
// The format for an engine that runs checkpoints, not GGUF files: a GGUF file
// type is estimated with llama.cpp's tensor types, and said so.
const WeightFormat* checkpoint_format(const Request& req, Report& r);

// Bits per KV element of a cache type id ("auto" = the compute dtype's width).
double cache_bits(const std::string& id, Engine engine, double compute_bytes, Report& r,
                  const char* which);

// Weights in the requested format and a KV cache of batch × seqLen tokens in the
// kvCache dtype: what the two PyTorch engines share before their own working memory.
struct TorchBase {
  WeightBreakdown w;
  KvBreakdown kv;
  double cb = 2;  // bytes per element of the compute dtype
  KvSpec ks;      // the cache asked for (vLLM sizes its blocks from it)
};
TorchBase torch_base(const Request& req, const ModelArch& arch, const WeightFormat* f,
                     Engine engine, std::int64_t tp, Report& r);

}  // namespace llmmem::engines
