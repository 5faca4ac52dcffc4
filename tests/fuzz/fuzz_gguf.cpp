// libFuzzer target: arbitrary bytes as the first bytes of a .gguf file. The
// reader returns a header, a need for more bytes than it was given, or an
// error; never crashes, hangs, or sums tensors past 64 bits. A header it
// accepts goes on to the metadata -> config.json mapping and the JSON answer.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "files/gguf.hpp"
#include "files/gguf_model.hpp"
#include "files/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace llmmem::files;
  const std::span<const std::uint8_t> bytes(data, size);
  for (const std::uint64_t file_size : {std::uint64_t(0), std::uint64_t(size)}) {
    const GgufRead r = read_gguf(bytes, file_size);
    const int outcomes = (r.header ? 1 : 0) + (r.need_bytes > 0 ? 1 : 0) + (!r.error.empty());
    if (outcomes != 1) std::abort();  // exactly one of header, need, error
    if (r.need_bytes > 0 && (r.need_bytes <= size || r.need_bytes > kMaxGgufHeaderBytes))
      std::abort();
    if (file_size > 0 && r.need_bytes > 0) std::abort();  // the whole file: never "read more"
    if (r.header) {
      std::uint64_t sum = 0;
      for (const auto& t : r.header->tensors) {
        if (!t.type || t.bytes > r.header->tensor_bytes) std::abort();
        sum += t.bytes;
      }
      if (sum != r.header->tensor_bytes) std::abort();
      std::string error;
      const auto config = gguf_config(*r.header, error);
      if (config.is_null() == error.empty()) std::abort();
    }
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (llmmem::read_model_file_json(text, "fuzz.gguf", double(size)).empty()) std::abort();
  return 0;
}
