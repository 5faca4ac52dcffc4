#include "model/config_cache.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "model/config_json.hpp"

namespace llmmem {
namespace {

// A handful of entries: the page asks about one config at a time, a script
// may compare a few. The architecture is shared read-only, as presets' are.
constexpr std::size_t kEntries = 4;

struct Entry {
  std::string key;  // field, a NUL, then the text
  std::shared_ptr<const ModelArch> arch;
  std::vector<FieldError> errors;
};

struct Cache {
  std::array<Entry, kEntries> entries;
  std::size_t next = 0;
};

thread_local Cache cache;

std::string key_of(std::string_view field, std::string_view text) {
  std::string key;
  key.reserve(field.size() + 1 + text.size());
  key.append(field);
  key.push_back('\0');
  key.append(text);
  return key;
}

template <typename Parse>
std::shared_ptr<const ModelArch> remembered(std::string key, Errors& errors, Parse parse) {
  for (const Entry& e : cache.entries) {
    if (e.key != key) continue;
    for (const FieldError& f : e.errors) errors.add(f.field, f.message);
    return e.arch;
  }
  Errors mine;
  auto arch = parse(mine);
  Entry& slot = cache.entries[cache.next];
  cache.next = (cache.next + 1) % kEntries;
  slot.key = std::move(key);
  slot.arch = arch;
  slot.errors = mine.list();
  for (const FieldError& f : slot.errors) errors.add(f.field, f.message);
  return arch;
}

}  // namespace

std::shared_ptr<const ModelArch> cached_config_text(std::string_view text, std::string_view field,
                                                    Errors& errors) {
  return remembered(key_of(field, text), errors,
                    [&](Errors& e) { return parse_config_text(text, field, e); });
}

std::shared_ptr<const ModelArch> cached_config(const Json& config, std::string_view field,
                                               Errors& errors) {
  return remembered(key_of(field, config.dump()), errors,
                    [&](Errors& e) { return parse_config(config, field, e); });
}

}  // namespace llmmem
