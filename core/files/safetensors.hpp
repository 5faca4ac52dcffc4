// The header of a .safetensors file and a sharded checkpoint's
// model.safetensors.index.json: the exact bytes of every tensor, never the data.
//
// Layout (huggingface/safetensors README, "Format"): u64 little-endian N, then
// N bytes of JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]},
// "__metadata__": {string: string}}, then the data; offsets are relative to the
// data's start, N is at most 100 MB.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llmmem::files {

inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;  // the format's own cap
inline constexpr std::uint64_t kMaxIndexBytes = std::uint64_t(64) << 20;
inline constexpr std::size_t kMaxSafetensorsDims = 16;

// A safetensors dtype: its name in the header and its bits per element.
struct SafetensorsDtype {
  std::string_view name;  // "BF16", "F8_E4M3", "F4"
  int bits;
};
const SafetensorsDtype* find_safetensors_dtype(std::string_view name);

struct SafetensorsTensor {
  std::string name;
  const SafetensorsDtype* dtype = nullptr;
  std::vector<std::uint64_t> shape;
  std::uint64_t begin = 0, end = 0;  // data_offsets
  std::uint64_t elements = 0;
  std::uint64_t bytes() const { return end - begin; }
};

struct SafetensorsHeader {
  std::uint64_t header_bytes = 0;  // N
  std::vector<SafetensorsTensor> tensors;
  std::map<std::string, std::string> metadata;  // __metadata__
  std::uint64_t tensor_bytes = 0;               // sum of every tensor's bytes
  std::uint64_t data_end = 0;                   // largest end offset
};

struct SafetensorsRead {
  std::optional<SafetensorsHeader> header;
  std::uint64_t need_bytes = 0;  // > 0: give at least this many bytes and read again
  std::string error;
};

// `bytes`: the file's first bytes; `file_size` (0 = unknown): its whole size.
SafetensorsRead read_safetensors(std::span<const std::uint8_t> bytes, std::uint64_t file_size);

struct SafetensorsIndex {
  std::uint64_t total_size = 0;  // metadata.total_size: the tensors' bytes, all shards
  std::map<std::string, std::string> weight_map;
  std::vector<std::string> shards;  // distinct file names, sorted
};

struct SafetensorsIndexRead {
  std::optional<SafetensorsIndex> index;
  std::string error;
};

SafetensorsIndexRead read_safetensors_index(std::string_view text);

}  // namespace llmmem::files
