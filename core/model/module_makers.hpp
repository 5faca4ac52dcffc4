// Small makers of the modules the builders list: a linear layer, a norm, a
// vector, an embedding table, the copies of an expert.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/model.hpp"

namespace llmmem {

inline Module linear(std::string_view name, ModuleRole role, std::int64_t in, std::int64_t out,
                     bool bias) {
  Module m;
  m.name = std::string(name);
  m.role = role;
  m.in = in;
  m.out = out;
  m.bias = bias;
  m.linear = true;
  return m;
}

inline Module norm_module(std::string_view name, std::int64_t width, NormKind kind) {
  Module m;
  m.name = std::string(name);
  m.role = ModuleRole::Norm;
  m.in = 1;
  m.out = width;
  m.bias = kind == NormKind::LayerNorm;
  return m;
}

inline Module vector_module(std::string_view name, ModuleRole role, std::int64_t size) {
  Module m;
  m.name = std::string(name);
  m.role = role;
  m.in = 1;
  m.out = size;
  return m;
}

inline Module table_module(std::string_view name, ModuleRole role, std::int64_t rows,
                           std::int64_t width) {
  Module m;
  m.name = std::string(name);
  m.role = role;
  m.in = rows;
  m.out = width;
  return m;
}

inline Module experts_of(Module m, std::int64_t copies, std::int64_t active) {
  m.role = ModuleRole::Expert;
  m.copies = copies;
  m.active_copies = active;
  return m;
}

}  // namespace llmmem
