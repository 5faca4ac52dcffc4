// A bounded little-endian reader over the first bytes of a file. A read past
// the end of what was given does not fail the file: it records how many bytes
// from the start the reader needed (need()), so the caller can read more of
// the file (the page's File.slice) and try again.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace llmmem::files {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::uint64_t pos() const { return pos_; }
  // Bytes from the start the last failed read needed (0 when none failed).
  std::uint64_t need() const { return need_; }
  bool short_read() const { return need_ > 0; }

  // Little-endian unsigned integers of 1, 2, 4 or 8 bytes.
  template <typename T>
  bool read(T& out) {
    if (!take(sizeof(T))) return false;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      v |= std::uint64_t(bytes_[pos_ - sizeof(T) + i]) << (8 * i);
    out = static_cast<T>(v);
    return true;
  }
  bool read_double(double& out) {
    std::uint64_t v = 0;
    if (!read(v)) return false;
    std::memcpy(&out, &v, sizeof out);
    return true;
  }
  bool read_float(double& out) {
    std::uint32_t v = 0;
    if (!read(v)) return false;
    float f = 0;
    std::memcpy(&f, &v, sizeof f);
    out = f;
    return true;
  }
  // n bytes as text (not copied); n is checked against what is left before
  // any arithmetic, so a hostile length cannot wrap.
  bool read_text(std::uint64_t n, std::string_view& out) {
    if (!take(n)) return false;
    out = std::string_view(reinterpret_cast<const char*>(bytes_.data() + (pos_ - n)), n);
    return true;
  }
  bool skip(std::uint64_t n) { return take(n); }

 private:
  bool take(std::uint64_t n) {
    const std::uint64_t left = bytes_.size() - pos_;
    if (n > left) {
      // pos_ + n cannot overflow for any n the callers pass (each is bounded
      // by the header cap first), but saturate anyway.
      need_ = n > UINT64_MAX - pos_ ? UINT64_MAX : pos_ + n;
      return false;
    }
    pos_ += n;
    return true;
  }

  std::span<const std::uint8_t> bytes_;
  std::uint64_t pos_ = 0;
  std::uint64_t need_ = 0;
};

}  // namespace llmmem::files
