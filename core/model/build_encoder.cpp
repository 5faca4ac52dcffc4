// Encoders and encoder-decoders: BERT-style encoders and T5.
#include <string>
#include <vector>

#include "model/builders.hpp"
#include "model/module_makers.hpp"

namespace llmmem {
namespace {

// The classifier's outputs: num_labels, else the size of id2label.
std::int64_t read_labels(const Fields& f) {
  std::int64_t labels = f.integer({"num_labels"}, 1, kMaxVocab).value_or(0);
  if (auto id2 = f.find({"id2label"}); !labels && id2.value && id2.value->is_object())
    labels = std::int64_t(id2.value->size());
  if (!labels) labels = 2;  // PretrainedConfig default
  return labels;
}

std::vector<Module> bert_layer_modules(std::int64_t h, std::int64_t I) {
  return {linear("query", ModuleRole::Attention, h, h, true),
          linear("key", ModuleRole::Attention, h, h, true),
          linear("value", ModuleRole::Attention, h, h, true),
          linear("attention.output.dense", ModuleRole::Attention, h, h, true),
          norm_module("attention.output.LayerNorm", h, NormKind::LayerNorm),
          linear("intermediate.dense", ModuleRole::Mlp, h, I, true),
          linear("output.dense", ModuleRole::Mlp, I, h, true),
          norm_module("output.LayerNorm", h, NormKind::LayerNorm)};
}

// T5's sizes.
struct T5Dims {
  std::int64_t d = 0, ff = 0, dkv = 0, H = 0;
  bool gated = false;  // feed_forward_proj "gated-gelu": wi_0 and wi_1
};

std::vector<Module> t5_attention(const T5Dims& t, const std::string& p) {
  return {linear(p + "q", ModuleRole::Attention, t.d, t.H * t.dkv, false),
          linear(p + "k", ModuleRole::Attention, t.d, t.H * t.dkv, false),
          linear(p + "v", ModuleRole::Attention, t.d, t.H * t.dkv, false),
          linear(p + "o", ModuleRole::Attention, t.H * t.dkv, t.d, false)};
}

std::vector<Module> t5_ffn(const T5Dims& t) {
  std::vector<Module> ms;
  if (t.gated) {
    ms.push_back(linear("wi_0", ModuleRole::Mlp, t.d, t.ff, false));
    ms.push_back(linear("wi_1", ModuleRole::Mlp, t.d, t.ff, false));
  } else {
    ms.push_back(linear("wi", ModuleRole::Mlp, t.d, t.ff, false));
  }
  ms.push_back(linear("wo", ModuleRole::Mlp, t.ff, t.d, false));
  return ms;
}

// One encoder (or decoder) stack of `layers` T5 blocks and its final norm;
// the first block holds the relative attention bias.
void append_t5_stack(ModelArch& arch, const T5Dims& t, std::int64_t layers, bool decoder,
                     std::int64_t buckets) {
  for (std::int64_t i = 0; i < layers; ++i) {
    LayerSpec spec;
    spec.attn = {AttnKind::Standard, t.H, t.H, t.dkv, t.dkv};
    spec.ffn.kind = FfnKind::Dense;
    spec.ffn.gated = t.gated;
    spec.ffn.intermediate = t.ff;
    spec.encoder = !decoder;
    spec.cross_attention = decoder;
    std::vector<Module> ms = t5_attention(t, "");
    ms.push_back(norm_module("layer_norm", t.d, NormKind::RmsNorm));
    if (decoder) {
      auto c = t5_attention(t, "EncDecAttention.");
      ms.insert(ms.end(), c.begin(), c.end());
      ms.push_back(norm_module("layer_norm", t.d, NormKind::RmsNorm));
    }
    auto m = t5_ffn(t);
    ms.insert(ms.end(), m.begin(), m.end());
    ms.push_back(norm_module("layer_norm", t.d, NormKind::RmsNorm));
    if (i == 0)
      ms.push_back(table_module("relative_attention_bias", ModuleRole::Other, buckets, t.H));
    append_layer(arch, spec, std::move(ms));
  }
  arch.tail_modules.push_back(norm_module(
      decoder ? "decoder.final_layer_norm" : "encoder.final_layer_norm", t.d, NormKind::RmsNorm));
}

}  // namespace

std::shared_ptr<ModelArch> build_bert(const Fields& f) {
  Errors& errors = f.errors();
  auto arch = std::make_shared<ModelArch>();
  arch->model_type = "bert";
  const std::int64_t V = f.required({"vocab_size"}, 1, kMaxVocab);
  const std::int64_t h = f.required({"hidden_size"}, 1, kMaxHidden);
  const std::int64_t L = f.required({"num_hidden_layers"}, 1, kMaxLayers);
  const std::int64_t H = f.required({"num_attention_heads"}, 1, kMaxHeads);
  const std::int64_t I = f.required({"intermediate_size"}, 1, kMaxIntermediate);
  const std::int64_t P = f.integer({"max_position_embeddings"}, 1, kMaxPositions).value_or(512);
  const std::int64_t T = f.integer({"type_vocab_size"}, 0, kMaxVocab).value_or(2);
  const std::int64_t labels = read_labels(f);
  if (h > 0 && H > 0 && h % H != 0)
    errors.add(f.prefix() + ".num_attention_heads", "num_attention_heads must divide hidden_size");
  if (!errors.empty()) return nullptr;
  arch->vocab_size = V;
  arch->hidden_size = h;
  arch->num_layers = L;
  arch->norm = NormKind::LayerNorm;
  arch->max_position_embeddings = P;
  arch->tie_embeddings = true;
  arch->encoder_layers = L;
  arch->head_modules = {table_module("word_embeddings", ModuleRole::Embedding, V, h),
                        table_module("position_embeddings", ModuleRole::PositionEmbedding, P, h),
                        table_module("token_type_embeddings", ModuleRole::PositionEmbedding, T, h),
                        norm_module("embeddings.LayerNorm", h, NormKind::LayerNorm)};
  LayerSpec spec;
  spec.attn = {AttnKind::Standard, H, H, h / H, h / H};
  spec.ffn.kind = FfnKind::Dense;
  spec.ffn.gated = false;
  spec.ffn.intermediate = I;
  spec.encoder = true;
  const std::vector<Module> ms = bert_layer_modules(h, I);
  for (std::int64_t i = 0; i < L; ++i) append_layer(*arch, spec, ms);
  arch->tail_modules = {linear("pooler.dense", ModuleRole::Other, h, h, true),
                        linear("classifier", ModuleRole::Other, h, labels, true)};
  return arch;
}

std::shared_ptr<ModelArch> build_t5(const Fields& f, const std::string& model_type) {
  Errors& errors = f.errors();
  auto arch = std::make_shared<ModelArch>();
  arch->model_type = model_type;
  T5Dims t;
  const std::int64_t V = f.required({"vocab_size"}, 1, kMaxVocab);
  t.d = f.required({"d_model"}, 1, kMaxHidden);
  t.ff = f.required({"d_ff"}, 1, kMaxIntermediate);
  t.dkv = f.required({"d_kv"}, 1, kMaxHeadDim);
  t.H = f.required({"num_heads"}, 1, kMaxHeads);
  const std::int64_t Le = f.required({"num_layers"}, 1, kMaxLayers);
  const std::int64_t Ld = f.integer({"num_decoder_layers"}, 1, kMaxLayers).value_or(Le);
  const std::int64_t buckets =
      f.integer({"relative_attention_num_buckets"}, 1, kMaxPositions).value_or(32);
  const std::string proj = f.string({"feed_forward_proj"}).value_or("relu");
  t.gated = proj.rfind("gated", 0) == 0;
  if (!errors.empty()) return nullptr;
  arch->vocab_size = V;
  arch->hidden_size = t.d;
  arch->num_layers = Le + Ld;
  arch->encoder_decoder = true;
  arch->encoder_layers = Le;
  arch->norm = NormKind::RmsNorm;
  arch->tie_embeddings = f.boolean({"tie_word_embeddings"}).value_or(true);
  arch->max_position_embeddings = 0;
  arch->head_modules = {table_module("shared", ModuleRole::Embedding, V, t.d)};
  append_t5_stack(*arch, t, Le, false, buckets);
  append_t5_stack(*arch, t, Ld, true, buckets);
  if (!arch->tie_embeddings)
    arch->tail_modules.push_back(linear("lm_head", ModuleRole::LmHead, t.d, V, false));
  return arch;
}

}  // namespace llmmem
