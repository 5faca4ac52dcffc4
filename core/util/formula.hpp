// A number and the formula text that produced it, built from one expression,
// so the text a report shows cannot drift from the number it reports.
//
//   Formula w = count(8.03e9, "params") * number(2, "B");   // "8.03e9 params × 2 B"
//   w.over(4, "shards");                                   // " / 4 shards", value / 4
//   report.set("weights", w.bytes(), w.equals(format_gib)); // "... = 3.74 GiB"
//
// Arithmetic is done in the order written, exactly as the plain doubles would be.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "util/text.hpp"
#include "util/units.hpp"

namespace llmmem {

class Formula {
 public:
  Formula() = default;
  Formula(double value, std::string text) : value_(value), text_(std::move(text)) {}

  double value() const { return value_; }
  Bytes bytes() const { return Bytes(value_); }
  const std::string& text() const { return text_; }

  // "a × b", "a / b", "a + b": the value and the text from the same operands.
  // While a QuietText lives (a search's trial estimates) only the value is kept.
  friend Formula operator*(Formula a, const Formula& b) {
    a.value_ = a.value_ * b.value_;
    return a.join(" × ", b);
  }
  friend Formula operator/(Formula a, const Formula& b) {
    a.value_ = a.value_ / b.value_;
    return a.join(" / ", b);
  }
  friend Formula operator+(Formula a, const Formula& b) {
    a.value_ = a.value_ + b.value_;
    return a.join(" + ", b);
  }

  // Words that explain without changing the value: " (16-bit autocast copies)".
  Formula& note(std::string_view words) {
    if (!QuietText::on()) text_ += words;
    return *this;
  }
  // Divides by `parts`; the text names the division only where it divides
  // (parts > 1): " / 4 shards" with what = "shards", " / 4" with what empty.
  Formula& over(double parts, std::string_view what = "") {
    value_ /= parts;
    if (parts > 1 && !QuietText::on()) {
      text_ += " / " + format_number(parts);
      if (!what.empty()) text_ += " " + std::string(what);
    }
    return *this;
  }
  // Not on this GPU: the value becomes 0 and the text says where it went.
  Formula& elsewhere(std::string_view where) {
    value_ = 0;
    if (!QuietText::on()) text_ += where;
    return *this;
  }

  // The text, " = ", and the value as `show` writes bytes: "... = 3.74 GiB".
  std::string equals(std::string (*show)(Bytes)) const {
    return QuietText::on() ? std::string() : text_ + " = " + show(bytes());
  }

 private:
  Formula join(std::string_view op, const Formula& b) {
    if (!QuietText::on()) {
      text_ += op;
      text_ += b.text_;
    }
    return std::move(*this);
  }

  double value_ = 0;
  std::string text_;
};

// A quantity as format_number writes it, with its unit: number(2, "B") is "2 B".
inline Formula number(double x, std::string_view unit = "") {
  if (QuietText::on()) return Formula(x, {});
  return Formula(x, unit.empty() ? format_number(x) : format_number(x) + " " + std::string(unit));
}
// A count as format_count writes it, with what is counted: "8.03e9 params".
inline Formula count(double n, std::string_view what = "") {
  if (QuietText::on()) return Formula(n, {});
  return Formula(n, what.empty() ? format_count(n) : format_count(n) + " " + std::string(what));
}
// An exact integer as format_integer writes it: "131,072 tokens".
inline Formula integer(double n, std::string_view what = "") {
  if (QuietText::on()) return Formula(n, {});
  return Formula(n, what.empty() ? format_integer(n) : format_integer(n) + " " + std::string(what));
}
// Bytes under a name, written by `show`: "CUDA context 400 MiB".
inline Formula named_bytes(std::string_view name, double bytes, std::string (*show)(Bytes)) {
  if (QuietText::on()) return Formula(bytes, {});
  return Formula(bytes, std::string(name) + " " + show(Bytes(bytes)));
}

}  // namespace llmmem
