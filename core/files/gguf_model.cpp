#include "files/gguf_model.hpp"

#include <array>
#include <cmath>
#include <string_view>

namespace llmmem::files {
namespace {

using json = Json;

// How the experts of a family are named in its config.json.
enum class Moe { None, Mixtral, Qwen, QwenShared, GptOss, DeepSeek, Llama4 };

// general.architecture (llama.cpp src/llama-arch.cpp LLM_ARCH_NAMES) -> the
// config.json model_type whose family row builds it.
struct ArchRow {
  std::string_view arch;
  std::string_view model_type;
  Moe moe;
};
constexpr std::array kArchs{
    ArchRow{"llama", "llama", Moe::None},  // with experts: mixtral (below)
    ArchRow{"qwen2", "qwen2", Moe::None},
    ArchRow{"qwen3", "qwen3", Moe::None},
    ArchRow{"qwen2moe", "qwen2_moe", Moe::QwenShared},
    ArchRow{"qwen3moe", "qwen3_moe", Moe::Qwen},
    ArchRow{"gemma", "gemma", Moe::None},
    ArchRow{"gemma2", "gemma2", Moe::None},
    ArchRow{"gemma3", "gemma3_text", Moe::None},
    ArchRow{"phi3", "phi3", Moe::None},
    ArchRow{"granite", "granite", Moe::None},
    ArchRow{"smollm3", "smollm3", Moe::None},
    ArchRow{"exaone", "exaone", Moe::None},
    ArchRow{"internlm2", "internlm2", Moe::None},
    ArchRow{"gpt-oss", "gpt_oss", Moe::GptOss},
    ArchRow{"olmo2", "olmo2", Moe::None},
    ArchRow{"command-r", "cohere", Moe::None},
    // DeepSeek V2/V3/R1 and Kimi K2 (MLA): deepseek_v3 with a sigmoid router, else deepseek_v2.
    ArchRow{"deepseek2", "deepseek_v2", Moe::DeepSeek},
    ArchRow{"glm4moe", "glm4_moe", Moe::DeepSeek},
    // Llama 4's text model (the vision tower is the separate mmproj file).
    ArchRow{"llama4", "llama4_text", Moe::Llama4},
};

// llama.cpp include/llama.h enum llama_ftype (general.file_type) -> the
// request's GGUF weight format (formats/formats.cpp). BF16 files (32) count
// as f16: both store 2 bytes per weight.
struct FtypeRow {
  std::int64_t ftype;
  std::string_view format;
};
constexpr std::array kFtypes{
    FtypeRow{0, "f32"},      FtypeRow{1, "f16"},     FtypeRow{2, "q4_0"},    FtypeRow{3, "q4_1"},
    FtypeRow{7, "q8_0"},     FtypeRow{8, "q5_0"},    FtypeRow{9, "q5_1"},    FtypeRow{10, "q2_k"},
    FtypeRow{11, "q3_k_s"},  FtypeRow{12, "q3_k_m"}, FtypeRow{13, "q3_k_l"}, FtypeRow{14, "q4_k_s"},
    FtypeRow{15, "q4_k_m"},  FtypeRow{16, "q5_k_s"}, FtypeRow{17, "q5_k_m"}, FtypeRow{18, "q6_k"},
    FtypeRow{19, "iq2_xxs"}, FtypeRow{20, "iq2_xs"}, FtypeRow{21, "q2_k_s"}, FtypeRow{22, "iq3_xs"},
    FtypeRow{23, "iq3_xxs"}, FtypeRow{24, "iq1_s"},  FtypeRow{25, "iq4_nl"}, FtypeRow{26, "iq3_s"},
    FtypeRow{27, "iq3_m"},   FtypeRow{28, "iq2_s"},  FtypeRow{29, "iq2_m"},  FtypeRow{30, "iq4_xs"},
    FtypeRow{31, "iq1_m"},   FtypeRow{32, "f16"},    FtypeRow{36, "tq1_0"},  FtypeRow{37, "tq2_0"},
    FtypeRow{38, "mxfp4"},
};

class Meta {
 public:
  Meta(const GgufHeader& h, std::string_view arch) : h_(h), prefix_(std::string(arch) + ".") {}

