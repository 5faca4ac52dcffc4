// JSON text written directly: the one writer of reports (a report per
// estimate(), the hot path). Its bytes are those nlohmann::json::dump() writes
// for the same document (tests/unit/json_text_test.cpp), without building the
// document first. Keys must be written in nlohmann's order (std::map:
// bytewise ascending); the writer does not sort. Bytes that are not UTF-8
// are written as U+FFFD, so the output is always valid JSON text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace llmmem {

// The length of the valid UTF-8 sequence at p (strict, as nlohmann's decoder
// accepts it: no overlong forms, no surrogates, nothing above U+10FFFF, no
// truncated sequence), or 0 when the bytes there are not one. The writer
// checks what it writes with it, the parser what it reads (util/json.hpp).
std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end);

class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  void raw(std::string_view s) { out_.append(s); }
  void raw(char c) { out_.push_back(c); }
  // "key": (with a leading comma unless first)
  void key(std::string_view k, bool first = false) {
    if (!first) out_.push_back(',');
    string(k);
    out_.push_back(':');
  }
  void string(std::string_view s);
  void integer(std::int64_t v);
  void unsigned_integer(std::uint64_t v);
  void boolean(bool b) { out_.append(b ? "true" : "false"); }

 private:
  // Appends s quoted and escaped; with check_utf8, stops and returns false at
  // the first byte that does not start a valid UTF-8 sequence.
  bool escape(std::string_view s, bool check_utf8);
  std::string& out_;
};

}  // namespace llmmem
