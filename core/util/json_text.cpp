#include "util/json_text.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace llmmem {

std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end) {
  const unsigned c = *p;
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (std::size_t(end - p) <= n) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (std::size_t i = 2; i <= n; ++i)
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  return n + 1;
}

namespace {

// The text with every byte that is not part of valid UTF-8 replaced by U+FFFD
// (one per byte; nlohmann's error_handler_t::replace writes one per broken sequence).
std::string replace_invalid_utf8(std::string_view s) {
  std::string out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const std::size_t n = utf8_sequence(p, end);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++p;
    } else {
      out.append(reinterpret_cast<const char*>(p), n);
      p += n;
    }
  }
  return out;
}

// Eight bytes at a time: true when none of them needs a look of its own (a
// control character, '"', '\\', or a byte of a multi-byte UTF-8 sequence).
// The bit tricks are exact as a yes/no (Hacker's Delight / Anderson's
// "determine if a word has a byte less than n").
bool plain8(const unsigned char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & high; };
  const std::uint64_t below_space = (x - ones * 0x20) & ~x & high;
  return !((x & high) | below_space | has_zero(x ^ (ones * '"')) | has_zero(x ^ (ones * '\\')));
}

}  // namespace

void JsonText::string(std::string_view s) {
  // One pass: escaping and the UTF-8 check together. Rare (a user's text cut
  // inside a character, a config's odd bytes): invalid bytes become U+FFFD,
  // so every string in the output is valid UTF-8 and JSON.parse accepts it.
  const std::size_t start = out_.size();
  if (escape(s, true)) return;
  out_.resize(start);
  escape(replace_invalid_utf8(s), false);
}

bool JsonText::escape(std::string_view s, bool check_utf8) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  out_.push_back('"');
  const auto* run = p;  // start of the bytes not yet copied
  while (p < end) {
    if (end - p >= 8 && plain8(p)) {
      p += 8;
      continue;
    }
    const unsigned c = *p;
    if (c >= 0x80) {
      const std::size_t n = check_utf8 ? utf8_sequence(p, end) : 1;
      if (n == 0) return false;
      p += n;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++p;
      continue;
    }
    out_.append(reinterpret_cast<const char*>(run), std::size_t(p - run));
    run = ++p;
    switch (c) {
      case '\b':
        out_.append("\\b");
        break;
      case '\t':
        out_.append("\\t");
        break;
      case '\n':
        out_.append("\\n");
        break;
      case '\f':
        out_.append("\\f");
        break;
      case '\r':
        out_.append("\\r");
        break;
      case '"':
        out_.append("\\\"");
        break;
      case '\\':
        out_.append("\\\\");
        break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out_.append(esc, 6);
      }
    }
  }
  out_.append(reinterpret_cast<const char*>(run), std::size_t(end - run));
  out_.push_back('"');
  return true;
}

void JsonText::integer(std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void JsonText::unsigned_integer(std::uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

}  // namespace llmmem
