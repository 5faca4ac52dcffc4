#include "model/config_read.hpp"

#include <algorithm>
#include <utility>

#include "util/text.hpp"

namespace llmmem {

using json = Json;

Fields::Fields(const json& obj, std::string prefix, Errors& errors, const json* parent,
               std::string parent_prefix)
    : obj_(obj),
      prefix_(std::move(prefix)),
      parent_(parent),
      parent_prefix_(std::move(parent_prefix)),
      errors_(errors) {}

Fields::Found Fields::find(std::initializer_list<const char*> keys) const {
  for (const char* k : keys) {
    auto it = obj_.find(k);
    if (it != obj_.end() && !it->is_null()) return {&*it, k, prefix_ + "." + k};
  }
  return {};
}

Fields::Found Fields::find_with_parent(std::initializer_list<const char*> keys) const {
  Found f = find(keys);
  if (f.value || !parent_) return f;
  for (const char* k : keys) {
    auto it = parent_->find(k);
    if (it != parent_->end() && !it->is_null()) return {&*it, k, parent_prefix_ + "." + k};
  }
  return {};
}

std::optional<std::int64_t> Fields::integer(std::initializer_list<const char*> keys,
                                            std::int64_t lo, std::int64_t hi) const {
  return check_integer(find(keys), lo, hi);
}

namespace {

// Keys HunYuan's MoE configs write as one value per layer (HunYuanMoEV1Config:
// moe_topk, moe_intermediate_size, num_shared_expert and num_experts may be
// lists): a list of one value reads as that value.
bool per_layer_key(const std::string& key) {
  return key == "moe_topk" || key == "moe_intermediate_size" || key == "num_shared_expert" ||
         key == "num_experts";
}

}  // namespace

std::optional<std::int64_t> Fields::check_integer(const Found& f, std::int64_t lo,
                                                  std::int64_t hi) const {
  if (!f.value) return std::nullopt;
  if (f.value->is_array() && per_layer_key(f.key)) {
    const json& list = *f.value;
    if (list.empty() ||
        std::any_of(list.begin(), list.end(), [&](const json& e) { return e != list.front(); })) {
      errors_.add(f.path, f.key +
                              " must give one value for every layer (per-layer values that "
                              "differ are not supported yet)");
      return std::nullopt;
    }
    return check_integer(Found{&list.front(), f.key, f.path + "[0]"}, lo, hi);
  }
  const json& v = *f.value;
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > std::uint64_t(hi)) {
      too_large(f, double(u), hi);
      return std::nullopt;
    }
    return check_range(f, std::int64_t(u), lo, hi);
  }
  if (v.is_number_integer()) return check_range(f, v.get<std::int64_t>(), lo, hi);
  if (v.is_number_float()) {
    errors_.add(f.path, f.key + " must be an integer (got " + v.dump() + ")");
    return std::nullopt;
  }
  errors_.add(f.path, f.key + " must be an integer (got " + type_name(v) + ")");
  return std::nullopt;
}

std::int64_t Fields::required(std::initializer_list<const char*> keys, std::int64_t lo,
                              std::int64_t hi, std::optional<std::int64_t> fallback) const {
  Found f = find(keys);
  if (!f.value) {
    if (fallback) return *fallback;
    errors_.add(prefix_ + "." + *keys.begin(), std::string(*keys.begin()) + " is required");
    return 0;
  }
  return check_integer(f, lo, hi).value_or(0);
}

std::optional<bool> Fields::boolean(std::initializer_list<const char*> keys,
                                    bool with_parent) const {
  Found f = with_parent ? find_with_parent(keys) : find(keys);
  if (!f.value) return std::nullopt;
  if (!f.value->is_boolean()) {
    errors_.add(f.path, f.key + " must be true or false (got " + type_name(*f.value) + ")");
    return std::nullopt;
  }
  return f.value->get<bool>();
}

std::optional<std::string> Fields::string(std::initializer_list<const char*> keys,
                                          bool with_parent) const {
  Found f = with_parent ? find_with_parent(keys) : find(keys);
  if (!f.value) return std::nullopt;
  if (!f.value->is_string()) {
    errors_.add(f.path, f.key + " must be a string (got " + type_name(*f.value) + ")");
    return std::nullopt;
  }
  return f.value->get<std::string>();
}

std::string Fields::type_name(const json& v) {
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  if (v.is_null()) return "null";
  return "a number";
}

std::optional<std::int64_t> Fields::check_range(const Found& f, std::int64_t x, std::int64_t lo,
                                                std::int64_t hi) const {
  if (x < lo) {
    if (lo == 1)
      errors_.add(f.path, f.key + " must be a positive integer (got " + std::to_string(x) + ")");
    else
      errors_.add(f.path, f.key + " must be at least " + std::to_string(lo) + " (got " +
                              std::to_string(x) + ")");
    return std::nullopt;
  }
  if (x > hi) {
    too_large(f, double(x), hi);
    return std::nullopt;
  }
  return x;
}

void Fields::too_large(const Found& f, double x, std::int64_t hi) const {
  errors_.add(f.path, f.key + " is too large (got " + format_count(x) + ", at most " +
                          format_count(double(hi)) + ")");
}

}  // namespace llmmem
