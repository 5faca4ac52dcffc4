// Vision encoders of multimodal checkpoints, counted as one module each.
#include <cmath>
#include <optional>
#include <string>

#include "model/builders.hpp"
#include "model/families.hpp"

namespace llmmem {
namespace {

using json = nlohmann::json;

// An integer of the vision config, `dflt` when absent or not an integer.
std::int64_t vision_integer(const json& vc, const char* key, std::int64_t dflt) {
  auto it = vc.find(key);
  return it != vc.end() && it->is_number_integer() ? it->get<std::int64_t>() : dflt;
}

// SigLIP (Gemma 3): conv patch embedding, learned positions, pre-LN blocks
// with biased q/k/v/o and a 2-matrix GELU MLP, a post LayerNorm; then Gemma 3's
// projector (vision_h x text_h matrix and an RMSNorm of vision_h).
std::optional<double> siglip_params(const json& vc, std::int64_t text_hidden) {
  auto get = [&](const char* k, std::int64_t dflt) { return vision_integer(vc, k, dflt); };
  const double h = double(get("hidden_size", 768));
  const double I = double(get("intermediate_size", 3072));
  const double L = double(get("num_hidden_layers", 12));
  const double c = double(get("num_channels", 3));
  const double p = double(get("patch_size", 16));
  const double img = double(get("image_size", 224));
  if (h <= 0 || I <= 0 || L <= 0 || p <= 0 || img <= 0 || h > kMaxHidden || L > kMaxLayers)
    return std::nullopt;
  const double patches = std::floor(img / p) * std::floor(img / p);
  const double embed = c * p * p * h + h + patches * h;
  const double layer = 4 * (h * h + h) + 2 * (2 * h) + (h * I + I) + (I * h + h);
  const double vision = embed + L * layer + 2 * h;
  const double projector = h * double(text_hidden) + h;
  return vision + projector;
}

// Qwen2/2.5-VL ViT: conv3d patch embedding, RMSNorm blocks with a fused
// biased qkv and a gated (2.5) or plain (2) MLP, and the patch merger.
std::optional<double> qwen_vl_vision_params(const json& vc, std::int64_t text_hidden, bool v25) {
  auto get = [&](const char* k, std::int64_t dflt) { return vision_integer(vc, k, dflt); };
  const double h = double(get("hidden_size", get("embed_dim", 1280)));
  const double depth = double(get("depth", 32));
  const double c = double(get("in_chans", get("in_channels", 3)));
  const double p = double(get("patch_size", 14));
  const double tp = double(get("temporal_patch_size", 2));
  const double merge = double(get("spatial_merge_size", 2));
  const double out = double(get("out_hidden_size", get("hidden_size", text_hidden)));
  if (h <= 0 || depth <= 0 || depth > kMaxLayers || h > kMaxHidden) return std::nullopt;
  const double patch = c * tp * p * p * h;
  double block;
  if (v25) {
    const double I = double(get("intermediate_size", 3420));
    block = 2 * h + (h * 3 * h + 3 * h) + (h * h + h) + 2 * (h * I + I) + (I * h + h);
  } else {
    const double ratio = double(get("mlp_ratio", 4));
    const double I = h * ratio;
    block = 2 * (2 * h) + (h * 3 * h + 3 * h) + (h * h + h) + (h * I + I) + (I * h + h);
  }
  const double merged = h * merge * merge;
  const double merger = (v25 ? h : 2 * h) + (merged * merged + merged) + (merged * out + out);
  return patch + depth * block + merger;
}

// The parameters of the vision tower, when its kind is known: from
// vision_config's model_type, else from the wrapper's family.
std::optional<double> vision_params(const json& vc, const std::string& vtype,
                                    const std::string& outer_type, std::int64_t text_hidden) {
  const Family* family = find_family(outer_type);
  const VisionTower tower = family ? family->vision : VisionTower::None;
  if (vtype == "siglip_vision_model" || tower == VisionTower::Siglip)
    return siglip_params(vc, text_hidden);
  if (tower == VisionTower::Qwen2Vl || tower == VisionTower::Qwen25Vl)
    return qwen_vl_vision_params(vc, text_hidden, tower == VisionTower::Qwen25Vl);
  return std::nullopt;
}

}  // namespace

void add_vision_tower(const json& vision_config, const std::string& outer_type, ModelArch& arch) {
  const std::string vtype = vision_config.value("model_type", std::string());
  if (auto params = vision_params(vision_config, vtype, outer_type, arch.hidden_size)) {
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
}

}  // namespace llmmem
