#include "catalog/catalog.hpp"

#include <cstdlib>

#include "api/error.hpp"
#include "model/config_json.hpp"
#include "util/json_scan.hpp"

namespace llmmem {

namespace data {
// Generated at build time from core/data/*.json (see core/CMakeLists.txt).
extern const char kModelsJson[];
extern const unsigned long kModelsJsonSize;
extern const char kGpusJson[];
extern const unsigned long kGpusJsonSize;
}  // namespace data

namespace {

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The catalog's records, parsed once; a preset's architecture is built when
// it is first asked for (one estimate() of one preset need not build all 57:
// that took 60 ms of a cold module's first call in Node).
const Json& records() {
  static const Json all = [] {
    auto j =
        Json::parse(data::kModelsJson, data::kModelsJson + data::kModelsJsonSize, nullptr, false);
    return j.is_array() ? j : Json::array();
  }();
  return all;
}

// The record as a Preset, or nothing when it fails to parse.
std::unique_ptr<Preset> make_preset(const Json& rec) {
  Errors errors;
  auto arch = parse_config(rec, "preset", errors);
  if (!arch || !errors.empty()) return nullptr;
  auto p = std::make_unique<Preset>();
  p->id = str(rec, "id");
  p->name = str(rec, "name");
  p->family = str(rec, "family");
  p->hf_id = str(rec, "hf_id");
  p->source = str(rec, "source");
  // parse_config made the architecture (a ModelArch, not const) and holds
  // no other reference: name it in place rather than copying every module.
  auto named = arch.use_count() == 1 ? std::const_pointer_cast<ModelArch>(arch)
                                     : std::make_shared<ModelArch>(*arch);
  named->display_name = p->name;
  p->arch = named;
  p->params = count_params(*named);
  p->record = rec;
  return p;
}

std::vector<Preset> load_presets() {
  std::vector<Preset> out;
  out.reserve(records().size());
  for (const auto& rec : records())
    if (auto p = make_preset(rec)) out.push_back(std::move(*p));
  return out;
}

// The text of each record of models.json (an array of objects), found by
// matching braces outside strings, so that one preset's record is parsed
// alone: parsing the whole catalog took 33 ms of a cold page's first
// estimate() (Chromium profile of a vLLM link).
std::vector<std::string_view> record_texts() {
  std::vector<std::string_view> out;
  const std::string_view all(data::kModelsJson, data::kModelsJsonSize);
  int depth = 0;
  JsonStringTracker strings;
  std::size_t start = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const char c = all[i];
    if (!strings.structural(c)) continue;
    if (c == '{' || c == '[') {
      if (c == '{' && depth == 1) start = i;
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
      if (c == '}' && depth == 1) out.push_back(all.substr(start, i + 1 - start));
    }
  }
  return out;
}

// The first record with this id that makes a preset, parsing only records
// whose text holds the id in quotes; nothing when none does.
std::unique_ptr<Preset> preset_from_text(std::string_view id) {
  static const std::vector<std::string_view> texts = record_texts();
  const std::string needle = '"' + std::string(id) + '"';
  for (std::string_view text : texts) {
    if (text.find(needle) == std::string_view::npos) continue;
    auto rec = Json::parse(text.begin(), text.end(), nullptr, false);
    if (!rec.is_object() || str(rec, "id") != id) continue;
    if (auto p = make_preset(rec)) return p;
  }
  return nullptr;
}

// Presets built one by one before the whole list was asked for.
std::vector<std::unique_ptr<Preset>>& single_presets() {
  static std::vector<std::unique_ptr<Preset>> built;
  return built;
}
bool all_presets_built = false;

std::vector<Gpu> load_gpus() {
  std::vector<Gpu> out;
  const auto all =
      Json::parse(data::kGpusJson, data::kGpusJson + data::kGpusJsonSize, nullptr, false);
  if (!all.is_array()) return out;
  for (const auto& rec : all) {
    Gpu g;
    g.id = str(rec, "id");
    g.name = str(rec, "name");
    g.vendor = str(rec, "vendor");
    g.segment = str(rec, "segment");
    g.arch = str(rec, "arch");
    g.compute_capability = str(rec, "computeCapability");
    g.basis = str(rec, "basis");
    g.source = str(rec, "source");
    g.notes = str(rec, "notes");
    auto num = [&](const char* k) {
      auto it = rec.find(k);
      return it != rec.end() && it->is_number() ? it->get<double>() : 0.0;
    };
    g.memory_bytes = num("memoryBytes");
    g.usable_bytes = num("usableBytes");
    if (g.usable_bytes <= 0) g.usable_bytes = g.memory_bytes;
    if (g.id.empty() || g.memory_bytes <= 0) continue;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace

const std::vector<Preset>& presets() {
  static const std::vector<Preset> all = [] {
    auto list = load_presets();
    all_presets_built = true;
    return list;
  }();
  return all;
}

const Preset* find_preset(std::string_view id) {
  if (all_presets_built) {
    for (const auto& p : presets())
      if (p.id == id) return &p;
    return nullptr;
  }
  for (const auto& p : single_presets())
    if (p->id == id) return p.get();
  auto p = preset_from_text(id);
  if (!p) {
    // An id written with escapes in the catalog, or none: the parsed records decide.
    for (const auto& rec : records()) {
      if (str(rec, "id") != id) continue;
      if ((p = make_preset(rec))) break;  // a record that fails is left out of presets() too
    }
  }
  if (!p) return nullptr;
  single_presets().push_back(std::move(p));
  return single_presets().back().get();
}

const std::vector<Gpu>& gpus() {
  static const std::vector<Gpu> all = load_gpus();
  return all;
}

const Gpu* find_gpu(std::string_view id) {
  for (const auto& g : gpus())
    if (g.id == id) return &g;
  return nullptr;
}

double compute_capability(const Gpu& gpu) {
  return gpu.compute_capability.empty() ? 0.0 : std::atof(gpu.compute_capability.c_str());
}

}  // namespace llmmem
