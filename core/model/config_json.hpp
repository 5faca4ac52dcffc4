// Hugging Face config.json -> ModelArch.
//
// Tolerant of real files: nested text_config, missing head_dim, null fields,
// layer_types, quantization_config (kept for the weights estimate), printed
// dumps with every default serialised. Strict about what it reads: a wrong
// type, a zero or absurd size or heads that do not divide give an error that
// names the field. An unknown model_type falls back to a generic llama-style
// decoder with a warning.
#pragma once

#include <memory>
#include <string_view>

#include "util/json.hpp"

#include "api/error.hpp"
#include "model/model.hpp"

namespace llmmem {

// Largest config.json text accepted (real configs are under 64 KB; the
// largest here, a DeciLM with 80 per-layer blocks, is 37 KB).
inline constexpr std::size_t kMaxConfigTextBytes = 1 << 20;
// Deepest JSON nesting accepted (real configs nest 3 or 4 levels).
inline constexpr int kMaxJsonDepth = 64;

// `field` names the config in errors, e.g. "model.config".
std::shared_ptr<const ModelArch> parse_config(const Json& config, std::string_view field,
                                              Errors& errors);

// Parses text first (size, nesting depth, syntax), e.g. for "model.configJson".
std::shared_ptr<const ModelArch> parse_config_text(std::string_view text, std::string_view field,
                                                   Errors& errors);

// Parses JSON text with the size and depth limits above; on failure adds an
// error naming `field` and returns a discarded value.
Json parse_json_limited(std::string_view text, std::string_view field, std::size_t max_bytes,
                        Errors& errors);

}  // namespace llmmem
