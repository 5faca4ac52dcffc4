// The built-in catalogs: model presets (core/data/models.json, one record per
// model with its config.json fields and their source) and GPUs
// (core/data/gpus.json). Both are embedded at build time and parsed once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.hpp"

#include "model/model.hpp"

namespace llmmem {

struct Preset {
  std::string id;      // "llama-3.1-8b"
  std::string name;    // "Llama 3.1 8B"
  std::string family;  // "Llama"
  std::string hf_id;   // "meta-llama/Llama-3.1-8B"
  std::string source;  // where the config values were read
  std::shared_ptr<const ModelArch> arch;
  ParamTotals params;
  Json record;  // the catalog record (config.json fields and helpers)
};

// Every preset, in catalog order. A record that fails to parse is left out
// (the unit tests assert that none does).
const std::vector<Preset>& presets();
const Preset* find_preset(std::string_view id);

struct Gpu {
  std::string id;       // "h100-sxm-80gb"
  std::string name;     // "NVIDIA H100 SXM 80GB"
  std::string vendor;   // "NVIDIA", "AMD", "Intel", "Apple"
  std::string segment;  // "datacenter", "workstation", "consumer", "apple"
  // The chip generation: NVIDIA "volta", "turing", "ampere", "ada", "hopper",
  // "blackwell"; AMD "cdna2", "cdna3", "cdna4", "rdna3"; Intel "gaudi",
  // "xe-hpc", "xe-hpg", "xe2"; "apple". What the engines' kernels check.
  std::string arch;
  std::string compute_capability;  // NVIDIA's "8.9" (CUDA GPUs list), empty for others
  double memory_bytes = 0;         // total device memory as the driver reports it
  double usable_bytes = 0;         // what a model can use (Apple: the GPU's working-set limit)
  std::string basis;  // "reading" (a tool's printed total), "spec" (vendor figure), "derived" (a
                      // rule applied)
  std::string source;
  std::string notes;
};

const std::vector<Gpu>& gpus();
const Gpu* find_gpu(std::string_view id);

// NVIDIA compute capability as a number (8.9), 0 for other vendors.
double compute_capability(const Gpu& gpu);

}  // namespace llmmem
