// est.schema() and the request's own vocabulary (api/fields.hpp): the schema
// lists exactly what the parser accepts, and a field the parser does not know
// is named in a warning with the closest known field.
#include <catch2/catch.hpp>

#include <set>

#include "api/fields.hpp"
#include "api/schema.hpp"
#include "formats/formats.hpp"
#include "support.hpp"

using llmmem::test::estimate;
using nlohmann::json;

namespace {

const json& schema() {
  static const json s = json::parse(llmmem::schema_json());
  return s;
}

json base() {
  return {{"model", {{"preset", "llama-3.1-8b"}}}};
}

}  // namespace

TEST_CASE("the schema describes every request field the parser reads, in the contract's order") {
  const json& s = schema();
  std::vector<std::string> order = s.at("fieldOrder");
  CHECK(order.size() == llmmem::fields::kRequestFields.size());
  std::set<std::string> described;
  for (const auto& [k, v] : s.at("fields").items()) described.insert(k);
  CHECK(described == std::set<std::string>(order.begin(), order.end()));
  for (const auto& k : order) CHECK(s.at("fields").at(k).contains("type"));
}

TEST_CASE("each bound in the schema is the parser's bound") {
  const json& f = schema().at("fields");
  for (const char* key : {"batch", "seqLen", "gpus", "loraRank", "tensorParallel", "ubatch",
                          "maxNumSeqs", "maxModelLen", "zeroStage"}) {
    CAPTURE(key);
    const auto hi = f.at(key).at("max").get<std::int64_t>();
    const auto lo = f.at(key).at("min").get<std::int64_t>();
    json at_max = base(), above = base(), below = base();
    at_max[key] = hi;
    above[key] = hi + 1;
    below[key] = lo - 1;
    if (std::string(key) == "tensorParallel") at_max["gpus"] = hi;  // it must divide gpus
    // At the bound the field is accepted (the estimate may still refuse the size).
    const json r = estimate(at_max);
    if (!r.at("ok").get<bool>()) CHECK(r.at("errors")[0].at("field") != key);
    CHECK(estimate(above).at("errors")[0].at("field") == key);
    CHECK(estimate(below).at("errors")[0].at("field") == key);
  }
}

TEST_CASE("each enumeration in the schema is what the parser accepts") {
  const json& f = schema().at("fields");
  for (const auto& [key, spec] : f.items()) {
    if (spec.at("type") != "enum") continue;
    CAPTURE(key);
    for (const auto& v : spec.at("values")) {
      json req = base();
      req[key] = v;
      if (key == "estimator" && v == "simple") continue;  // valid, answers simply
      const json r = estimate(req);
      if (!r.at("ok").get<bool>()) CHECK(r.at("errors")[0].at("field") != key);
    }
    json req = base();
    req[key] = "no-such-value";
    CHECK(estimate(req).at("errors")[0].at("field") == key);
  }
  CHECK(f.at("weights").at("values").size() == llmmem::weight_formats().size());
  CHECK(f.at("kvCache").at("values").size() == llmmem::cache_formats().size() + 1);
  CHECK(f.at("seqLen").at("default") == 2048);  // the contract's defaults
  CHECK(f.at("engine").at("default") == "transformers");
}

TEST_CASE("each engine lists the cache types it offers: fp8 is vLLM's, q8_0 is llama.cpp's") {
  std::map<std::string, std::set<std::string>> kv;
  std::map<std::string, std::vector<std::string>> rows;
  for (const auto& e : schema().at("engines")) {
    kv[e.at("id")] = e.at("kvCache").get<std::set<std::string>>();
    rows[e.at("id")] = e.at("rows").get<std::vector<std::string>>();
    // The table's 16/8/4-bit rows are formats the engine loads.
    const auto loads = e.at("weights").get<std::set<std::string>>();
    for (const auto& w : rows[e.at("id")]) CHECK(loads.count(w) == 1);
  }
  CHECK(kv.at("vllm").count("fp8") == 1);
  CHECK(kv.at("vllm").count("q8_0") == 0);
  CHECK(kv.at("llama.cpp").count("q8_0") == 1);
  CHECK(kv.at("llama.cpp").count("fp8") == 0);  // llama.cpp has no fp8 cache (common/arg.cpp)
  CHECK(kv.at("transformers").count("q4_0") == 0);
  CHECK(rows.at("llama.cpp") == std::vector<std::string>{"f16", "q8_0", "q4_k_m"});
}

TEST_CASE("a misspelt field is named in a warning with the closest known field") {
  json req = base();
  req["seqlen"] = 8192;
  req["engnie"] = "vllm";
  req["model"]["prest"] = 1;
  req["xyzzy"] = true;
  const json r = estimate(req);
  REQUIRE(r.at("ok") == true);
  const auto w = r.at("warnings").get<std::vector<std::string>>();
  REQUIRE(w.size() >= 4);
  CHECK(w[0] == "unknown field \"engnie\" is ignored: did you mean \"engine\"?");
  CHECK(w[1] == "unknown field \"seqlen\" is ignored: did you mean \"seqLen\"?");
  CHECK(w[2] == "unknown field \"xyzzy\" is ignored");
  CHECK(w[3] == "unknown field \"model.prest\" is ignored: did you mean \"model.preset\"?");
  // The misspelt fields did not apply: the defaults did.
  CHECK(r.at("settings").at("engine") == "transformers");
  // A request with only known fields gets no such warning.
  const json plain = estimate(base());
  for (const auto& x : plain.at("warnings"))
    CHECK(x.get<std::string>().find("unknown field") == std::string::npos);
}

TEST_CASE("a value cut for a message is cut between characters, never inside one") {
  json req = base();
  req["model"]["preset"] = std::string(39, 'x') + "\xc3\xa9";
  const json r = estimate(req);
  REQUIRE(r.at("ok") == false);
  CHECK(r.at("errors")[0].at("field") == "model.preset");
  CHECK(r.at("errors")[0].at("message") ==
        "unknown preset \"" + std::string(39, 'x') + "...\": see presets() for the ids");
}
