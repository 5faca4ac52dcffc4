#include "files/model_file.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "files/gguf.hpp"
#include "files/gguf_model.hpp"
#include "files/safetensors.hpp"
#include "model/config_json.hpp"
#include "model/model.hpp"

namespace llmmem {
namespace {

using json = Json;
using namespace files;

json failure(std::string_view kind, std::string_view field, std::string message) {
  json out = {{"ok", false}, {"errors", json::array()}};
  if (!kind.empty()) out["kind"] = std::string(kind);
  out["errors"].push_back({{"field", std::string(field)}, {"message", std::move(message)}});
  return out;
}

// Too few bytes given: read at least `need` from the start and ask again.
json need_more(std::string_view kind, std::uint64_t need) {
  json out = failure(kind, "file", "need more bytes: " + std::to_string(need));
  out["needBytes"] = need;
  return out;
}

struct Tally {
  std::uint64_t tensors = 0, elements = 0, bytes = 0;
};

// {type, tensors, elements, bytes} rows, the largest first.
json tally_rows(const std::map<std::string, Tally>& by, const char* key) {
  std::vector<std::pair<std::string, Tally>> rows(by.begin(), by.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second.bytes > b.second.bytes; });
  json out = json::array();
  for (const auto& [name, t] : rows)
    out.push_back(
        {{key, name}, {"tensors", t.tensors}, {"elements", t.elements}, {"bytes", t.bytes}});
  return out;
}

std::string text_meta(const GgufHeader& h, const char* key) {
  auto it = h.metadata.find(key);
  return it != h.metadata.end() && it->second.type == GgufValueType::String
             ? it->second.text.substr(0, 200)
             : "";
}

std::int64_t int_meta(const GgufHeader& h, const char* key) {
  auto it = h.metadata.find(key);
  return it != h.metadata.end() && it->second.type != GgufValueType::Array && it->second.integer
             ? *it->second.integer
             : 0;
}

json gguf_answer(const GgufHeader& h) {
  std::map<std::string, Tally> by;
  std::uint64_t elements = 0;
  for (const auto& t : h.tensors) {
    auto& row = by[std::string(t.type->name)];
    ++row.tensors, row.elements += t.elements, row.bytes += t.bytes;
    elements += t.elements;
  }
  json out = {{"ok", true},
              {"kind", "gguf"},
              {"version", h.version},
              {"architecture", text_meta(h, "general.architecture")},
              {"modelName", text_meta(h, "general.name")},
              {"tensorCount", h.tensors.size()},
              {"parameters", elements},
              {"headerBytes", h.data_offset},
              {"weightsBytes", h.tensor_bytes},
              {"fileBytes", h.data_offset + h.data_end},
              {"byType", tally_rows(by, "type")}};
  const std::string ftype = gguf_file_type(h);
  json request = {{"engine", "llama.cpp"}, {"weightsBytes", h.tensor_bytes}};
  if (!ftype.empty()) out["fileType"] = ftype, request["weights"] = ftype;
  // gguf-split parts (llama.cpp gguf-split.cpp: split.no, split.count): the metadata is in the
  // first part only, the tensors in all; each part's bytes add up to the model's.
  const std::int64_t parts = int_meta(h, "split.count"), part = int_meta(h, "split.no");
  if (parts > 1) out["split"] = {{"index", part}, {"count", parts}};
  if (parts > 1 && part > 0 && !h.metadata.count("general.architecture")) {
    out["request"] = request;
    return out;
  }
  std::string error;
  json config = gguf_config(h, error);
  if (!error.empty()) {
    json f = failure("gguf", "general.architecture", error);
    out["ok"] = false;
    out["errors"] = f["errors"];
    return out;
  }
  out["modelType"] = config["model_type"];
  out["config"] = config;
  // The config the metadata gives, built by the core's own family: its parameter count
  // against the tensor table's (a mapping that missed a tensor kind shows here).
  Errors errors;
  const auto arch = parse_config(config, "config", errors);
  if (!arch) {
    out["ok"] = false;
    out["errors"] = json::array();
    for (const auto& e : errors.list())
      out["errors"].push_back({{"field", "general.architecture"},
                               {"message", "the metadata as a config.json: " + e.message}});
    return out;
  }
  const double counted = count_params(*arch).total.value;
  out["configParameters"] = counted;
  if (parts <= 1 && std::abs(counted - double(elements)) > 0.02 * double(elements))
    out["warnings"] = {"the " + config["model_type"].get<std::string>() + " family counts " +
                       std::to_string(std::llround(counted)) +
                       " parameters, the tensor table holds " + std::to_string(elements)};
  request["model"] = {{"config", config}};
  out["request"] = request;
  return out;
}

// The checkpoint's quantization, from its tensor names and dtypes.
std::string scheme(const SafetensorsHeader& h) {
  std::map<std::string_view, const SafetensorsTensor*> by_name;
  for (const auto& t : h.tensors) by_name[t.name] = &t;
  auto has = [&](const std::string& n) { return by_name.count(n) > 0; };
  auto ends = [](std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
  };
  std::string out;
  for (const auto& t : h.tensors) {
    const std::string_view n = t.name, d = t.dtype->name;
    // gpt-oss: U8 *_blocks (two FP4 values a byte) + U8 *_scales (E8M0 per 32): MXFP4.
    if (ends(n, "_blocks") && has(std::string(n.substr(0, n.size() - 7)) + "_scales"))
      return "mxfp4";
    // ModelOpt NVFP4: U8 weight (packed FP4) + F8_E4M3 weight_scale per 16 + F32 weight_scale_2.
    if (ends(n, ".weight_scale") && d == "F8_E4M3") return "nvfp4";
    if (ends(n, ".qweight")) out = "gptq-int4";
    if (out.empty() && ends(n, ".weight") && (d == "F8_E4M3" || d == "F8_E5M2")) out = "fp8";
  }
  return out;
}

json safetensors_answer(const SafetensorsHeader& h) {
  std::map<std::string, Tally> by;
  std::uint64_t elements = 0;
  for (const auto& t : h.tensors) {
    auto& row = by[std::string(t.dtype->name)];
    ++row.tensors, row.elements += t.elements, row.bytes += t.bytes();
    elements += t.elements;
  }
  json out = {{"ok", true},
              {"kind", "safetensors"},
              {"tensorCount", h.tensors.size()},
              {"elements", elements},
              {"headerBytes", 8 + h.header_bytes},
              {"weightsBytes", h.tensor_bytes},
              {"fileBytes", 8 + h.header_bytes + h.data_end},
              {"byType", tally_rows(by, "type")}};
  json request = {{"weightsBytes", h.tensor_bytes}};
  const std::string q = scheme(h);
  if (!q.empty()) out["quantization"] = q;
  // A plain checkpoint: its largest float dtype is the request's format.
  if (q == "fp8" || q == "gptq-int4") {
    request["weights"] = q;
  } else if (q.empty()) {
    for (const auto& row : out["byType"]) {
      const std::string d = row["type"].get<std::string>();
      if (d == "BF16" || d == "F16" || d == "F32") {
        request["weights"] = d == "BF16" ? "bf16" : d == "F16" ? "fp16" : "fp32";
        break;
      }
    }
  }
  if (!h.metadata.empty()) out["metadata"] = h.metadata;
  out["request"] = request;
  return out;
}

json json_answer(std::span<const std::uint8_t> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  Errors errors;
  const json j = parse_json_limited(text, "file.json", kMaxIndexBytes, errors);
  if (!errors.empty()) return failure("json", "file", "the " + errors.list().front().message);
  // A config.json dropped beside the weights: passed on as the model.
  if (j.is_object() && !j.contains("weight_map") && j.contains("model_type"))
    return {
        {"ok", true}, {"kind", "config"}, {"config", j}, {"request", {{"model", {{"config", j}}}}}};
  const auto r = read_safetensors_index(text);
  if (!r.index) return failure("safetensors-index", "file", r.error);
  const auto& idx = *r.index;
  return {{"ok", true},
          {"kind", "safetensors-index"},
          {"tensorCount", idx.weight_map.size()},
          {"shards", idx.shards},
          {"weightsBytes", idx.total_size},
          {"request", {{"weightsBytes", idx.total_size}}}};
}

}  // namespace