  const GgufValue* find(std::string_view key) const {
    auto it = h_.metadata.find(prefix_ + std::string(key));
    return it == h_.metadata.end() ? nullptr : &it->second;
  }
  // An integer key: a scalar, or a per-layer array whose values are all equal.
  // Sets error_ for a per-layer array that varies.
  std::optional<std::int64_t> integer(std::string_view key) {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (v->type == GgufValueType::Array) {
      if (v->numbers.empty() || v->numbers.size() != v->count) return bad(key, "an empty array");
      for (double n : v->numbers)
        if (n != v->numbers[0]) return bad(key, "a per-layer array with different values");
      return whole(key, v->numbers[0]);
    }
    if (v->type == GgufValueType::String || v->type == GgufValueType::Bool)
      return bad(key, "not a number");
    return whole(key, v->number);
  }
  std::optional<double> number(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v || v->type == GgufValueType::Array || v->type == GgufValueType::String) return {};
    return std::isfinite(v->number) ? std::optional<double>(v->number) : std::nullopt;
  }
  const std::string& error() const { return error_; }

 private:
  std::optional<std::int64_t> whole(std::string_view key, double n) {
    if (!(n >= 0 && n <= 1e15) || std::floor(n) != n) return bad(key, "not a whole count");
    return std::int64_t(n);
  }
  std::optional<std::int64_t> bad(std::string_view key, std::string_view why) {
    if (error_.empty()) error_ = prefix_ + std::string(key) + " is " + std::string(why);
    return std::nullopt;
  }
  const GgufHeader& h_;
  std::string prefix_;
  std::string error_;
};

const GgufTensorInfo* tensor(const GgufHeader& h, std::string_view name) {
  for (const auto& t : h.tensors)
    if (t.name == name) return &t;
  return nullptr;
}

// Fills config[field] from `<arch>.key` when present.
void put(Meta& m, json& config, const char* field, std::string_view key) {
  if (auto v = m.integer(key)) config[field] = *v;
}

// DeepSeek-style experts (n_routed_experts, shared experts, leading dense layers) and, for
// deepseek2, Multi-head Latent Attention: the *_mla lengths are the per-head q/k and v sizes
// (llama.cpp writes key_length = kv_lora_rank + rope since it stores the latent cache).
void put_deepseek(Meta& m, json& c, std::string_view arch) {
  put(m, c, "n_routed_experts", "expert_count");
  put(m, c, "n_shared_experts", "expert_shared_count");
  put(m, c, "num_experts_per_tok", "expert_used_count");
  put(m, c, "moe_intermediate_size", "expert_feed_forward_length");
  put(m, c, "first_k_dense_replace", "leading_dense_block_count");
  // Multi-token-prediction layers are counted in block_count (llama.cpp glm4moe).
  if (const auto n = m.integer("nextn_predict_layers");
      n && *n > 0 && c.contains("num_hidden_layers")) {
    c["num_hidden_layers"] = c["num_hidden_layers"].get<std::int64_t>() - *n;
    c["num_nextn_predict_layers"] = *n;
  }
  if (arch != "deepseek2") return;
  // expert_gating_func 2 = sigmoid (llama.cpp LLAMA_EXPERT_GATING_FUNC_TYPE_SIGMOID): V3's router.
  if (m.integer("expert_gating_func").value_or(0) == 2) c["model_type"] = "deepseek_v3";
  c.erase("head_dim");
  if (c.contains("num_attention_heads")) c["num_key_value_heads"] = c["num_attention_heads"];
  if (const auto q = m.integer("attention.q_lora_rank"); q && *q > 0) c["q_lora_rank"] = *q;
  put(m, c, "kv_lora_rank", "attention.kv_lora_rank");
  const auto rope = m.integer("rope.dimension_count");
  auto qk = m.integer("attention.key_length_mla");
  auto v = m.integer("attention.value_length_mla");
  if (!qk) qk = m.integer("attention.key_length"), v = m.integer("attention.value_length");
  if (rope && qk && *qk >= *rope) {
    c["qk_rope_head_dim"] = *rope;
    c["qk_nope_head_dim"] = *qk - *rope;
  }
  if (v) c["v_head_dim"] = *v;
}

// Llama 4 (convert_hf_to_gguf.py Llama4Model): feed_forward_length is the
// dense layers' intermediate_size_mlp, expert_feed_forward_length the
// experts' intermediate_size; llama.cpp chunks every layer but each fourth by
// 8192 tokens unless attention.sliding_window is written as 0 (no chunking).
void put_llama4(Meta& m, json& c) {
  if (c.contains("intermediate_size")) c["intermediate_size_mlp"] = c["intermediate_size"];
  put(m, c, "intermediate_size", "expert_feed_forward_length");
  put(m, c, "num_local_experts", "expert_count");
  put(m, c, "num_experts_per_tok", "expert_used_count");
  put(m, c, "interleave_moe_layer_step", "interleave_moe_layer_step");
  if (c.contains("sliding_window") && c["sliding_window"] == 0) c["attention_chunk_size"] = nullptr;
  c.erase("sliding_window");
}

void put_experts(Meta& m, json& c, Moe moe) {
  const auto experts = m.integer("expert_count");
  if (!experts || *experts == 0) return;
  const bool gpt_oss = moe == Moe::GptOss;
  const char* n_key = moe == Moe::Mixtral || gpt_oss ? "num_local_experts" : "num_experts";
  c[n_key] = *experts;
  put(m, c, gpt_oss ? "experts_per_token" : "num_experts_per_tok", "expert_used_count");
  if (moe == Moe::Qwen || moe == Moe::QwenShared)
    put(m, c, "moe_intermediate_size", "expert_feed_forward_length");
  if (gpt_oss) put(m, c, "intermediate_size", "expert_feed_forward_length");
  if (moe == Moe::QwenShared)
    put(m, c, "shared_expert_intermediate_size", "expert_shared_feed_forward_length");
}

}  // namespace

