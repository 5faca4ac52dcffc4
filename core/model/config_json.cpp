// The entry points: config.json text or value -> ModelArch. Picks the text
// decoder of multimodal configs and the builder of the family, then adds what
// sits beside the model (dtype, quantization_config, vision tower, MTP layers).
#include "model/config_json.hpp"

#include <string>

#include "model/builders.hpp"
#include "model/config_read.hpp"
#include "model/families.hpp"
#include "util/json_scan.hpp"
#include "util/text.hpp"

namespace llmmem {
namespace {

using json = Json;

// Bounds of quantization_config's numbers: bits of a stored weight, and a
// group size (-1 is GPTQ's "one group per row").
inline constexpr std::int64_t kMaxQuantBits = 64;
inline constexpr std::int64_t kMaxGroupSize = std::int64_t(1) << 24;

// Quantization config, kept for the weights estimate; `q` reads it, and each
// field read is checked and named ("model.config.quantization_config.bits").
std::optional<ModelArch::Quantization> read_quantization(const Fields& q) {
  ModelArch::Quantization out;
  auto flag = [&](const char* k) { return q.boolean({k}).value_or(false); };
  out.method = q.string({"quant_method"}).value_or("");
  out.bits = int(q.integer({"bits"}, 0, kMaxQuantBits).value_or(0));
  out.group_size = int(q.integer({"group_size"}, -1, kMaxGroupSize).value_or(0));
  if (flag("load_in_4bit") || flag("_load_in_4bit")) out.bits = 4;
  if (flag("load_in_8bit") || flag("_load_in_8bit")) out.bits = 8;
  out.double_quant = flag("bnb_4bit_use_double_quant");
  if (auto groups = q.find({"config_groups"}); groups.value && groups.value->is_object()) {
    for (const auto& [name, group] : groups.value->items()) {
      if (!group.is_object()) continue;
      auto w = group.find("weights");
      if (w == group.end() || !w->is_object()) continue;
      const Fields weights(*w, groups.path + "." + name + ".weights", q.errors());
      const auto bits = weights.integer({"num_bits"}, 0, kMaxQuantBits);
      const auto group_size = weights.integer({"group_size"}, -1, kMaxGroupSize);
      if (!out.bits) out.bits = int(bits.value_or(0));
      if (!out.group_size) out.group_size = int(group_size.value_or(0));
    }
  }
  for (const char* k : {"modules_to_not_convert", "ignore", "llm_int8_skip_modules"}) {
    auto list = q.find({k});
    if (!list.value || !list.value->is_array()) continue;
    for (const auto& s : *list.value)
      if (s.is_string()) out.modules_not_converted.push_back(s.get<std::string>());
  }
  return out;
}

// The row of `type`, or an error on `field` that names it and the known types:
// a family the table lacks is refused, never counted with another's conventions.
const Family* supported_family(const std::string& type, const std::string& field, Errors& errors) {
  if (type.empty()) {
    errors.add(field, "model_type is required");
    return nullptr;
  }
  if (const Family* family = find_family(type)) return family;
  errors.add(field,
             "model_type '" + type + "' is not supported yet; known: " + known_model_types());
  return nullptr;
}

// The model_type of the decoder under text_config: its own, read through the
// family table, else the wrapper's text decoder.
std::string text_decoder_type(const Fields& text, const std::string& outer_type) {
  std::string type = text.string({"model_type"}).value_or(std::string(text_decoder_of(outer_type)));
  const Family* named = find_family(type);
  if (type.empty() || (named && named->read_in_text_config == ""))
    return std::string(text_decoder_of(outer_type));
  if (named && named->read_in_text_config) return std::string(*named->read_in_text_config);
  return type;
}

// The builder of `type` for a config without text_config; a wrapper's fields
// are read as its text decoder's.
std::shared_ptr<ModelArch> build_model(const Fields& top, const Family& family) {
  if (family.builder == Builder::BertEncoder) return build_bert(top);
  const std::string type(family.model_type);
  if (family.builder == Builder::T5) return build_t5(top, type);
  return build_decoder(top, std::string(text_decoder_of(type)));
}

// dtype and quantization_config, which may sit at either level.
void read_checkpoint_format(const Fields& top, const json* text, ModelArch& arch) {
  const json& config = top.obj();
  arch.torch_dtype = top.string({"torch_dtype", "dtype"}).value_or("");
  if (text && arch.torch_dtype.empty()) {
    Fields tf(*text, top.prefix() + ".text_config", top.errors());
    arch.torch_dtype = tf.string({"torch_dtype", "dtype"}).value_or("");
  }
  const json* quantization = nullptr;
  std::string path = top.prefix() + ".quantization_config";
  if (auto it = config.find("quantization_config"); it != config.end()) {
    quantization = &*it;
  } else if (text && text->contains("quantization_config")) {
    quantization = &(*text)["quantization_config"];
    path = top.prefix() + ".text_config.quantization_config";
  }
  if (quantization && quantization->is_object())
    arch.quantization = read_quantization(Fields(*quantization, path, top.errors()));
}

// The multi-token-prediction block a checkpoint stores beside the model. It is
// in the checkpoint's count (params.checkpoint) but not in the model's
// (params.total, the weights): vLLM skips it unless MTP speculative decoding is
// asked for (DeepseekV2ForCausalLM.load_weights and Qwen3NextForCausalLM skip
// "mtp." / spec-layer weights). Each MTP layer is one decoder layer like the
// last, a projection of [embedding; hidden] (2h -> h: DeepSeek's eh_proj,
// Qwen's fc) and three norms (DeepSeek-V3 technical report, section 2.2).
// - num_nextn_predict_layers (DeepSeek V3/V3.2, GLM-4.5/4.7): the layer also
//   stores its own copies of the embedding and the head (embed_tokens,
//   shared_head.head: real-configs/index.json's DeepSeek-V3 note,
//   new-configs/index.json's GLM-4.7-Flash basis).
// - mtp_num_hidden_layers (Qwen3.5, with mtp_use_dedicated_embeddings false)
//   and Qwen3-Next, whose checkpoint holds one mtp.* layer no key names (vLLM
//   qwen3_next_mtp.py: num_nextn_predict_layers, default 1): the model's own
//   embedding and head.
void add_mtp_block(const Fields& f, ModelArch& arch) {
  std::int64_t layers = f.integer({"num_nextn_predict_layers"}, 0, kMaxLayers).value_or(0);
  const bool own_tables = layers > 0;
  if (!own_tables)
    layers = f.integer({"mtp_num_hidden_layers"}, 0, kMaxLayers)
                 .value_or(arch.model_type == "qwen3_next" ? 1 : 0);
  if (layers <= 0 || arch.layers.empty()) return;
  const double h = double(arch.hidden_size);
  double layer = 0;
  for (const auto& m : arch.layers.back().modules) layer += module_params(m, 1).value;
  const double tables = own_tables ? 2 * double(arch.vocab_size) * h : 0;
  arch.mtp_layers = layers;
  arch.mtp_params = double(layers) * (layer + tables + 2 * h * h + 3 * h);
  arch.warnings.push_back("the checkpoint's " + std::to_string(layers) +
                          " multi-token-prediction layer(s) (" + format_count(arch.mtp_params) +
                          " parameters) are not loaded for plain inference: in the checkpoint's "
                          "count, not in the weights");
}

}  // namespace

std::shared_ptr<const ModelArch> parse_config(const json& config, std::string_view field,
                                              Errors& errors) {
  const std::string prefix(field);
  if (!config.is_object()) {
    errors.add(prefix, std::string(field.substr(field.rfind('.') + 1)) +
                           " must be a JSON object (a config.json), got " +
                           Fields::type_name(config));
    return nullptr;
  }
  Fields top(config, prefix, errors);
  const std::size_t errors_before = errors.list().size();
  const std::string outer_type = top.string({"model_type"}).value_or("");
  const Family* family = supported_family(outer_type, prefix + ".model_type", errors);
  if (!family) return nullptr;

  // Multimodal: the text decoder's fields live under text_config.
  const json* text = nullptr;
  if (auto it = config.find("text_config"); it != config.end() && !it->is_null()) {
    if (!it->is_object()) {
      errors.add(prefix + ".text_config", "text_config must be an object");
      return nullptr;
    }
    text = &*it;
  }
  std::string type = outer_type;
  std::shared_ptr<ModelArch> arch;
  if (text) {
    Fields tf(*text, prefix + ".text_config", errors, &config, prefix);
    type = text_decoder_type(tf, outer_type);
    if (!supported_family(type, prefix + ".text_config.model_type", errors)) return nullptr;
    arch = build_decoder(tf, type);
  } else {
    arch = build_model(top, *family);
  }
  if (!arch) return nullptr;

  read_checkpoint_format(top, text, *arch);
  if (auto vc = config.find("vision_config"); vc != config.end() && vc->is_object())
    add_vision_tower(Fields(*vc, prefix + ".vision_config", errors), outer_type, *arch);
  if (auto ac = config.find("audio_config"); ac != config.end() && ac->is_object())
    arch->warnings.push_back("the audio encoder is not counted: only the text decoder and vision");
  if (text)
    add_mtp_block(Fields(*text, prefix + ".text_config", errors, &config, prefix), *arch);
  else
    add_mtp_block(top, *arch);
  if (errors.list().size() != errors_before) return nullptr;

  const ParamTotals totals = count_params(*arch);
  if (totals.total.value > kMaxModelParams) {
    errors.add(prefix, "the model has " + format_count(totals.total.value) +
                           " parameters, more than the 1e14 this estimator accepts");
    return nullptr;
  }
  arch->display_name = type + " (config.json)";
  return arch;
}

json parse_json_limited(std::string_view text, std::string_view field, std::size_t max_bytes,
                        Errors& errors) {
  const std::string name(field.substr(field.rfind('.') + 1));
  if (text.size() > max_bytes) {
    errors.add(std::string(field), name + " is too large (" + format_count(double(text.size())) +
                                       " bytes, at most " + format_count(double(max_bytes)) + ")");
    return json(json::value_t::discarded);
  }
  // Nesting depth, outside strings, before the parser sees it.
  int depth = 0;
  JsonStringTracker strings;
  for (char c : text) {
    if (!strings.structural(c)) continue;
    if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth) {
        errors.add(std::string(field), name + " is nested too deeply (more than " +
                                           std::to_string(kMaxJsonDepth) + " levels)");
        return json(json::value_t::discarded);
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  std::string why;
  json j = json::parse(text, &why);
  if (j.is_discarded()) errors.add(std::string(field), name + " is not valid JSON: " + why);
  return j;
}

std::shared_ptr<const ModelArch> parse_config_text(std::string_view text, std::string_view field,
                                                   Errors& errors) {
  json j = parse_json_limited(text, field, kMaxConfigTextBytes, errors);
  if (j.is_discarded()) return nullptr;
  return parse_config(j, field, errors);
}

}  // namespace llmmem
