// Errors are values: the field at fault and a short lowercase message.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace llmmem {

struct FieldError {
  std::string field;    // e.g. "seqLen", "model.config.num_key_value_heads"
  std::string message;  // e.g. "seqLen must be a positive integer"

  friend bool operator==(const FieldError&, const FieldError&) = default;
};

// Collects errors while a request or a config is read, so that one pass
// reports every bad field instead of stopping at the first.
class Errors {
 public:
  void add(std::string field, std::string message) {
    list_.push_back({std::move(field), std::move(message)});
  }
  bool empty() const { return list_.empty(); }
  const std::vector<FieldError>& list() const { return list_; }
  std::vector<FieldError> take() { return std::move(list_); }

 private:
  std::vector<FieldError> list_;
};

}  // namespace llmmem
