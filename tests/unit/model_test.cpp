// Exact parameter counts: the catalog and real config.json files against the
// counts published with them (shared/reference/model-configs.md, whose notes
// end with the count the formulas give, checked against the vendors' figures).
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>

#include "catalog/catalog.hpp"
#include "model/config_json.hpp"
#include "model/model.hpp"
#include "support.hpp"

using namespace llmmem;
using nlohmann::json;

namespace {

double parse_grouped(const std::string& s) {
  std::string digits;
  for (char c : s)
    if (c != ',') digits += c;
  return std::stod(digits);
}

// "Formula in model-configs.md gives 8,030,261,248 total parameters" and, for
// MoE, "..., 3,353,032,704 active per token (both embedding and LM head counted ...)".
std::pair<double, double> counts_in_notes(const std::string& notes) {
  std::smatch m;
  double total = 0, active = 0;
  if (std::regex_search(notes, m, std::regex(R"(gives ([0-9,]+) total parameters)")))
    total = parse_grouped(m[1]);
  if (std::regex_search(notes, m, std::regex(R"(([0-9,]+) active per token)")))
    active = parse_grouped(m[1]);
  return {total, active};
}

json reference_models() {
  auto text = test::read_file(test::source_path("tests/data/model-configs.json"));
  REQUIRE(text);
  return json::parse(*text);
}

const Preset* preset_named(const std::string& name) {
  for (const auto& p : presets())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("every catalog model has the parameter count of its notes, from preset and config") {
  const json models = reference_models();
  REQUIRE(models.size() == 57);
  REQUIRE(presets().size() >= models.size());  // the reference rows and the later ones
  for (const auto& rec : models) {
    const std::string name = rec.at("name");
    CAPTURE(name);
    const auto [total, active] = counts_in_notes(rec.at("notes"));
    REQUIRE(total > 0);

    const Preset* p = preset_named(name);
    REQUIRE(p != nullptr);
    CHECK(p->params.total.value == total);
    if (active > 0)
      CHECK(p->params.active.value == active);
    else
      CHECK(p->params.active.value == total);

    // The same record as a config.json (what a user would paste).
    Errors errors;
    auto arch = parse_config(llmmem::test::core_json(rec), "model.config", errors);
    REQUIRE(errors.empty());
    REQUIRE(arch);
    CHECK(count_params(*arch).total.value == total);
  }
}

TEST_CASE("the catalog data is the reference data plus ids") {
  // core/data/models.json must stay in sync with tests/data/model-configs.json, and the copy
  // embedded in the core is the file less its reviewers' strings (core/CMakeLists.txt).
  const json models = reference_models();
  const auto text = test::read_file(test::source_path("core/data/models.json"));
  REQUIRE(text);
  const json catalog = json::parse(*text);
  for (const auto& rec : models) {
    const Preset* p = preset_named(rec.at("name"));
    REQUIRE(p);
    CAPTURE(p->id);
    const auto in_file = std::find_if(catalog.begin(), catalog.end(),
                                      [&](const json& r) { return r.at("id") == p->id; });
    REQUIRE(in_file != catalog.end());
    json stripped = *in_file;
    stripped.erase("id");
    stripped.erase("family");
    CHECK(stripped == rec);

    json embedded = *in_file;
    for (const char* reviewers : {"notes", "stated_params", "stated_params_source"})
      CHECK(embedded.erase(reviewers) == 1);
    CHECK(llmmem::test::test_json(p->record) == embedded);
  }
}

TEST_CASE("per-module shapes follow the worked example of Llama 3.1 8B") {
  // model-configs.md worked example: q 4096x4096, k and v 4096x1024 (GQA 8 of 32
  // heads), o 4096x4096, gate/up/down 4096x14336, two RMSNorms per layer.
  const Preset* p = find_preset("llama-3.1-8b");
  REQUIRE(p);
  const ModelArch& a = *p->arch;
  REQUIRE(a.layers.size() == 1);
  CHECK(a.layers[0].count == 32);
  std::map<std::string, const Module*> by_name;
  for (const auto& m : a.layers[0].modules) by_name[m.name] = &m;
  CHECK(by_name.at("q_proj")->out == 4096);
  CHECK(by_name.at("k_proj")->out == 1024);
  CHECK(by_name.at("v_proj")->out == 1024);
  CHECK(by_name.at("o_proj")->in == 4096);
  CHECK(by_name.at("gate_proj")->out == 14336);
  CHECK(by_name.at("down_proj")->in == 14336);
  CHECK(module_params(*by_name.at("q_proj"), 1).value == 16777216);
  CHECK(module_params(*by_name.at("k_proj"), 1).value == 4194304);
}

TEST_CASE("sliding-window layers follow each family's pattern") {
  auto windows = [](const std::string& id) {
    std::vector<std::int64_t> w;
    const ModelArch& a = *find_preset(id)->arch;
    for (std::int64_t i = 0; i < a.num_layers; ++i) w.push_back(a.layer(i).attn.sliding_window);
    return w;
  };
  SECTION("Gemma 2: even layers local (4096), odd layers global") {
    const auto w = windows("gemma-2-9b");
    CHECK(w[0] == 4096);
    CHECK(w[1] == 0);
    CHECK(w[40] == 4096);
    CHECK(w[41] == 0);
  }
  SECTION("Gemma 3 1B: 26 layers, global at 5, 11, 17, 23, the rest local 512") {
    const auto w = windows("gemma-3-1b");
    REQUIRE(w.size() == 26);
    int global = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] == 0) {
        ++global;
        CHECK((i + 1) % 6 == 0);
      } else {
        CHECK(w[i] == 512);
      }
    }
    CHECK(global == 4);
  }
  SECTION("Llama 3.1 has no sliding window") {
    for (auto x : windows("llama-3.1-8b")) CHECK(x == 0);
  }
}

