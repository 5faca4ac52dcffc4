#include "api/report.hpp"

namespace llmmem {

void Report::set(std::string_view id, Bytes bytes, std::string formula) {
  for (auto& c : components) {
    if (c.id == id) {
      c.bytes = bytes;
      c.formula = std::move(formula);
      return;
    }
  }
  components.push_back({std::string(id), bytes, std::move(formula)});
}

const Component* Report::find(std::string_view id) const {
  for (const auto& c : components)
    if (c.id == id) return &c;
  return nullptr;
}

Bytes Report::total() const {
  Bytes sum;
  for (const auto& c : components) sum += Bytes(double(whole_bytes(c.bytes)));
  return sum;
}

Report empty_report(std::string_view estimator) {
  Report r;
  r.estimator = std::string(estimator);
  r.components.reserve(16);  // the required six and an engine's or trainer's own
  for (auto id : kRequiredComponents)
    r.components.push_back({std::string(id), Bytes(0), "not applicable: 0 B"});
  return r;
}

Report error_report(std::vector<FieldError> errors) {
  Report r;
  r.ok = false;
  r.errors = std::move(errors);
  return r;
}

}  // namespace llmmem
