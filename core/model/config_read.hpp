// Reading config.json fields with types and bounds: each wrong value adds an
// error that names the field ("model.config.hidden_size") and says what was
// expected, so that one pass reports every bad field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "util/json.hpp"

#include "api/error.hpp"

namespace llmmem {

// Size bounds: anything beyond these is a typo or an attack, not a model.
inline constexpr std::int64_t kMaxVocab = 1 << 24;   // 16.7M rows (largest real: 262k)
inline constexpr std::int64_t kMaxHidden = 1 << 20;  // 1M (largest real: 18,432)
inline constexpr std::int64_t kMaxIntermediate = 1 << 24;
inline constexpr std::int64_t kMaxLayers = 10000;  // largest real: 126
inline constexpr std::int64_t kMaxHeads = 1 << 16;
inline constexpr std::int64_t kMaxHeadDim = 1 << 16;
inline constexpr std::int64_t kMaxExperts = 1 << 16;  // largest real: 384
inline constexpr std::int64_t kMaxPositions = std::int64_t(1) << 32;
inline constexpr double kMaxModelParams = 1e14;  // 100T; the largest real model is ~1T

class Fields {
 public:
  using json = Json;

  Fields(const json& obj, std::string prefix, Errors& errors, const json* parent = nullptr,
         std::string parent_prefix = {});

  // The value of the first of `keys` present and not null, where it was found.
  struct Found {
    const json* value = nullptr;
    std::string key;
    std::string path;
  };

  Found find(std::initializer_list<const char*> keys) const;
  // The same, falling back to the enclosing multimodal config.
  Found find_with_parent(std::initializer_list<const char*> keys) const;

  std::optional<std::int64_t> integer(std::initializer_list<const char*> keys, std::int64_t lo,
                                      std::int64_t hi) const;
  std::optional<std::int64_t> check_integer(const Found& f, std::int64_t lo, std::int64_t hi) const;
  // An error "<first key> is required" when none of `keys` is present, unless
  // there is a fallback.
  std::int64_t required(std::initializer_list<const char*> keys, std::int64_t lo, std::int64_t hi,
                        std::optional<std::int64_t> fallback = std::nullopt) const;
  std::optional<bool> boolean(std::initializer_list<const char*> keys,
                              bool with_parent = false) const;
  std::optional<std::string> string(std::initializer_list<const char*> keys,
                                    bool with_parent = false) const;

  const json& obj() const { return obj_; }
  const std::string& prefix() const { return prefix_; }
  Errors& errors() const { return errors_; }

  // "a string", "an array", ...: the type of a value as error messages name it.
  static std::string type_name(const json& v);

 private:
  std::optional<std::int64_t> check_range(const Found& f, std::int64_t x, std::int64_t lo,
                                          std::int64_t hi) const;
  void too_large(const Found& f, double x, std::int64_t hi) const;

  const json& obj_;
  std::string prefix_;
  const json* parent_;
  std::string parent_prefix_;
  Errors& errors_;
};

}  // namespace llmmem
