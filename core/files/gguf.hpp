// The header of a GGUF file (llama.cpp's model format), read from its first
// bytes: metadata key/values and the tensor table, never the tensor data.
//
// Layout (ggml-org/ggml docs/gguf.md, "File Structure"; llama.cpp ggml/src/gguf.cpp):
//   magic "GGUF", u32 version (2 or 3), u64 tensor_count, u64 metadata_kv_count,
//   metadata_kv_count × {string key, u32 value_type, value},
//   tensor_count × {string name, u32 n_dimensions, u64 dimensions[n], u32 ggml_type, u64 offset},
//   padding to general.alignment (default 32), then the tensor data.
// A string is u64 length + UTF-8 bytes; an array is u32 element type + u64 count + elements.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "formats/formats.hpp"

namespace llmmem::files {

// Bounds: real headers are a few MB (a 262k-token vocabulary is about 7 MB).
inline constexpr std::uint64_t kMaxGgufHeaderBytes = std::uint64_t(64) << 20;  // 64 MiB
inline constexpr std::uint64_t kMaxGgufTensors = 1 << 20;
inline constexpr std::uint64_t kMaxGgufKeys = 1 << 20;
inline constexpr std::uint64_t kMaxGgufKeyBytes = 65535;  // gguf.md: keys are at most 2^16-1 bytes
inline constexpr std::uint64_t kMaxGgufNameBytes = 1024;  // ggml's GGML_MAX_NAME is 64
inline constexpr std::uint32_t kMaxGgufDims = 4;          // GGML_MAX_DIMS
inline constexpr int kMaxGgufArrayDepth = 8;
inline constexpr std::uint64_t kKeptArrayValues = 4096;  // numeric arrays kept (per-layer values)

// gguf.md "gguf_metadata_value_type".
enum class GgufValueType : std::uint32_t {
  U8 = 0,
  I8 = 1,
  U16 = 2,
  I16 = 3,
  U32 = 4,
  I32 = 5,
  F32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  U64 = 10,
  I64 = 11,
  F64 = 12,
};

// One metadata value. Numbers are kept as double (exact for the sizes a
// model's metadata holds) and, for integers, also as int64 when they fit.
struct GgufValue {
  GgufValueType type = GgufValueType::U8;
  double number = 0;
  std::optional<std::int64_t> integer;        // integer types that fit in int64
  std::string text;                           // String
  GgufValueType element = GgufValueType::U8;  // Array: element type
  std::uint64_t count = 0;                    // Array: element count
  std::vector<double> numbers;                // numeric Array of at most kKeptArrayValues elements
};

struct GgufTensorInfo {
  std::string name;
  std::vector<std::uint64_t> dims;  // ne[0] (row length) first
  const GgmlType* type = nullptr;
  std::uint64_t offset = 0;    // from the start of the tensor data
  std::uint64_t elements = 0;  // product of dims
  std::uint64_t bytes = 0;     // elements / block_size × type_size
};

struct GgufHeader {
  std::uint32_t version = 0;
  std::map<std::string, GgufValue> metadata;
  std::vector<GgufTensorInfo> tensors;
  std::uint64_t alignment = 32;
  std::uint64_t data_offset = 0;   // where the tensor data starts (header bytes, padded)
  std::uint64_t tensor_bytes = 0;  // sum of every tensor's bytes
  std::uint64_t data_end = 0;      // largest offset + bytes: the data region's length
};

// The outcome of reading a header: the header, or the number of bytes from
// the start it needs (when `bytes` stopped inside it), or an error.
struct GgufRead {
  std::optional<GgufHeader> header;
  std::uint64_t need_bytes = 0;  // > 0: give at least this many bytes and read again
  std::string error;             // what is wrong with the file (empty when none)
};

// `bytes` are the first bytes of the file; `file_size` (0 = unknown) is its
// whole size, which turns a short read into a truncated-file error and checks
// that the tensor data fits.
GgufRead read_gguf(std::span<const std::uint8_t> bytes, std::uint64_t file_size);

}  // namespace llmmem::files