TEST_CASE("MoE and MLA shapes are described, not flattened") {
  const ModelArch& ds = *find_preset("deepseek-v3")->arch;
  CHECK(ds.layer(0).ffn.kind == FfnKind::Dense);
  CHECK(ds.layer(2).ffn.kind == FfnKind::Dense);
  CHECK(ds.layer(3).ffn.kind == FfnKind::Moe);
  CHECK(ds.layer(3).ffn.num_experts == 256);
  CHECK(ds.layer(3).ffn.top_k == 8);
  CHECK(ds.layer(3).attn.kind == AttnKind::Mla);
  CHECK(ds.layer(3).attn.kv_lora_rank == 512);
  CHECK(ds.layer(3).attn.qk_rope_head_dim == 64);
}

TEST_CASE("real config.json files give the published counts") {
  // shared/reference/real-configs: third-party files, read in place (skipped when absent).
  const auto index_text = test::read_file(test::shared_path("reference/real-configs/index.json"));
  if (!index_text) {
    WARN("shared/reference/real-configs not found: skipped");
    return;
  }
  const json index = json::parse(*index_text);
  REQUIRE(index.size() == 30);
  for (const auto& e : index) {
    const std::string file = e.at("file");
    CAPTURE(file);
    const auto text = test::read_file(test::shared_path("reference/real-configs/" + file));
    REQUIRE(text);
    Errors errors;
    auto arch = parse_config_text(*text, "model.configJson", errors);
    INFO((errors.empty() ? std::string()
                         : errors.list()[0].field + ": " + errors.list()[0].message));
    REQUIRE(errors.empty());
    REQUIRE(arch);
    const ParamTotals t = count_params(*arch);
    double vision = 0;
    for (const auto& m : arch->extra_modules) vision += module_params(m, 1).value;
    if (!e.at("expected_total_params").is_null())
      CHECK(t.total.value == e.at("expected_total_params").get<double>());
    if (e.contains("expected_text_params"))
      CHECK(t.total.value - vision == e.at("expected_text_params").get<double>());
    if (e.contains("expected_active_params") && !e.at("expected_active_params").is_null()) {
      // gpt-oss: OpenAI's 3.6B / 5.1B leave out the input embedding (index.json
      // says so); every other MoE figure there counts embedding and head.
      const double got =
          arch->model_type == "gpt_oss" ? t.active_without_embedding.value : t.active.value;
      CHECK(got == e.at("expected_active_params").get<double>());
    }
  }
}
