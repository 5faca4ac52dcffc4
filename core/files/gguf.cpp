#include "files/gguf.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <string_view>

#include "files/byte_reader.hpp"

namespace llmmem::files {
namespace {

constexpr std::uint32_t kMaxValueType = 12;

std::uint64_t value_size(GgufValueType t) {
  switch (t) {
    case GgufValueType::U8:
    case GgufValueType::I8:
    case GgufValueType::Bool:
      return 1;
    case GgufValueType::U16:
    case GgufValueType::I16:
      return 2;
    case GgufValueType::U32:
    case GgufValueType::I32:
    case GgufValueType::F32:
      return 4;
    case GgufValueType::U64:
    case GgufValueType::I64:
    case GgufValueType::F64:
      return 8;
    case GgufValueType::String:
      return 8;  // at least its length
    case GgufValueType::Array:
      return 12;  // at least its element type and count
  }
  return 1;
}

class Parser {
 public:
  Parser(std::span<const std::uint8_t> bytes, std::uint64_t file_size)
      : r_(bytes), file_size_(file_size) {}

  GgufRead run() {
    GgufHeader h;
    if (!header(h) || !keys(h) || !tensor_table(h) || !finish(h)) return outcome();
    GgufRead out;
    out.header = std::move(h);
    return out;
  }

 private:
  // A failed read: too few bytes given (need more), the file ends, or the header is too long.
  bool short_read(std::string_view what) {
    if (!error_.empty()) return false;
    const std::uint64_t need = r_.need();
    if (need > kMaxGgufHeaderBytes)
      return fail("the GGUF header is longer than " + std::to_string(kMaxGgufHeaderBytes >> 20) +
                  " MiB (reading " + std::string(what) + " needs " + std::to_string(need) +
                  " bytes)");
    if (file_size_ > 0 && need > file_size_)
      return fail("the file ends inside its GGUF header (" + std::string(what) + " needs " +
                  std::to_string(need) + " bytes, the file has " + std::to_string(file_size_) +
                  ")");
    need_ = need;
    return false;
  }
  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }
  GgufRead outcome() const {
    GgufRead out;
    out.error = error_;
    if (error_.empty()) out.need_bytes = need_;
    return out;
  }

  bool header(GgufHeader& h) {
    std::string_view magic;
    if (!r_.read_text(4, magic)) return short_read("the magic");
    if (magic != "GGUF") return fail("not a GGUF file (it does not start with \"GGUF\")");
    if (!r_.read(h.version)) return short_read("the version");
    if (h.version == 0x03000000 || h.version == 0x02000000)
      return fail("a big-endian GGUF file: only little-endian files are read");
    if (h.version == 1) return fail("GGUF version 1 is not supported (versions 2 and 3 are)");
    if (h.version != 2 && h.version != 3)
      return fail("unknown GGUF version " + std::to_string(h.version) + " (2 and 3 are read)");
    if (!r_.read(n_tensors_) || !r_.read(n_keys_)) return short_read("the counts");
    if (n_tensors_ > kMaxGgufTensors)
      return fail("tensor_count " + std::to_string(n_tensors_) + " is more than the " +
                  std::to_string(kMaxGgufTensors) + " a header can hold");
    if (n_keys_ > kMaxGgufKeys)
      return fail("metadata_kv_count " + std::to_string(n_keys_) + " is more than " +
                  std::to_string(kMaxGgufKeys));
    return true;
  }

  bool string(std::uint64_t max, std::string_view what, std::string_view& out) {
    std::uint64_t n = 0;
    if (!r_.read(n)) return short_read(what);
    if (n > max)
      return fail(std::string(what) + " is " + std::to_string(n) + " bytes long (at most " +
                  std::to_string(max) + ")");
    if (!r_.read_text(n, out)) return short_read(what);
    return true;
  }

  // An integer of the width of Unsigned, little-endian: into u, or as Signed into v.integer.
  template <typename Unsigned, typename Signed>
  bool integer(bool is_signed, std::uint64_t& u, GgufValue& v) {
    Unsigned x = 0;
    if (!r_.read(x)) return false;
    if (is_signed)
      v.integer = std::int64_t(Signed(x));
    else
      u = x;
    return true;
  }

