// The one file that includes Emscripten: it hands JSON text to the core and
// back. wasm/api.js turns that into the contract's plain-object API.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>

#include "api/estimate.hpp"
#include "api/inverse.hpp"
#include "api/schema.hpp"
#include "files/model_file.hpp"

namespace {

std::string estimate_text(const std::string& request) {
  return llmmem::estimate_json(request);
}
std::string presets_text() {
  return llmmem::presets_json();
}
std::string gpus_text() {
  return llmmem::gpus_json();
}
std::string inverse_text(const std::string& question) {
  return llmmem::inverse_json(question);
}

// The *Kept functions return their answer as the address of {size, data} of a
// string kept until the next such call; api.js decodes the bytes with one
// TextDecoder call. Embind's own std::string return first walks every byte in
// JS looking for NULs, a third of each estimate() at 3 KB per report.
struct Kept {
  std::uint32_t size = 0;
  std::uint32_t data = 0;
};
std::string kept_text;
Kept kept;

unsigned keep(std::string text) {
  kept_text = std::move(text);
  kept.size = static_cast<std::uint32_t>(kept_text.size());
  kept.data = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(kept_text.data()));
  return static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(&kept));
}
unsigned estimate_kept(const std::string& request) {
  return keep(llmmem::estimate_json(request));
}
unsigned presets_kept() {
  return keep(llmmem::presets_json());
}
unsigned gpus_kept() {
  return keep(llmmem::gpus_json());
}
unsigned inverse_kept(const std::string& question) {
  return keep(llmmem::inverse_json(question));
}
unsigned schema_kept() {
  return keep(llmmem::schema_json());
}
// bytes: a Uint8Array (Embind copies it into a std::string); fileSize: the whole file's size.
unsigned read_model_file_kept(const std::string& bytes, const std::string& name, double file_size) {
  return keep(llmmem::read_model_file_json(bytes, name, file_size));
}

// The request size limit alone: api.js checks it before each call, and the
// whole schema costs 40 ms to build in a cold module (Node, first estimate()).
double request_bytes_limit() {
  return static_cast<double>(llmmem::kMaxRequestBytes);
}

}  // namespace

EMSCRIPTEN_BINDINGS(llmmem) {
  emscripten::function("estimateJson", &estimate_text);
  emscripten::function("presetsJson", &presets_text);
  emscripten::function("gpusJson", &gpus_text);
  emscripten::function("inverseJson", &inverse_text);
  emscripten::function("estimateKept", &estimate_kept);
  emscripten::function("presetsKept", &presets_kept);
  emscripten::function("gpusKept", &gpus_kept);
  emscripten::function("inverseKept", &inverse_kept);
  emscripten::function("schemaKept", &schema_kept);
  emscripten::function("readModelFileKept", &read_model_file_kept);
  emscripten::function("requestBytesLimit", &request_bytes_limit);
}
