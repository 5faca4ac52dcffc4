// Json::parse: recursive descent over the bytes (util/json.hpp).
#include "util/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "util/json_text.hpp"

namespace llmmem {

// Recursive descent over the bytes, RFC 8259 as nlohmann reads it: no
// comments, no trailing commas, no NaN; a leading UTF-8 byte order mark
// skipped; strings checked as strict UTF-8.
class JsonParser {
 public:
  JsonParser(std::string_view text)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  Json run(std::string* error) {
    Json out;
    if (end_ - p_ >= 1 && static_cast<unsigned char>(*p_) == 0xEF) {
      if (end_ - p_ >= 3 && static_cast<unsigned char>(p_[1]) == 0xBB &&
          static_cast<unsigned char>(p_[2]) == 0xBF)
        p_ += 3;
      else
        fail(p_, "an invalid byte order mark (0xEF must begin 0xEF 0xBB 0xBF)");
    }
    if (!failed_) {
      skip_space();
      value(out, 0);
    }
    if (!failed_) {
      skip_space();
      // A NUL byte ends the text, as in nlohmann's lexer (a C string's end).
      if (p_ != end_ && *p_ != '\0') unexpected("the end of the text");
    }
    if (!failed_) return out;
    if (error) *error = message_;
    return Json(Json::value_t::discarded);
  }

 private:
  static constexpr int kMaxDepth = 512;

  void fail(const char* at, const std::string& what) {
    if (failed_) return;
    failed_ = true;
    std::size_t line = 1, column = 1;
    for (const char* q = begin_; q < at && q < end_; ++q) {
      if (*q == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    message_ = "parse error at line " + std::to_string(line) + ", column " +
               std::to_string(column) + ": " + what;
  }

  // "unexpected 'x'; expected <what>" at the current byte.
  void unexpected(const char* expected) {
    if (p_ >= end_) {
      fail(p_, std::string("unexpected end of input; expected ") + expected);
      return;
    }
    const unsigned char c = static_cast<unsigned char>(*p_);
    std::string shown;
    if (c == '\'') {
      shown = "\"'\"";  // a single quote shown in double quotes
    } else if (c >= 0x20 && c < 0x7F) {
      shown = std::string("'") + char(c) + "'";
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      shown = std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
    }
    fail(p_, "unexpected " + shown + "; expected " + expected + hint());
  }

  // The usual ways a text that is not JSON was made, said in words: a
  // Python dict printed with repr(), a value JSON has no word for.
  std::string hint() const {
    const std::string_view rest(p_, std::size_t(end_ - p_));
    if (rest.front() == '\'') return " (JSON takes double quotes around strings and keys)";
    for (const char* word : {"True", "False", "None"})
      if (rest.substr(0, std::strlen(word)) == word)
        return " (Python's True, False and None are true, false and null in JSON)";
    for (const char* word : {"NaN", "Infinity", "-Infinity"})
      if (rest.substr(0, std::strlen(word)) == word) return " (JSON has no NaN or Infinity)";
    return {};
  }

  // After a ',' in an object or array: its end means a trailing comma.
  bool trailing_comma(char close) {
    if (p_ >= end_ || *p_ != close) return false;
    fail(p_, std::string("unexpected '") + close + "' after ','; JSON allows no trailing comma");
    return true;
  }

  void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(const char* word, std::size_t n) {
    if (std::size_t(end_ - p_) >= n && std::memcmp(p_, word, n) == 0) {
      p_ += n;
      return true;
    }
    // The first byte that differs.
    const char* q = p_;
    while (q < end_ && std::size_t(q - p_) < n && *q == word[q - p_]) ++q;
    p_ = q;
    unexpected((std::string("'") + word + "'").c_str());
    return false;
  }

  void value(Json& out, int depth) {
    if (p_ >= end_) return unexpected("a value");
    switch (*p_) {
      case '{':
        return object(out, depth + 1);
      case '[':
        return array(out, depth + 1);
      case '"': {
        std::string s;
        if (string(s)) out = Json(std::move(s));
        return;
      }
      case 't':
        if (literal("true", 4)) out = Json(true);
        return;
      case 'f':
        if (literal("false", 5)) out = Json(false);
        return;
      case 'n':
        if (literal("null", 4)) out = Json(nullptr);
        return;
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return number(out);
        return unexpected("a value ('{', '[', a string, a number, true, false or null)");
    }
  }

  void object(Json& out, int depth) {
    if (depth > kMaxDepth) return fail(p_, "nested too deeply");
    out = Json(Json::value_t::object);
    ++p_;
    skip_space();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return;
    }
    std::string key;
    while (true) {
      if (p_ >= end_ || *p_ != '"') return unexpected("a string (an object's key)");
      if (!string(key)) return;
      skip_space();
      if (p_ >= end_ || *p_ != ':') return unexpected("':' after an object's key");
      ++p_;
      skip_space();
      // The last of two equal keys wins, as in nlohmann's parser.
      Json& slot = (*out.v_.o)[key];
      value(slot, depth);
      if (!another('}', "',' or '}' after an object's member")) return;
    }
  }

  void array(Json& out, int depth) {
    if (depth > kMaxDepth) return fail(p_, "nested too deeply");
    out = Json(Json::value_t::array);
    ++p_;
    skip_space();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return;
    }
    while (true) {
      out.v_.a->emplace_back();
      value(out.v_.a->back(), depth);
      if (!another(']', "',' or ']' after an array's element")) return;
    }
  }