json read_model_file(std::span<const std::uint8_t> bytes, std::string_view name,
                     std::uint64_t file_size) {
  auto starts = [&](std::string_view magic) {
    return bytes.size() >= magic.size() &&
           std::equal(magic.begin(), magic.end(), bytes.begin(),
                      [](char a, std::uint8_t b) { return std::uint8_t(a) == b; });
  };
  json out;
  std::size_t first = 0;
  while (first < bytes.size() && std::isspace(bytes[first])) ++first;
  if (starts("GGUF")) {
    const auto r = read_gguf(bytes, file_size);
    out = r.header       ? gguf_answer(*r.header)
          : r.need_bytes ? need_more("gguf", r.need_bytes)
                         : failure("gguf", "file", r.error);
  } else if (first < bytes.size() && bytes[first] == '{') {
    if (file_size > kMaxIndexBytes)
      return failure("json", "file", "a JSON file larger than 64 MiB is not an index");
    if (file_size > bytes.size()) return need_more("json", file_size);
    out = json_answer(bytes);
  } else if (bytes.size() < 4 && (file_size == 0 || file_size > bytes.size())) {
    out = need_more("", 8);
  } else {
    const auto r = read_safetensors(bytes, file_size);
    out = r.header       ? safetensors_answer(*r.header)
          : r.need_bytes ? need_more("safetensors", r.need_bytes)
                         : failure("safetensors", "file", r.error);
  }
  out["name"] = std::string(name.substr(0, 200));
  return out;
}

std::string read_model_file_json(std::string_view bytes, std::string_view name, double file_size) {
  if (!std::isfinite(file_size) || file_size < 0 || file_size > 9007199254740992.0)
    return failure("", "fileSize", "fileSize must be a whole number of bytes").dump();
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  return read_model_file({data, bytes.size()}, name, std::uint64_t(file_size)).dump();
}

}  // namespace llmmem
