// What a GGUF header says about the model: its architecture metadata as a
// Hugging Face config.json (so the core's own families build the model), and
// its tensors' exact types and bytes.
#pragma once

#include <string>
#include "util/json.hpp"

#include "files/gguf.hpp"

namespace llmmem::files {

// The config.json of the model a GGUF file holds, from `<arch>.block_count`,
// `.embedding_length`, `.attention.head_count(_kv)` and the rest. An
// architecture the core has no family for is refused by name (error set,
// null returned).
Json gguf_config(const GgufHeader& h, std::string& error);

// The request's weight format for the file's general.file_type (llama.cpp's
// llama_ftype), or "" when the file names none the core knows.
std::string gguf_file_type(const GgufHeader& h);

// The architectures read (general.architecture values), for messages and docs.
std::string gguf_known_architectures();

}  // namespace llmmem::files
