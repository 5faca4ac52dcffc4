// The core's JSON document (core/util/json.hpp) against nlohmann::json, the
// library it replaced: the same texts accepted and refused, the same values
// and types read, the same compact text written.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "util/json.hpp"

using llmmem::Json;

namespace {

// Both parsers on one text: both refuse it, or both accept it and write it
// back byte for byte alike (which also compares every number's type: nlohmann
// writes 1 and 1.0 differently).
void same_as_nlohmann(const std::string& text) {
  const auto theirs = nlohmann::json::parse(text, nullptr, false);
  std::string why;
  const Json ours = Json::parse(text, &why);
  INFO("text: " << text);
  REQUIRE(ours.is_discarded() == theirs.is_discarded());
  if (ours.is_discarded()) {
    CHECK_THAT(why, Catch::StartsWith("parse error at line ") ||
                        Catch::StartsWith("number overflow parsing"));
    return;
  }
  CHECK(ours.dump() == theirs.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

TEST_CASE("Json reads and refuses the texts nlohmann does") {
  for (const char* text :
       {"",
        " ",
        "{}",
        "[]",
        "null",
        "true",
        "false",
        "tru",
        "nul",
        "0",
        "-0",
        "01",
        "-",
        "1.",
        "1e",
        "1e+",
        "1.5e3",
        "-1.5E-3",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "1e400",
        "-1e400",
        "1e-400",
        "\"\\u0000\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"\\ud83dx\"",
        "\"\xc3\xa9\"",
        "\"\xc3\"",
        "\"\xed\xa0\x80\"",
        "\"\xf4\x90\x80\x80\"",
        "\"\xe0\x80\x80\"",
        "\"a\nb\"",
        "\"\\x\"",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\":1,\"a\":2}",
        "\xEF\xBB\xBF{}",
        "\xEF\xBB{}",
        "{} x",
        "[1 2]",
        "{\"a\" 1}",
        "{1:2}",
        "\"\x7f\"",
        "\"\\/\"",
        " [ 1 , 2 ] ",
        "[\"\\u00e9\\u0001\\u001f\"]",
        "NaN",
        "Infinity",
        "+1",
        ".5",
        "0.5",
        "1E5",
        "[true,false,null]",
        "\t\r\n1",
        "{\"b\":1,\"a\":[{},[]],\"\":0}",
        "123456789012345678901234567890",
        "-0.0",
        "0e0",
        "2.5e-7",
        "123456789.125",
        "{\"hidden_size\": 4096, \"rope_scaling\": {\"factor\": 8.0, \"type\": \"llama3\"}}"})
    same_as_nlohmann(text);
  // A NUL byte ends the text for both (nlohmann reads it as the end of input).
  same_as_nlohmann(std::string("{}\0garbage", 10));
  same_as_nlohmann(std::string("[1,\0]", 5));
}

TEST_CASE("Json agrees with nlohmann on random texts") {
  std::mt19937_64 rng(20261207);
  const char* pieces[] = {"{",  "}",     "[",    "]",    ",", ":",           "\"k\"", "\"v\"", "1",
                          "-2", "3.5e2", "true", "null", " ", "\"\\u00e9\"", "0",     "e",     "."};
  for (int i = 0; i < 30000; ++i) {
    std::string text;
    const int n = int(rng() % 12);
    for (int j = 0; j < n; ++j) text += pieces[rng() % (sizeof pieces / sizeof *pieces)];
    same_as_nlohmann(text);
  }
  // Strings of random bytes: UTF-8 checked as strictly, control characters refused alike.
  for (int i = 0; i < 30000; ++i) {
    std::string text = "\"";
    const int n = int(rng() % 6);
    for (int j = 0; j < n; ++j) text.push_back(char(rng() % 256));
    same_as_nlohmann(text + "\"");
  }
}

TEST_CASE("Json writes numbers as nlohmann does, or shorter where Grisu2 is not shortest") {
  std::mt19937_64 rng(7);
  int longer = 0;
  for (int i = 0; i < 60000; ++i) {
    double x;
    if (i % 3 == 0) {
      const std::uint64_t bits = rng();
      std::memcpy(&x, &bits, sizeof x);
    } else if (i % 3 == 1) {
      x = double(rng() % 100000000) / std::pow(10.0, double(rng() % 20));
    } else {
      x = double(rng() % 1000) * std::pow(10.0, double(int(rng() % 40) - 20));
    }
    const std::string ours = Json(x).dump(), theirs = nlohmann::json(x).dump();
    if (ours == theirs) continue;
    // Both read back to x; ours is never longer.
    INFO(theirs << " vs " << ours);
    CHECK(std::strtod(ours.c_str(), nullptr) == x);
    CHECK(ours.size() <= theirs.size());
    ++longer;
  }
  CHECK(longer < 600);  // about 0.3% of them
  // The values the core writes: bytes, fractions of a card, rates, whole numbers as doubles.
  for (double x : {80e9, 0.9, 0.92, 1.5, 3.35e12, 989.4, 1e15, 1e16, 123456.789, 2.5e-7, -0.0, 1e-5,
                   0.0001, 1e21, 4096.0})
    CHECK(Json(x).dump() == nlohmann::json(x).dump());
  CHECK(Json(std::nan("")).dump() == "null");
  CHECK(Json(std::int64_t{-5}).dump() == "-5");
  CHECK(Json(std::uint64_t{18446744073709551615u}).dump() == "18446744073709551615");
}

TEST_CASE("Json types numbers, keeps keys and builds lists as nlohmann does") {
  const Json j = Json::parse(R"({"b":1,"a":-1,"c":1.0,"d":[1,"x"],"a":-2})");
  REQUIRE(j.is_object());
  CHECK(j.size() == 4);  // the last "a" kept
  CHECK(j["a"].get<std::int64_t>() == -2);
  CHECK(j["b"].is_number_unsigned());
  CHECK(j["a"].is_number_integer());
  CHECK_FALSE(j["a"].is_number_unsigned());
  CHECK(j["c"].is_number_float());
  CHECK(j["b"] == j["c"]);  // 1 == 1.0, as nlohmann compares numbers
  CHECK(j["d"][1].get<std::string>() == "x");
  CHECK(j["missing"].is_null());
  CHECK(j["d"]["not an object"].is_null());
  CHECK_FALSE(j.contains("missing"));
  CHECK(j.find("missing") == j.end());
  CHECK(j.find("b")->get<int>() == 1);
  CHECK(j.value("missing", 7) == 7);
  CHECK(j.value("b", 7) == 1);
  std::string keys;
  for (const auto& [k, v] : j.items()) keys += k;
  CHECK(keys == "abcd");  // bytewise order, as nlohmann's std::map
  int values = 0;
  for (const auto& v : j) values += v.is_number() ? 1 : 0;
  CHECK(values == 3);

  // A list of [string, value] pairs is an object, any other list an array.
  const Json o = {{"x", 1}, {"y", {1, 2}}};
  CHECK(o.dump() == R"({"x":1,"y":[1,2]})");
  CHECK(Json({{"x", 1}, {2, 3}}).dump() == R"([["x",1],[2,3]])");
  CHECK(Json::array({"auto"}).dump() == R"(["auto"])");
  CHECK(Json::object().dump() == "{}");
  Json built;
  built["list"].push_back(1.5);
  built["list"].push_back(nullptr);
  built["s"] = std::string("caf\xc3\xa9 \x01");
  CHECK(built.dump() == nlohmann::json::parse(R"({"list":[1.5,null],"s":"café \u0001"})").dump());
  CHECK(built.erase("s") == 1);
  CHECK(built.erase("s") == 0);
  Json more = {{"list", 2}, {"t", true}};
  built.update(more);
  CHECK(built.dump() == R"({"list":2,"t":true})");
  // Bytes that are not UTF-8 are written as U+FFFD, so the text is always JSON.
  CHECK(Json(std::string("a\xff")).dump() == "\"a\xEF\xBF\xBD\"");
}

TEST_CASE("Json says where a text stops being JSON, and refuses deep nesting") {
  // Each text with its whole message, or (for the hints) the words that name the mistake.
  const std::pair<const char*, const char*> refused[] = {
      {"{\n  \"a\": 1,\n  \"b\" 2\n}",
       "parse error at line 3, column 7: unexpected '2'; expected ':' after an object's key"},
      {"[1, 2",
       "parse error at line 1, column 6: unexpected end of input; expected ',' or ']' after an "
       "array's element"},
      {"\"\\ud800\"", "surrogate"},
      // The usual ways a pasted text is not JSON are named.
      {"{'hidden_size': 4096}",
       "parse error at line 1, column 2: unexpected \"'\"; expected a string (an object's key) "
       "(JSON takes double quotes around strings and keys)"},
      {"{\"tie_word_embeddings\": False}",
       "Python's True, False and None are true, false and null"},
      {"[1, -Infinity]", "no NaN or Infinity"},
      {"{\"a\": [1, 2,],}",
       "parse error at line 1, column 13: unexpected ']' after ','; JSON allows no trailing comma"},
  };
  for (const auto& [text, message] : refused) {
    std::string why;
    INFO(text);
    CHECK(Json::parse(text, &why).is_discarded());
    CHECK_THAT(why, Catch::Contains(message));
  }
  std::string why;
  CHECK(Json::parse(std::string(400, '[') + std::string(400, ']')).is_array());
  CHECK(Json::parse(std::string(600, '[') + std::string(600, ']'), &why).is_discarded());
  CHECK_THAT(why, Catch::EndsWith("nested too deeply"));
}
