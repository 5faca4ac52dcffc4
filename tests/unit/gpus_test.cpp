// The GPU catalog (core/data/gpus.json): coverage, well-formed rows, and the
// memory totals against what drivers and frameworks printed on real cards.
// Each expected number below is a reading someone outside this project
// published; the comment says where.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <regex>
#include <set>
#include <string>
#include <tuple>

#include "api/estimate.hpp"
#include "catalog/catalog.hpp"
#include "util/units.hpp"

using namespace llmmem;
using nlohmann::json;

namespace {

const Gpu& gpu(const std::string& id) {
  const Gpu* g = find_gpu(id);
  INFO("gpu id: " << id);
  REQUIRE(g != nullptr);
  return *g;
}

// A value printed the way the tools print it: two decimals.
std::string two_decimals(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

TEST_CASE("the GPU catalog has at least 40 cards with unique, stable ids") {
  REQUIRE(gpus().size() >= 40);
  std::set<std::string> ids;
  const std::regex id_form("[a-z0-9]+(-[a-z0-9]+)*");
  for (const auto& g : gpus()) {
    CAPTURE(g.id);
    CHECK(std::regex_match(g.id, id_form));
    CHECK(ids.insert(g.id).second);
  }
  // Other code (tests, the page's defaults) relies on these three.
  for (const char* id : {"h100-sxm-80gb", "a100-sxm-80gb", "rtx-4090"})
    CHECK(find_gpu(id) != nullptr);
  CHECK(find_gpu("no-such-gpu") == nullptr);
}

TEST_CASE("the catalog covers the cards issue 6 asks for") {
  const char* required[] = {
      // NVIDIA consumer, RTX 3060 to RTX 5090
      "rtx-3060-12gb", "rtx-3070", "rtx-3080-10gb", "rtx-3090", "rtx-3090-ti", "rtx-4060-ti-16gb",
      "rtx-4070", "rtx-4080", "rtx-4090", "rtx-5070", "rtx-5080", "rtx-5090",
      // NVIDIA workstation
      "rtx-a4000", "rtx-a5000", "rtx-a6000", "rtx-4000-ada", "rtx-5000-ada", "rtx-6000-ada",
      "rtx-pro-6000-blackwell",
      // NVIDIA datacenter, V100 to B300
      "v100-16gb", "v100-32gb", "t4", "a10", "a10g", "l4", "l40s", "a100-sxm-40gb", "a100-sxm-80gb",
      "h100-pcie-80gb", "h100-sxm-80gb", "h100-nvl-94gb", "h200-141gb", "gh200-96gb", "b200",
      "b300",
      // AMD Instinct and Radeon
      "mi210", "mi250", "mi250x", "mi300x", "mi325x", "mi355x", "rx-7900-xtx", "radeon-pro-w7900",
      // Intel
      "gaudi2", "gaudi3", "max-1550", "arc-a770-16gb", "arc-pro-b60",
      // Apple unified-memory tiers
      "m4-16gb", "m4-pro-24gb", "m2-max-32gb", "m4-max-36gb", "m3-max-48gb", "m2-max-64gb",
      "m2-max-96gb", "m4-max-128gb", "m2-ultra-192gb", "m3-ultra-256gb", "m3-ultra-512gb"};
  for (const char* id : required) {
    CAPTURE(id);
    CHECK(find_gpu(id) != nullptr);
  }
}

TEST_CASE("every GPU row names its vendor, segment, basis and source, with a plausible size") {
  const std::set<std::string> vendors{"NVIDIA", "AMD", "Intel", "Apple"};
  const std::set<std::string> segments{"consumer", "workstation", "datacenter", "apple"};
  const std::set<std::string> bases{"reading", "spec", "derived"};
  for (const auto& g : gpus()) {
    CAPTURE(g.id);
    CHECK(!g.name.empty());
    CHECK(vendors.count(g.vendor) == 1);
    CHECK(segments.count(g.segment) == 1);
    CHECK(bases.count(g.basis) == 1);
    CHECK(!g.source.empty());
    CHECK(!g.notes.empty());
    CHECK(g.memory_bytes > kGiB);
    CHECK(g.memory_bytes < 1024 * kGiB);
    CHECK(g.memory_bytes == std::floor(g.memory_bytes));  // whole bytes
    CHECK(g.usable_bytes > 0);
    CHECK(g.usable_bytes <= g.memory_bytes);
    // Apple is the only unified-memory vendor; a discrete card's usable
    // memory is its total (the estimate's overhead counts the runtime).
    CHECK((g.vendor == "Apple") == (g.segment == "apple"));
    if (g.segment != "apple")
      CHECK(g.usable_bytes == g.memory_bytes);
    else
      CHECK(g.usable_bytes < g.memory_bytes);
  }
}

TEST_CASE("memory totals are the MiB figures the drivers print") {
  // nvidia-smi's "total" column, hl-smi's memory.total, and PyTorch XPU's
  // total_memory (printed in MiB, labelled "MB").
  auto [id, mib] = GENERATE(table<const char*, double>({
      {"h100-sxm-80gb", 81559},   // nvidia-smi, H100 80GB HBM3 (the issue's own example)
      {"h100-pcie-80gb", 81559},  // nvidia-smi, NVIDIA H100 PCIe
      {"a100-sxm-80gb", 81920},   // nvidia-smi, A100-SXM4-80GB
      {"a100-sxm-40gb", 40960},   // nvidia-smi, A100-SXM4-40GB
      {"h200-141gb", 143771},     // nvidia-smi, NVIDIA H200
      {"b200", 183359},           // nvidia-smi, NVIDIA B200
      {"b300", 275040},           // nvidia-smi, NVIDIA B300 SXM6 AC
      {"l4", 23034},              // nvidia-smi, NVIDIA L4 (the example "23034MiB")
      {"t4", 15360},              // nvidia-smi, Tesla T4 with ECC on
      {"v100-32gb", 32510},       // nvidia-smi, Tesla V100-SXM2-32GB
      {"rtx-3060-12gb", 12288},   // geerlingguy/raspberry-pi-pcie-devices issue #790
      {"rtx-3090", 24576},        // noonghunna/club-3090 issue #390
      {"rtx-4090", 24564},        // RLinf/RLinf issue #255 (the example "24564MiB")
      {"rtx-5070", 12227},        // shkhln/libc6-shim issue #14
      {"rtx-5090", 32607},        // noonghunna/club-3090 issue #617; measurements.csv row 73
      {"rtx-a6000", 49140},       // nvidia-smi, RTX A6000 with ECC off
      {"rtx-pro-6000-blackwell", 97887},  // nvidia-smi, RTX PRO 6000 Blackwell
      {"gaudi2", 98304},                  // hl-smi, HL-225
      {"max-1550", 65520},                // intel/torch-xpu-ops issue #3585, total_memory=65520MB
      {"arc-pro-b60", 24480},             // intel/torch-xpu-ops issue #5072, total_memory=24480MB
      {"arc-a770-16gb", 15473},           // IPEX install logs, total_memory=15473MB
  }));
  CAPTURE(id, mib);
  CHECK(gpu(id).memory_bytes == mib * kMiB);
}

TEST_CASE("memory totals are the byte counts NVML and rocm-smi print") {
  auto [id, bytes] = GENERATE(table<const char*, double>({
      {"a10", 24146608128},          // NVML memoryInfo.Total, mayooot/detect-gpu issue #3
      {"mi300x", 206141652992},      // rocm-smi VRAM Total Memory (B), ROCm/ROCm issue #4750
      {"mi210", 68702699520},        // rocm-smi on an MI210 (card model 0x740f)
      {"mi250x", 68702699520},       // rocm-smi per GCD on an MI200-series OAM
      {"rx-7900-xtx", 25753026560},  // rocm-smi / sysfs mem_info_vram_total
  }));
  CAPTURE(id);
  CHECK(gpu(id).memory_bytes == bytes);
}

TEST_CASE("PyTorch's total capacity on AMD Instinct rounds to the catalog's bytes") {
  // "GPU 0 has a total capacity of X GiB" in HIP out-of-memory messages.
  auto [id, printed] = GENERATE(table<const char*, std::string>({
      {"mi300x", "191.98"},  // many MI300X OOM reports
      {"mi325x", "255.98"},  // vLLM ROCm issue text (search-index file 57044329709)
      {"mi355x", "287.98"},  // Kimi-K3 on MI355X playbook (search-index file 60904491974)
  }));
  CAPTURE(id);
  CHECK(two_decimals(gpu(id).memory_bytes / kGiB) == printed);
}

TEST_CASE("framework totals sit just below the driver totals") {
  // vLLM's total_gpu_memory is torch.cuda.mem_get_info()[1], a little under
  // nvidia-smi's total: shared/reference/measurements.csv rows 62, 82 and 76.
  auto [id, framework_gib] = GENERATE(table<const char*, double>({
      {"t4", 14.56},
      {"v100-32gb", 31.74},
      {"h100-sxm-80gb", 79.22},
  }));
  CAPTURE(id, framework_gib);
  const double driver_gib = gpu(id).memory_bytes / kGiB;
  CHECK(framework_gib <= driver_gib + 0.005);
  CHECK(framework_gib >= 0.95 * driver_gib);
}

TEST_CASE("Apple working sets print as Metal reported them in llama.cpp logs") {
  // ggml_metal_init: recommendedMaxWorkingSetSize. Newer llama.cpp divides
  // by 1e6 ("MB"); older builds divided by 2^20 and also said "MB".
  auto [id, unit, printed] = GENERATE(table<const char*, double, std::string>({
      {"m4-16gb", kMiB, "10922.67"},       // abetlen/llama-cpp-python issue #687 (16 GB Mac)
      {"m4-16gb", kMB, "11453.25"},        // many 16 GB M1 Pro logs
      {"m4-pro-24gb", kMB, "17179.89"},    // Apple M4 Pro log
      {"m2-max-32gb", kMiB, "21845.34"},   // ollama/ollama issue #434 (M2 Max 32GB)
      {"m2-max-32gb", kMB, "22906.50"},    // newer llama.cpp logs on 32 GB Macs
      {"m4-max-36gb", kMB, "28991.03"},    // Apple M4 Max log
      {"m3-max-48gb", kMB, "38654.71"},    // Apple M3 Max log
      {"m2-max-64gb", kMiB, "49152.00"},   // ggml-org/llama.cpp issue #1870 (M1 Max 64GB)
      {"m2-max-64gb", kMB, "51539.61"},    // Apple M2 Max whisper.cpp log
      {"m2-max-96gb", kMiB, "73728.00"},   // ggml-org/llama.cpp issue #3213 (M2 Max 96GB)
      {"m4-max-128gb", kMB, "103079.22"},  // Apple M3 Max 128 GB log
  }));
  CAPTURE(id, printed);
  CHECK(two_decimals(gpu(id).usable_bytes / unit) == printed);
}

TEST_CASE("an Apple GPU may use about 2/3 of RAM up to 32 GB and 3/4 from 36 GB") {
  // The readings above: 16, 24 and 32 GB Macs report 2/3 (plus at most one
  // 16 KiB page); 36, 48, 64, 96 and 128 GB Macs report exactly 3/4.
  for (const auto& g : gpus()) {
    if (g.segment != "apple") continue;
    CAPTURE(g.id);
    const double fraction = g.memory_bytes <= 32 * kGiB ? 2.0 / 3.0 : 3.0 / 4.0;
    CHECK(g.usable_bytes >= std::floor(fraction * g.memory_bytes));
    CHECK(g.usable_bytes <= fraction * g.memory_bytes + 16 * kKiB);
  }
}

TEST_CASE("gpus() lists every catalog GPU with the contract's fields") {
  const json list = json::parse(gpus_json());
  REQUIRE(list.is_array());
  REQUIRE(list.size() == gpus().size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& e = list[i];
    const Gpu& g = gpus()[i];
    CAPTURE(g.id);
    // The contract: [{id, name, memoryBytes}, ...], sizes as whole bytes.
    CHECK(e.at("id") == g.id);
    CHECK(e.at("name") == g.name);
    REQUIRE(e.at("memoryBytes").is_number_integer());
    CHECK(e.at("memoryBytes").get<double>() == g.memory_bytes);
    REQUIRE(e.at("usableBytes").is_number_integer());
    CHECK(e.at("usableBytes").get<double>() == g.usable_bytes);
    // Added fields: enough for the page to group, label and cite each card.
    for (const char* key : {"vendor", "segment", "basis", "source", "notes"}) {
      CAPTURE(key);
      CHECK(e.at(key).is_string());
    }
  }
}
