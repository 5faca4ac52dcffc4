// report_to_text, the one writer of reports: its text is valid JSON whose
// canonical form (nlohmann's dump() of the parsed text: keys sorted, shortest
// escapes) is byte for byte the text itself, for every kind of report.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "api/estimate.hpp"
#include "api/request_json.hpp"
#include "catalog/catalog.hpp"
#include "util/json_text.hpp"

using nlohmann::json;

namespace {

void canonical(const llmmem::Report& r) {
  const std::string text = llmmem::report_to_text(r);
  const json parsed = json::parse(text);  // throws (fails the test) on invalid JSON or UTF-8
  CHECK(parsed.dump() == text);
  CHECK(parsed.at("ok").get<bool>() == r.ok);
}

llmmem::Report report_of(const json& request) {
  llmmem::Errors errors;
  auto req = llmmem::parse_request(llmmem::Json::parse(request.dump()), errors);
  if (!req) return llmmem::error_report(errors.take());
  return llmmem::estimate(*req);
}

}  // namespace

TEST_CASE("report_to_text writes canonical JSON for every kind of report") {
  const std::vector<json> variants = {
      json::object(),
      {{"engine", "vllm"}, {"gpu", "h100-sxm-80gb"}},
      {{"engine", "vllm"}, {"gpus", 4}, {"tensorParallel", 4}, {"weights", "fp8"}},
      {{"engine", "llama.cpp"}, {"weights", "q4_k_m"}, {"kvCache", "q8_0"}, {"gpuLayers", 10}},
      {{"estimator", "simple"}, {"seqLen", 8192}},
      {{"task", "finetune"}, {"method", "qlora-4bit"}, {"gradientCheckpointing", true}},
      {{"task", "finetune"}, {"optimizer", "adamw-8bit"}, {"gpus", 8}, {"zeroStage", 3}},
      {{"seqLen", 0}, {"task", "x"}},
  };
  for (const auto& p : llmmem::presets()) {
    for (const auto& v : variants) {
      json request = v;
      request["model"] = {{"preset", p.id}};
      CAPTURE(request.dump());
      canonical(report_of(request));
    }
  }
  canonical(report_of({{"model", {{"params", 7e9}}}}));
  canonical(report_of({{"model", {{"params", 7e9}}}, {"estimator", "detailed"}}));
}

TEST_CASE("report_to_text escapes strings as dump() does; bytes that are not UTF-8 become U+FFFD") {
  llmmem::Report r = llmmem::empty_report("detailed");
  r.ok = true;
  r.warnings = {"quote \" backslash \\ slash / tab \t newline \n cr \r bs \b ff \f",
                std::string("nul \0 unit \x1f del \x7f", 19),
                "\xc3\xa9t\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", ""};
  r.setting("b", "2");
  r.setting("a", "1");
  r.setting("b", "3");
  r.setting("", "empty key");
  r.vllm = llmmem::VllmCapacity{llmmem::Bytes(1e9), llmmem::Bytes(5e8), 1234.4, 7.6,
                                llmmem::Bytes(8e10)};
  canonical(r);
  canonical(llmmem::error_report({{"f\"", "m\x01"}, {"g", "\xe2\x82\xac"}}));
  canonical(llmmem::error_report({}));
  for (const char* bad : {"\xc3", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82",
                          "\x80", "\xff", "ok \xf0\x9f\x98"}) {
    CAPTURE(bad);
    llmmem::Report b = llmmem::empty_report("simple");
    b.ok = true;
    b.warnings = {bad};
    canonical(b);
    canonical(llmmem::error_report({{"field", bad}}));
    const json parsed = json::parse(llmmem::report_to_text(b));
    CHECK(parsed["warnings"][0].get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);
  }
}

// JsonText::string skips eight plain bytes at a time: a byte that needs a
// look of its own is found at every offset of a chunk, and where chunks meet.
TEST_CASE("strings are escaped the same wherever the special byte falls") {
  const std::vector<std::string> specials = {
      "\"",       "\\",       "\n",           std::string("\0", 1), "\x1f",
      "\x7f",     "\xc3\xa9", "\xe2\x80\x94", "\xf0\x9f\x98\x80",   "\xff",
      "\xe2\x82", "\x80"};
  for (const auto& special : specials)
    for (std::size_t at = 0; at <= 24; ++at) {
      const std::string s = std::string(at, 'a') + special + std::string(24 - at, 'b');
      CAPTURE(special, at);
      std::string out;
      llmmem::JsonText(out).string(s);
      const json parsed = json::parse(out);  // valid JSON and UTF-8
      CHECK(parsed.dump() == out);
      const bool valid = special != "\xff" && special != "\xe2\x82" && special != "\x80";
      if (valid)
        CHECK(parsed.get<std::string>() == s);
      else
        CHECK(parsed.get<std::string>().find("\xEF\xBF\xBD") == at);
    }
}

TEST_CASE("presets_json and gpus_json are the same text on every call") {
  CHECK(llmmem::presets_json() == llmmem::presets_json());
  CHECK(llmmem::gpus_json() == llmmem::gpus_json());
  CHECK(json::parse(llmmem::presets_json()).size() == llmmem::presets().size());
}