std::string gguf_known_architectures() {
  std::string out;
  for (const auto& a : kArchs) out += (out.empty() ? "" : ", ") + std::string(a.arch);
  return out;
}

json gguf_config(const GgufHeader& h, std::string& error) {
  auto it = h.metadata.find("general.architecture");
  if (it == h.metadata.end() || it->second.type != GgufValueType::String) {
    error = "the file has no general.architecture (a string): the model cannot be named";
    return nullptr;
  }
  const std::string& arch = it->second.text;
  const ArchRow* row = nullptr;
  for (const auto& a : kArchs)
    if (a.arch == arch) row = &a;
  if (!row) {
    error = "GGUF architecture '" + arch.substr(0, 64) +
            "' is not supported yet; known: " + gguf_known_architectures();
    return nullptr;
  }
  Meta m(h, arch);
  json c = json::object();
  Moe moe = row->moe;
  std::string_view model_type = row->model_type;
  if (arch == "llama" && m.integer("expert_count").value_or(0) > 0)
    model_type = "mixtral", moe = Moe::Mixtral;
  c["model_type"] = std::string(model_type);
  put(m, c, "hidden_size", "embedding_length");
  put(m, c, "num_hidden_layers", "block_count");
  put(m, c, "num_attention_heads", "attention.head_count");
  put(m, c, "num_key_value_heads", "attention.head_count_kv");
  put(m, c, "intermediate_size", "feed_forward_length");
  put(m, c, "max_position_embeddings", "context_length");
  put(m, c, "head_dim", "attention.key_length");
  put(m, c, "sliding_window", "attention.sliding_window");
  if (moe == Moe::DeepSeek)
    put_deepseek(m, c, arch);
  else if (moe == Moe::Llama4)
    put_llama4(m, c);
  else
    put_experts(m, c, moe);
  if (auto theta = m.number("rope.freq_base")) c["rope_theta"] = *theta;
  // The vocabulary: token_embd's rows (ne[1]), else the tokenizer's token list.
  if (const auto* e = tensor(h, "token_embd.weight"); e && e->dims.size() >= 2)
    c["vocab_size"] = e->dims[1];
  else if (auto t = h.metadata.find("tokenizer.ggml.tokens"); t != h.metadata.end())
    c["vocab_size"] = t->second.count;
  // No output tensor: llama.cpp reuses token_embd (tied embeddings).
  c["tie_word_embeddings"] = tensor(h, "output.weight") == nullptr;
  if (!m.error().empty()) {
    error = m.error();
    return nullptr;
  }
  for (const char* need : {"hidden_size", "num_hidden_layers", "num_attention_heads"})
    if (!c.contains(need)) {
      error = "the file has no " + arch + "." +
              (std::string_view(need) == "hidden_size"         ? "embedding_length"
               : std::string_view(need) == "num_hidden_layers" ? "block_count"
                                                               : "attention.head_count");
      return nullptr;
    }
  return c;
}

std::string gguf_file_type(const GgufHeader& h) {
  auto it = h.metadata.find("general.file_type");
  if (it == h.metadata.end() || !it->second.integer) return "";
  for (const auto& f : kFtypes)
    if (f.ftype == *it->second.integer) return std::string(f.format);
  return "";
}

}  // namespace llmmem::files
