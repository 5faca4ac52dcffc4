// Scanning JSON text for its structure without parsing it: which characters
// lie outside string literals (where braces and brackets mean nesting). Used
// to bound nesting before the parser runs and to find one catalog record.
#pragma once

namespace llmmem {

class JsonStringTracker {
 public:
  // Feeds the next character; true when it is structure (outside any string
  // literal and not one of its quotes).
  bool structural(char c) {
    if (in_string_) {
      if (escaped_)
        escaped_ = false;
      else if (c == '\\')
        escaped_ = true;
      else if (c == '"')
        in_string_ = false;
      return false;
    }
    if (c == '"') {
      in_string_ = true;
      return false;
    }
    return true;
  }

 private:
  bool in_string_ = false, escaped_ = false;
};

}  // namespace llmmem
