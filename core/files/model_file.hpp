// A model file read from its first bytes: a .gguf, a .safetensors or a
// model.safetensors.index.json, told apart by their content. The answer is the
// JSON object of est.readModelFile (wasm/llmmem.d.ts ModelFileInfo): what the
// file holds (architecture, tensors, exact weight bytes by type) and what a
// request takes from it (model.config, weights, weightsBytes), or how many
// bytes from the start the reader needs, or errors naming what is wrong.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "util/json.hpp"

namespace llmmem {

// `bytes`: the first bytes of the file (all of it for an index); `name`: its
// file name (for messages); `file_size`: the whole file's size (0 = unknown).
Json read_model_file(std::span<const std::uint8_t> bytes, std::string_view name,
                     std::uint64_t file_size);

// The same as JSON text, for the bindings; never throws.
std::string read_model_file_json(std::string_view bytes, std::string_view name, double file_size);

}  // namespace llmmem
