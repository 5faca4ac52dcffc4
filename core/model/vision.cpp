// Vision encoders of multimodal checkpoints, counted as one module each.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "model/builders.hpp"
#include "model/families.hpp"
#include "util/text.hpp"

namespace llmmem {
namespace {

using json = Json;

// Bounds of the vision fields read: generous beside real towers (SigLIP: 3
// channels, 896 px, patch 14; Qwen2.5-VL: merge 2, temporal patch 2), small
// enough that the products below stay far inside a double's exact integers.
inline constexpr std::int64_t kMaxChannels = 1 << 10;
inline constexpr std::int64_t kMaxImageSize = 1 << 16;
inline constexpr std::int64_t kMaxPatch = 1 << 12;
inline constexpr std::int64_t kMaxMerge = 1 << 6;
inline constexpr std::int64_t kMaxMlpRatio = 1 << 6;

// SigLIP (Gemma 3): conv patch embedding, learned positions, pre-LN blocks
// with biased q/k/v/o and a 2-matrix GELU MLP, a post LayerNorm; then Gemma 3's
// projector (vision_h x text_h matrix and an RMSNorm of vision_h).
std::optional<double> siglip_params(const Fields& vc, std::int64_t text_hidden) {
  const double h = double(vc.integer({"hidden_size"}, 1, kMaxHidden).value_or(768));
  const double I = double(vc.integer({"intermediate_size"}, 1, kMaxIntermediate).value_or(3072));
  const double L = double(vc.integer({"num_hidden_layers"}, 1, kMaxLayers).value_or(12));
  const double c = double(vc.integer({"num_channels"}, 1, kMaxChannels).value_or(3));
  const double p = double(vc.integer({"patch_size"}, 1, kMaxPatch).value_or(16));
  const double img = double(vc.integer({"image_size"}, 1, kMaxImageSize).value_or(224));
  const double patches = std::floor(img / p) * std::floor(img / p);
  const double embed = c * p * p * h + h + patches * h;
  const double layer = 4 * (h * h + h) + 2 * (2 * h) + (h * I + I) + (I * h + h);
  const double vision = embed + L * layer + 2 * h;
  const double projector = h * double(text_hidden) + h;
  return vision + projector;
}

// Qwen2/2.5-VL ViT: conv3d patch embedding, RMSNorm blocks with a fused
// biased qkv and a gated (2.5) or plain (2) MLP, and the patch merger.
std::optional<double> qwen_vl_vision_params(const Fields& vc, std::int64_t text_hidden, bool v25) {
  const double h = double(vc.integer({"hidden_size", "embed_dim"}, 1, kMaxHidden).value_or(1280));
  const double depth = double(vc.integer({"depth"}, 1, kMaxLayers).value_or(32));
  const double c = double(vc.integer({"in_chans", "in_channels"}, 1, kMaxChannels).value_or(3));
  const double p = double(vc.integer({"patch_size"}, 1, kMaxPatch).value_or(14));
  const double tp = double(vc.integer({"temporal_patch_size"}, 1, kMaxPatch).value_or(2));
  const double merge = double(vc.integer({"spatial_merge_size"}, 1, kMaxMerge).value_or(2));
  const double out =
      double(vc.integer({"out_hidden_size", "hidden_size"}, 1, kMaxHidden).value_or(text_hidden));
  const double patch = c * tp * p * p * h;
  double block;
  if (v25) {
    const double I = double(vc.integer({"intermediate_size"}, 1, kMaxIntermediate).value_or(3420));
    block = 2 * h + (h * 3 * h + 3 * h) + (h * h + h) + 2 * (h * I + I) + (I * h + h);
  } else {
    const double ratio = double(vc.integer({"mlp_ratio"}, 1, kMaxMlpRatio).value_or(4));
    const double I = h * ratio;
    block = 2 * (2 * h) + (h * 3 * h + 3 * h) + (h * h + h) + (h * I + I) + (I * h + h);
  }
  const double merged = h * merge * merge;
  const double merger = (v25 ? h : 2 * h) + (merged * merged + merged) + (merged * out + out);
  return patch + depth * block + merger;
}

// Qwen3-VL's and Qwen3.5's vision tower (Qwen3VLVisionModel): a biased
// conv3d patch embedding, a learned pos_embed of num_position_embeddings,
// LayerNorm blocks with a biased fused qkv, proj and a 2-matrix MLP, and the
// patch merger (LayerNorm, merged -> merged -> out_hidden_size, biased).
std::optional<double> qwen3_vl_vision_params(const Fields& vc, std::int64_t text_hidden) {
  const double h = double(vc.integer({"hidden_size"}, 1, kMaxHidden).value_or(1152));
  const double I = double(vc.integer({"intermediate_size"}, 1, kMaxIntermediate).value_or(4304));
  const double depth = double(vc.integer({"depth"}, 1, kMaxLayers).value_or(27));
  const double c = double(vc.integer({"in_channels"}, 1, kMaxChannels).value_or(3));
  const double p = double(vc.integer({"patch_size"}, 1, kMaxPatch).value_or(16));
  const double tp = double(vc.integer({"temporal_patch_size"}, 1, kMaxPatch).value_or(2));
  const double merge = double(vc.integer({"spatial_merge_size"}, 1, kMaxMerge).value_or(2));
  const double positions =
      double(vc.integer({"num_position_embeddings"}, 1, kMaxImageSize).value_or(2304));
  const double out =
      double(vc.integer({"out_hidden_size"}, 1, kMaxHidden).value_or(double(text_hidden)));
  // Qwen3-VL: one more merger per deepstack_visual_indexes entry, its
  // LayerNorm over the merged width (deepstack_merger_list).
  double deepstack = 0;
  if (auto ds = vc.find({"deepstack_visual_indexes"}); ds.value && ds.value->is_array())
    deepstack = double(std::min<std::size_t>(ds.value->size(), kMaxLayers));
  const double block = 2 * (2 * h) + (h * 3 * h + 3 * h) + (h * h + h) + (h * I + I) + (I * h + h);
  const double merged = h * merge * merge;
  const double merger = 2 * h + (merged * merged + merged) + (merged * out + out);
  const double deepstack_merger = 2 * merged + (merged * merged + merged) + (merged * out + out);
  return c * tp * p * p * h + h + positions * h + depth * block + merger +
         deepstack * deepstack_merger;
}

// Gemma 4's vision tower (transformers models/gemma4, Gemma4VisionModel):
// a bias-free patch projection of 3 x patch² pixels, a learned 2 x
// position_embedding_size table, blocks of q/k/v/o with q/k norms of
// head_dim (v_norm has no scale), a gated MLP and four sandwich norms; the
// std_bias/std_scale buffers when standardize, four clip bounds per linear
// when use_clipped_linears; then Gemma4MultimodalEmbedder's projection to
// the text width (its norm has no scale). Defaults: Gemma4VisionConfig.
std::optional<double> gemma4_vision_params(const Fields& vc, std::int64_t text_hidden) {
  const double h = double(vc.integer({"hidden_size"}, 1, kMaxHidden).value_or(768));
  const double I = double(vc.integer({"intermediate_size"}, 1, kMaxIntermediate).value_or(3072));
  const double L = double(vc.integer({"num_hidden_layers"}, 1, kMaxLayers).value_or(16));
  const double heads = double(vc.integer({"num_attention_heads"}, 1, kMaxHeads).value_or(12));
  const double kv = double(vc.integer({"num_key_value_heads"}, 1, kMaxHeads).value_or(12));
  const double hd = double(vc.integer({"head_dim"}, 1, kMaxHeadDim).value_or(64));
  const double p = double(vc.integer({"patch_size"}, 1, kMaxPatch).value_or(16));
  const double positions =
      double(vc.integer({"position_embedding_size"}, 1, kMaxImageSize).value_or(10240));
  const bool clipped = vc.boolean({"use_clipped_linears"}).value_or(false);
  const bool standardize = vc.boolean({"standardize"}).value_or(false);
  const double embed = 3 * p * p * h + 2 * positions * h;
  const double layer =
      2 * h * heads * hd + 2 * h * kv * hd + 2 * hd + 3 * h * I + 4 * h + (clipped ? 7 * 4 : 0);
  return embed + L * layer + (standardize ? 2 * h : 0) + h * double(text_hidden);
}

// Llama 4's vision model and projector (transformers models/llama4,
// Llama4VisionModel; the tensor listing of Llama-4-Scout-17B-16E): a bias-free
// linear patch embedding of channels x patch², a class embedding, learned
// positions for the patches and the class token, LayerNorms before and after,
// blocks of biased q/k/v/o and fc1/fc2 with two LayerNorms, the pixel-shuffle
// adapter (fc1 intermediate -> projector_input_dim, fc2 projector_output_dim
// square, no biases) and multi_modal_projector.linear_1 (vision_output_dim ->
// text hidden, no bias). Absent fields take the released checkpoints' values.
std::optional<double> llama4_vision_params(const Fields& vc, std::int64_t text_hidden) {
  const double h = double(vc.integer({"hidden_size"}, 1, kMaxHidden).value_or(1408));
  const double I = double(vc.integer({"intermediate_size"}, 1, kMaxIntermediate).value_or(5632));
  const double L = double(vc.integer({"num_hidden_layers"}, 1, kMaxLayers).value_or(34));
  const double c = double(vc.integer({"num_channels"}, 1, kMaxChannels).value_or(3));
  const double p = double(vc.integer({"patch_size"}, 1, kMaxPatch).value_or(14));
  const double img = double(vc.integer({"image_size"}, 1, kMaxImageSize).value_or(336));
  const double in = double(vc.integer({"projector_input_dim"}, 1, kMaxHidden).value_or(4096));
  const double out = double(vc.integer({"projector_output_dim"}, 1, kMaxHidden).value_or(4096));
  const double vision_out = double(vc.integer({"vision_output_dim"}, 1, kMaxHidden).value_or(4096));
  const double patches = std::floor(img / p) * std::floor(img / p);
  const double embed = c * p * p * h + h + (patches + 1) * h + 2 * (2 * h);
  const double layer = 4 * (h * h + h) + (h * I + I) + (I * h + h) + 2 * (2 * h);
  return embed + L * layer + I * in + out * out + vision_out * double(text_hidden);
}

// The parameters of the vision tower, when its kind is known: from
// vision_config's model_type, else from the wrapper's family.
std::optional<double> vision_params(const Fields& vc, const std::string& vtype,
                                    const std::string& outer_type, std::int64_t text_hidden) {
  const Family* family = find_family(outer_type);
  const VisionTower tower = family ? family->vision : VisionTower::None;
  if (tower == VisionTower::Qwen3Vl) return qwen3_vl_vision_params(vc, text_hidden);
  if (tower == VisionTower::Llama4) return llama4_vision_params(vc, text_hidden);
  if (vtype == "gemma4_vision" || tower == VisionTower::Gemma4)
    return gemma4_vision_params(vc, text_hidden);
  if (vtype == "siglip_vision_model" || tower == VisionTower::Siglip)
    return siglip_params(vc, text_hidden);
  if (tower == VisionTower::Qwen2Vl || tower == VisionTower::Qwen25Vl)
    return qwen_vl_vision_params(vc, text_hidden, tower == VisionTower::Qwen25Vl);
  return std::nullopt;
}

}  // namespace

bool add_vision_tower(const Fields& vision, const std::string& outer_type, ModelArch& arch) {
  Errors& errors = vision.errors();
  const std::size_t errors_before = errors.list().size();
  const std::string vtype = vision.string({"model_type"}).value_or("");
  const std::optional<double> params = vision_params(vision, vtype, outer_type, arch.hidden_size);
  if (errors.list().size() != errors_before) return false;
  if (params && *params > kMaxModelParams) {
    errors.add(vision.prefix(), "the vision encoder has " + format_count(*params) +
                                    " parameters, more than the 1e14 this estimator accepts");
    return false;
  }
  if (params) {
    Module m;
    m.name = "vision_tower";
    m.role = ModuleRole::Vision;
    m.in = 1;
    m.out = std::int64_t(*params);
    arch.extra_modules.push_back(m);
  } else {
    arch.warnings.push_back("the vision encoder (" + (vtype.empty() ? outer_type : vtype) +
                            ") is not counted: only the text decoder is");
  }
  return true;
}

}  // namespace llmmem
