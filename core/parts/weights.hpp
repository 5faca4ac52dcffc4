// Weight memory by format, from the per-module counts of the model: which
// tensors a format quantizes, what its block scales, zeros and indices add,
// and which tensors stay 16-bit (embeddings, norms, lm_head, routers).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formats/formats.hpp"
#include "model/model.hpp"
#include "util/units.hpp"

namespace llmmem {

enum class Engine;

struct WeightSpec {
  const WeightFormat* format = nullptr;
  Engine engine{};
  double bits_per_weight = 0;        // > 0: a specific file's real bits per weight (bitsPerWeight)
  bool experts_on_cpu = false;       // llama.cpp -ot exps=CPU
  std::int64_t gpu_layers = -1;      // llama.cpp -ngl; -1 = every layer on the GPU
  std::int64_t tensor_parallel = 1;  // vLLM: sharded tensors divided over the ranks
  double file_bytes = 0;  // > 0: the exact tensor bytes read from the model's files (weightsBytes)
};

// vLLM pads the vocabulary of embeddings and lm_head to a multiple of 64
// (vocab_parallel_embedding.py DEFAULT_VOCAB_PADDING_SIZE) before sharding it.
inline constexpr std::int64_t kVllmVocabPadding = 64;
constexpr std::int64_t round_up_vocab(std::int64_t v) {
  return (v + kVllmVocabPadding - 1) / kVllmVocabPadding * kVllmVocabPadding;
}

// llama.cpp's per-tensor type choice (llama-quant.cpp llama_tensor_get_type)
// for one GGUF file type: which ggml type a tensor gets.
enum class GgufTensor {
  TokenEmbd,
  Output,
  AttnQ,
  AttnK,
  AttnV,
  AttnQkv,
  AttnOutput,
  FfnGate,
  FfnUp,
  FfnDown,
  Other
};
struct GgufContext {
  std::int64_t layer = 0, n_layer = 1;      // i_layer / n_layer of ffn_down
  std::int64_t i_attn_v = 0, n_attn_v = 1;  // i_attention_wv / n_attention_wv
  std::int64_t n_expert = 0;
  std::int64_t n_gqa = 1;
  bool is_70b = false;     // LLM_TYPE_70B (Llama 2/3 70B): attn_v gets more bits
  bool has_output = true;  // untied output tensor
};
// The ggml type name (as formats/formats.hpp's find_ggml_type spells it) for a
// tensor of row length `row` (ne[0]); k-quants fall back when row % 256 != 0.
std::string_view gguf_tensor_type(std::string_view ftype, GgufTensor t, const GgufContext& c,
                                  std::int64_t row);

struct WeightBreakdown {
  Bytes device;  // on the GPU(s), before any sharding
  Bytes host;    // kept in CPU memory (offloaded layers, experts, llama.cpp's token_embd)
  Bytes file;    // every tensor: what llama.cpp's "model size" line shows
  ParamCount quantized_params;  // parameters stored in the quantized format
  ParamCount other_params;      // parameters left in 16 bits (or fp32)
  std::string formula;          // the numbers substituted
};

WeightBreakdown weight_bytes(const ModelArch& arch, const WeightSpec& spec);

// GGUF files with llama.cpp's per-tensor types (gguf_weights.cpp); weight_bytes
// calls it for a GGUF format.
WeightBreakdown gguf_weight_bytes(const ModelArch& arch, const WeightSpec& spec);

// The compute dtype's bytes per element for a format (2 for 16-bit compute, 4 for fp32).
double compute_bytes(const WeightFormat& format);

}  // namespace llmmem
