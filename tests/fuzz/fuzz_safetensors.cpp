// libFuzzer target: arbitrary bytes as the first bytes of a .safetensors file
// and as a model.safetensors.index.json. Each reader returns its result, a
// need for more bytes, or an error; never crashes, and every tensor's bytes
// match its shape and dtype.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "files/model_file.hpp"
#include "files/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace llmmem::files;
  const std::span<const std::uint8_t> bytes(data, size);
  for (const std::uint64_t file_size : {std::uint64_t(0), std::uint64_t(size)}) {
    const SafetensorsRead r = read_safetensors(bytes, file_size);
    const int outcomes = (r.header ? 1 : 0) + (r.need_bytes > 0 ? 1 : 0) + (!r.error.empty());
    if (outcomes != 1) std::abort();
    if (file_size > 0 && r.need_bytes > 0) std::abort();
    if (r.header) {
      std::uint64_t sum = 0;
      for (const auto& t : r.header->tensors) {
        if (!t.dtype || t.end < t.begin) std::abort();
        if (t.elements * std::uint64_t(t.dtype->bits) / 8 != t.bytes()) std::abort();
        sum += t.bytes();
      }
      if (sum != r.header->tensor_bytes) std::abort();
    }
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const SafetensorsIndexRead idx = read_safetensors_index(text);
  if (idx.index.has_value() == !idx.error.empty()) std::abort();
  if (llmmem::read_model_file_json(text, "fuzz.safetensors", double(size)).empty()) std::abort();
  return 0;
}