  // After an object's member or an array's element: true when a ',' says
  // another follows; false at the closing bracket (consumed) or an error.
  bool another(char close, const char* expected) {
    if (failed_) return false;
    skip_space();
    if (p_ < end_ && *p_ == ',') {
      ++p_;
      skip_space();
      return !trailing_comma(close);
    }
    if (p_ < end_ && *p_ == close) {
      ++p_;
      return false;
    }
    unexpected(expected);
    return false;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Four hex digits after "\u" at p_, or -1.
  long code_unit() {
    if (end_ - p_ < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex(p_[i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    p_ += 4;
    return v;
  }

  static void append_utf8(std::string& s, unsigned long cp) {
    if (cp < 0x80) {
      s.push_back(char(cp));
    } else if (cp < 0x800) {
      s.push_back(char(0xC0 | (cp >> 6)));
      s.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s.push_back(char(0xE0 | (cp >> 12)));
      s.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(char(0x80 | (cp & 0x3F)));
    } else {
      s.push_back(char(0xF0 | (cp >> 18)));
      s.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
      s.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(char(0x80 | (cp & 0x3F)));
    }
  }

  bool string(std::string& s) {
    s.clear();
    ++p_;  // the opening quote
    const char* run = p_;
    while (true) {
      if (p_ >= end_) {
        fail(p_, "unexpected end of input inside a string; expected '\"'");
        return false;
      }
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        s.append(run, std::size_t(p_ - run));
        ++p_;
        return true;
      }
      if (c < 0x20) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        fail(p_, std::string("control character U+00") + kHex[c >> 4] + kHex[c & 15] +
                     " must be escaped in a string");
        return false;
      }
      if (c < 0x80 && c != '\\') {
        ++p_;
        continue;
      }
      if (c >= 0x80) {
        const std::size_t n = utf8_sequence(reinterpret_cast<const unsigned char*>(p_),
                                            reinterpret_cast<const unsigned char*>(end_));
        if (n == 0) {
          fail(p_, "a string holds bytes that are not UTF-8");
          return false;
        }
        p_ += n;
        continue;
      }
      // An escape.
      s.append(run, std::size_t(p_ - run));
      const char* at = p_;
      ++p_;
      if (p_ >= end_) {
        fail(p_, "unexpected end of input after '\\' in a string");
        return false;
      }
      switch (*p_++) {
        case '"':
          s.push_back('"');
          break;
        case '\\':
          s.push_back('\\');
          break;
        case '/':
          s.push_back('/');
          break;
        case 'b':
          s.push_back('\b');
          break;
        case 'f':
          s.push_back('\f');
          break;
        case 'n':
          s.push_back('\n');
          break;
        case 'r':
          s.push_back('\r');
          break;
        case 't':
          s.push_back('\t');
          break;
        case 'u': {
          long cp = code_unit();
          if (cp < 0) {
            fail(at, "'\\u' must be followed by 4 hex digits");
            return false;
          }
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(at, "a lone low surrogate (\\uDC00-\\uDFFF) in a string");
            return false;
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = -1;
            if (end_ - p_ >= 2 && p_[0] == '\\' && p_[1] == 'u') {
              p_ += 2;
              lo = code_unit();
            }
            if (lo < 0xDC00 || lo > 0xDFFF) {
              fail(at, "a high surrogate (\\uD800-\\uDBFF) not followed by a low one in a string");
              return false;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          append_utf8(s, static_cast<unsigned long>(cp));
          break;
        }
        default:
          fail(at,
               "an invalid escape in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
          return false;
      }
      run = p_;
    }
  }

  void number(Json& out) {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    auto digit = [&] { return p_ < end_ && *p_ >= '0' && *p_ <= '9'; };
    if (!digit()) return unexpected("a digit");
    std::uint64_t mag = 0;
    bool overflow = false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (digit()) {
        const unsigned d = unsigned(*p_ - '0');
        if (mag > (UINT64_MAX - d) / 10)
          overflow = true;
        else
          mag = mag * 10 + d;
        ++p_;
      }
    }
    bool integral = true;
    if (p_ < end_ && *p_ == '.') {
      integral = false;
      ++p_;
      if (!digit()) return unexpected("a digit after '.'");
      while (digit()) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      integral = false;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digit()) return unexpected("a digit in the exponent");
      while (digit()) ++p_;
    }
    if (integral && !overflow) {
      if (!negative) {
        out = Json(mag);
        return;
      }
      if (mag <= std::uint64_t(INT64_MAX) + 1) {
        out = Json(mag == std::uint64_t(INT64_MAX) + 1 ? INT64_MIN : -std::int64_t(mag));
        return;
      }
    }
    // strtod on a terminated copy (the C locale's '.', which this core never changes).
    const std::size_t n = std::size_t(p_ - start);
    char small[64];
    std::string big;
    const char* text = small;
    if (n < sizeof small) {
      std::memcpy(small, start, n);
      small[n] = 0;
    } else {
      big.assign(start, n);
      text = big.c_str();
    }
    const double d = std::strtod(text, nullptr);
    if (!std::isfinite(d)) {
      // nlohmann's words for it, without a position.
      failed_ = true;
      message_ =
          "number overflow parsing '" + std::string(start, std::min<std::size_t>(n, 40)) + "'";
      return;
    }
    out = Json(d);
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  bool failed_ = false;
  std::string message_;
};

Json Json::parse(std::string_view text, std::string* error) {
  return JsonParser(text).run(error);
}

}  // namespace llmmem
