// The one file that includes Emscripten: it hands JSON text to the core and
// back. wasm/api.js turns that into the contract's plain-object API.
#include <emscripten/bind.h>

#include <string>

#include "estimate.hpp"
#include "inverse.hpp"

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

}  // namespace

EMSCRIPTEN_BINDINGS(llmmem) {
  emscripten::function("estimateJson", &estimate_text);
  emscripten::function("presetsJson", &presets_text);
  emscripten::function("gpusJson", &gpus_text);
  emscripten::function("inverseJson", &inverse_text);
}
