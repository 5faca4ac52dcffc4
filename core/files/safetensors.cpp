#include "files/safetensors.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <set>

#include "util/json.hpp"

#include "files/byte_reader.hpp"
#include "model/config_json.hpp"

namespace llmmem::files {
namespace {

using json = Json;

// safetensors src/tensor.rs enum Dtype and its bitsize(): the sub-byte float
// types (F4 = fp4 e2m1, F6_*) were added for MXFP4/NVFP4 checkpoints.
constexpr std::array kDtypes{
    SafetensorsDtype{"BOOL", 8},    SafetensorsDtype{"F4", 4},      SafetensorsDtype{"F6_E2M3", 6},
    SafetensorsDtype{"F6_E3M2", 6}, SafetensorsDtype{"U8", 8},      SafetensorsDtype{"I8", 8},
    SafetensorsDtype{"F8_E5M2", 8}, SafetensorsDtype{"F8_E4M3", 8}, SafetensorsDtype{"F8_E8M0", 8},
    SafetensorsDtype{"I16", 16},    SafetensorsDtype{"U16", 16},    SafetensorsDtype{"F16", 16},
    SafetensorsDtype{"BF16", 16},   SafetensorsDtype{"I32", 32},    SafetensorsDtype{"U32", 32},
    SafetensorsDtype{"F32", 32},    SafetensorsDtype{"C64", 64},    SafetensorsDtype{"F64", 64},
    SafetensorsDtype{"I64", 64},    SafetensorsDtype{"U64", 64},
};

constexpr auto kMaxWhole = std::uint64_t(1) << 62;

// A non-negative integer of a JSON header (sizes and offsets).
bool whole(const json& v, std::uint64_t& out) {
  if (v.is_number_unsigned()) {
    out = v.get<std::uint64_t>();
    return out <= kMaxWhole;
  }
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) {
    out = std::uint64_t(v.get<std::int64_t>());
    return true;
  }
  return false;
}

// One tensor entry; returns an error, or "" when it is well formed.
std::string tensor(const std::string& name, const json& e, SafetensorsTensor& t) {
  const std::string what = "tensor " + name.substr(0, 200);
  if (!e.is_object()) return what + " must be an object with dtype, shape and data_offsets";
  auto d = e.find("dtype");
  if (d == e.end() || !d->is_string()) return what + ": dtype must be a string";
  t.dtype = find_safetensors_dtype(d->get_ref<const std::string&>());
  if (!t.dtype) return what + ": unknown dtype " + d->dump().substr(0, 40);
  auto s = e.find("shape");
  if (s == e.end() || !s->is_array() || s->size() > kMaxSafetensorsDims)
    return what + ": shape must be an array of at most 16 sizes";
  t.elements = 1;
  for (const auto& n : *s) {
    std::uint64_t v = 0;
    if (!whole(n, v)) return what + ": shape holds " + n.dump().substr(0, 40);
    if (v > 0 && t.elements > kMaxWhole / v) return what + ": its shape overflows 64 bits";
    t.shape.push_back(v);
    t.elements *= v;
  }
  auto o = e.find("data_offsets");
  if (o == e.end() || !o->is_array() || o->size() != 2 || !whole((*o)[0], t.begin) ||
      !whole((*o)[1], t.end) || t.end < t.begin)
    return what + ": data_offsets must be [begin, end] with begin <= end";
  // elements × bits / 8, without overflow (elements < 2^62, bits <= 64).
  const std::uint64_t bits = std::uint64_t(t.dtype->bits);
  if (t.elements > kMaxWhole / bits) return what + ": its size overflows 64 bits";
  if (t.elements * bits % 8 != 0)
    return what + ": " + std::to_string(t.elements) + " " + std::string(t.dtype->name) +
           " elements are not whole bytes";
  const std::uint64_t expect = t.elements * bits / 8;
  if (t.bytes() != expect)
    return what + ": data_offsets span " + std::to_string(t.bytes()) + " bytes, its shape and " +
           std::string(t.dtype->name) + " need " + std::to_string(expect);
  return "";
}

std::string tensors(const json& j, SafetensorsHeader& h) {
  for (const auto& [name, e] : j.items()) {
    if (name == "__metadata__") {
      if (!e.is_object()) return "__metadata__ must be an object of strings";
      for (const auto& [k, v] : e.items())
        if (v.is_string()) h.metadata[k] = v.get<std::string>();
      continue;
    }
    SafetensorsTensor t;
    t.name = name;
    if (auto err = tensor(name, e, t); !err.empty()) return err;
    h.tensors.push_back(std::move(t));
  }
  // The data is the tensors back to back: no two may overlap (safetensors' own check).
  std::vector<const SafetensorsTensor*> order;
  for (const auto& t : h.tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
  std::uint64_t reach = 0;
  const SafetensorsTensor* prev = nullptr;
  for (const auto* t : order) {
    if (prev && t->begin < reach && t->bytes() > 0)
      return "tensor " + t->name.substr(0, 200) + " overlaps tensor " + prev->name.substr(0, 200);
    reach = std::max(reach, t->end);
    h.tensor_bytes += t->bytes();  // each < 2^62, at most 10^8 tensors: no overflow
    prev = t;
  }
  h.data_end = reach;
  return "";
}

// JSON text with the core's size and nesting limits (config_json.hpp); "" or the error.
json parse_json(std::string_view text, std::size_t max_bytes, std::string& error) {
  Errors errors;
  json j = parse_json_limited(text, "file.header", max_bytes, errors);
  if (!errors.empty()) error = "the " + errors.list().front().message;
  return j;
}

}  // namespace

const SafetensorsDtype* find_safetensors_dtype(std::string_view name) {
  for (const auto& d : kDtypes)
    if (d.name == name) return &d;
  return nullptr;
}

SafetensorsRead read_safetensors(std::span<const std::uint8_t> bytes, std::uint64_t file_size) {
  SafetensorsRead out;
  ByteReader r(bytes);
  std::uint64_t n = 0;
  std::string_view text;
  if (!r.read(n)) {
    out.need_bytes = 8;
  } else if (n < 2 || n > kMaxSafetensorsHeaderBytes) {
    out.error = "not a safetensors file: its header length " + std::to_string(n) +
                " is not between 2 and 100,000,000 bytes";
  } else if (!r.read_text(n, text)) {
    out.need_bytes = 8 + n;
  } else if (text.front() != '{') {
    out.error = "not a safetensors file: its header is not a JSON object";
  }
  if (!out.error.empty()) return out;
  if (out.need_bytes > 0) {
    if (file_size > 0 && out.need_bytes > file_size) {
      out.error = "the file ends inside its safetensors header (" + std::to_string(out.need_bytes) +
                  " bytes needed, the file has " + std::to_string(file_size) + ")";
      out.need_bytes = 0;
    }
    return out;
  }
  const json j = parse_json(text, kMaxSafetensorsHeaderBytes, out.error);
  if (!j.is_object()) {
    if (out.error.empty()) out.error = "the safetensors header is not a JSON object";
    return out;
  }
  SafetensorsHeader h;
  h.header_bytes = n;
  if (auto err = tensors(j, h); !err.empty()) {
    out.error = err;
    return out;
  }
  if (file_size > 0 && (h.data_end > file_size || 8 + n > file_size - h.data_end)) {
    out.error = "the file is shorter than its header says: " + std::to_string(file_size) +
                " bytes, the tensors end at " + std::to_string(8 + n + h.data_end);
    return out;
  }
  out.header = std::move(h);
  return out;
}

SafetensorsIndexRead read_safetensors_index(std::string_view text) {
  SafetensorsIndexRead out;
  const json j = parse_json(text, kMaxIndexBytes, out.error);
  if (!j.is_object()) {
    if (out.error.empty()) out.error = "model.safetensors.index.json is not a JSON object";
    return out;
  }
  SafetensorsIndex idx;
  auto map = j.find("weight_map");
  if (map == j.end() || !map->is_object()) {
    out.error = "the index has no weight_map (an object of tensor name -> shard file)";
    return out;
  }
  std::set<std::string> shards;
  for (const auto& [name, file] : map->items()) {
    if (!file.is_string()) {
      out.error = "weight_map[" + name.substr(0, 200) + "] must be a file name";
      return out;
    }
    idx.weight_map[name] = file.get<std::string>();
    shards.insert(file.get<std::string>());
  }
  idx.shards.assign(shards.begin(), shards.end());
  auto meta = j.find("metadata");
  const json* total = nullptr;
  if (meta != j.end() && meta->is_object())
    if (auto t = meta->find("total_size"); t != meta->end()) total = &*t;
  // total_size: an integer, sometimes written as a float (1.6e10) by older tools.
  if (total && total->is_number_float()) {
    const double v = total->get<double>();
    if (v >= 0 && v < double(kMaxWhole) && v == double(std::uint64_t(v)))
      idx.total_size = std::uint64_t(v);
    else
      total = nullptr;
  } else if (!total || !whole(*total, idx.total_size)) {
    total = nullptr;
  }
  if (!total) {
    out.error = "the index has no metadata.total_size (the tensors' bytes, a whole number)";
    return out;
  }
  out.index = std::move(idx);
  return out;
}

}  // namespace llmmem::files