  bool scalar(GgufValueType t, GgufValue& v, std::string_view what) {
    bool ok = false;
    std::uint64_t u = 0;
    const bool is_signed = t == GgufValueType::I8 || t == GgufValueType::I16 ||
                           t == GgufValueType::I32 || t == GgufValueType::I64;
    switch (t) {
      case GgufValueType::U8:
      case GgufValueType::I8:
      case GgufValueType::Bool:
        ok = integer<std::uint8_t, std::int8_t>(is_signed, u, v);
        break;
      case GgufValueType::U16:
      case GgufValueType::I16:
        ok = integer<std::uint16_t, std::int16_t>(is_signed, u, v);
        break;
      case GgufValueType::U32:
      case GgufValueType::I32:
        ok = integer<std::uint32_t, std::int32_t>(is_signed, u, v);
        break;
      case GgufValueType::U64:
      case GgufValueType::I64:
        ok = integer<std::uint64_t, std::int64_t>(is_signed, u, v);
        break;
      case GgufValueType::F32:
        ok = r_.read_float(v.number);
        break;
      case GgufValueType::F64:
        ok = r_.read_double(v.number);
        break;
      default:
        break;
    }
    if (!ok) return short_read(what);
    if (t == GgufValueType::F32 || t == GgufValueType::F64) return true;
    if (!is_signed) {
      v.number = double(u);
      if (u <= std::uint64_t(std::numeric_limits<std::int64_t>::max())) v.integer = std::int64_t(u);
    } else {
      v.number = double(*v.integer);
    }
    return true;
  }

  bool value(GgufValueType t, GgufValue& v, std::string_view what, int depth) {
    v.type = t;
    if (t == GgufValueType::String) {
      std::string_view s;
      if (!string(kMaxGgufHeaderBytes, what, s)) return false;
      v.text = std::string(s);
      return true;
    }
    if (t != GgufValueType::Array) return scalar(t, v, what);
    if (depth >= kMaxGgufArrayDepth) return fail(std::string(what) + ": arrays nested too deep");
    std::uint32_t et = 0;
    if (!r_.read(et)) return short_read(what);
    if (et > kMaxValueType)
      return fail(std::string(what) + ": unknown array element type " + std::to_string(et));
    if (!r_.read(v.count)) return short_read(what);
    v.element = GgufValueType(et);
    // Each element takes at least value_size bytes: a count the header cap cannot hold is refused
    // before any loop or multiplication.
    const std::uint64_t each = value_size(v.element);
    if (v.count > kMaxGgufHeaderBytes / each)
      return fail(std::string(what) + ": array of " + std::to_string(v.count) +
                  " elements is longer than the header can be");
    if (v.element != GgufValueType::String && v.element != GgufValueType::Array) {
      const bool keep = v.count <= kKeptArrayValues;
      if (!keep) return r_.skip(v.count * each) || short_read(what);
      for (std::uint64_t i = 0; i < v.count; ++i) {
        GgufValue e;
        if (!scalar(v.element, e, what)) return false;
        v.numbers.push_back(e.number);
      }
      return true;
    }
    for (std::uint64_t i = 0; i < v.count; ++i) {
      if (v.element == GgufValueType::String) {
        std::string_view s;
        if (!string(kMaxGgufHeaderBytes, what, s)) return false;
      } else {
        GgufValue e;
        if (!value(GgufValueType::Array, e, what, depth + 1)) return false;
      }
    }
    return true;
  }

  bool keys(GgufHeader& h) {
    for (std::uint64_t i = 0; i < n_keys_; ++i) {
      std::string_view key;
      if (!string(kMaxGgufKeyBytes, "metadata key " + std::to_string(i), key)) return false;
      std::uint32_t t = 0;
      const std::string what = "metadata " + std::string(key);
      if (!r_.read(t)) return short_read(what);
      if (t > kMaxValueType) return fail(what + ": unknown value type " + std::to_string(t));
      GgufValue v;
      if (!value(GgufValueType(t), v, what, 0)) return false;
      if (!h.metadata.emplace(std::string(key), std::move(v)).second)
        return fail("metadata key " + std::string(key) + " appears twice");
    }
    if (auto it = h.metadata.find("general.alignment"); it != h.metadata.end()) {
      const auto& a = it->second;
      const std::uint64_t n = a.integer ? std::uint64_t(*a.integer) : 0;
      if (a.type != GgufValueType::U32 || n == 0 || (n & (n - 1)) != 0)
        return fail("general.alignment must be a u32 power of two");
      h.alignment = n;
    }
    return true;
  }

