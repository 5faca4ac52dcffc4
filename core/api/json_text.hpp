// JSON text written directly, for the hot answers (a report per estimate()):
// the same bytes nlohmann::json::dump() writes for the same document, without
// building the document first. Keys must be written in nlohmann's order
// (std::map: bytewise ascending); the writer does not sort.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace llmmem {

class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  // False once a string was not valid UTF-8: dump() throws for such a string,
  // so the caller must fall back to nlohmann to give the same answer.
  bool ok() const { return ok_; }

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
  std::string& out_;
  bool ok_ = true;
};

}  // namespace llmmem