  bool tensor(GgufTensorInfo& t, std::uint64_t i) {
    std::string_view name;
    if (!string(kMaxGgufNameBytes, "the name of tensor " + std::to_string(i), name)) return false;
    t.name = std::string(name);
    const std::string what = "tensor " + t.name;
    std::uint32_t n_dims = 0;
    if (!r_.read(n_dims)) return short_read(what);
    if (n_dims == 0 || n_dims > kMaxGgufDims)
      return fail(what + ": " + std::to_string(n_dims) + " dimensions (1 to 4)");
    t.elements = 1;
    constexpr auto kMax = std::uint64_t(std::numeric_limits<std::int64_t>::max());
    for (std::uint32_t d = 0; d < n_dims; ++d) {
      std::uint64_t n = 0;
      if (!r_.read(n)) return short_read(what);
      if (n > kMax || (n > 0 && t.elements > kMax / n))
        return fail(what + ": its dimensions overflow 64 bits");
      t.dims.push_back(n);
      t.elements *= n;
    }
    std::uint32_t type = 0;
    if (!r_.read(type) || !r_.read(t.offset)) return short_read(what);
    t.type = find_ggml_type(type);
    if (!t.type) return fail(what + ": unknown ggml type " + std::to_string(type));
    const auto bs = std::uint64_t(t.type->block_size), ts = std::uint64_t(t.type->type_size);
    if (t.dims[0] % bs != 0)
      return fail(what + ": row length " + std::to_string(t.dims[0]) + " is not a multiple of " +
                  std::string(t.type->name) + "'s block of " + std::to_string(bs));
    if (t.elements / bs > kMax / ts) return fail(what + ": its size overflows 64 bits");
    t.bytes = t.elements / bs * ts;
    return true;
  }

  bool tensor_table(GgufHeader& h) {
    std::set<std::string_view> names;
    h.tensors.reserve(std::min<std::uint64_t>(n_tensors_, 4096));
    for (std::uint64_t i = 0; i < n_tensors_; ++i) {
      GgufTensorInfo t;
      if (!tensor(t, i)) return false;
      if (t.offset % h.alignment != 0)
        return fail("tensor " + t.name + ": offset " + std::to_string(t.offset) +
                    " is not a multiple of the alignment " + std::to_string(h.alignment));
      h.tensors.push_back(std::move(t));
    }
    for (const auto& t : h.tensors)
      if (!names.insert(t.name).second) return fail("tensor " + t.name + " appears twice");
    return true;
  }

  // Sizes and the data region: tensors must not overlap and must fit the file.
  bool finish(GgufHeader& h) {
    const std::uint64_t end = r_.pos();
    h.data_offset = (end + h.alignment - 1) / h.alignment * h.alignment;
    std::vector<const GgufTensorInfo*> order;
    for (const auto& t : h.tensors) order.push_back(&t);
    std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->offset < b->offset; });
    std::uint64_t reach = 0;
    const GgufTensorInfo* prev = nullptr;
    for (const auto* t : order) {
      if (prev && t->offset < reach)
        return fail("tensor " + t->name + " overlaps tensor " + prev->name);
      if (t->bytes > UINT64_MAX - t->offset || h.tensor_bytes > UINT64_MAX - t->bytes)
        return fail("tensor " + t->name + ": its offset and size overflow 64 bits");
      reach = t->offset + t->bytes;
      h.tensor_bytes += t->bytes;
      prev = t;
    }
    h.data_end = reach;
    if (file_size_ > 0 && (reach > file_size_ || h.data_offset > file_size_ - reach))
      return fail("the file is shorter than its tensor table says: " + std::to_string(file_size_) +
                  " bytes, the tensors end at " + std::to_string(h.data_offset) + " + " +
                  std::to_string(reach));
    return true;
  }

  ByteReader r_;
  std::uint64_t file_size_;
  std::uint64_t n_tensors_ = 0, n_keys_ = 0;
  std::uint64_t need_ = 0;
  std::string error_;
};

}  // namespace

GgufRead read_gguf(std::span<const std::uint8_t> bytes, std::uint64_t file_size) {
  return Parser(bytes, file_size).run();
}

}  // namespace llmmem::files
