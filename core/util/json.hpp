// The core's JSON document: the value type every request, config.json,
// catalog record and answer is read into or built as. It keeps the meaning of
// the subset of Json the core used (tests/unit/json_test.cpp checks
// it against nlohmann on the same texts): numbers typed as nlohmann types them
// (a non-negative integer is unsigned, a negative one signed, anything else a
// double), objects ordered by key bytewise, the last of duplicate keys kept, a
// UTF-8 byte order mark skipped, compact dump() byte for byte as nlohmann's.
//
// It never throws: a text that is not JSON parses to a discarded value with a
// message saying where and why, a missing key read from a const value is null,
// and a value read as the wrong type converts (a number to another number) or
// gives the type's empty value. The module is built without exceptions
// (wasm/CMakeLists.txt); nlohmann's parser and its exception paths were a
// fifth of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace llmmem {

class Json {
 public:
  enum class value_t : std::uint8_t {
    null,
    object,
    array,
    string,
    boolean,
    number_integer,
    number_unsigned,
    number_float,
    discarded
  };
  using object_t = std::map<std::string, Json, std::less<>>;
  using array_t = std::vector<Json>;
  using string_t = std::string;

  template <bool Const>
  class iter;
  using iterator = iter<false>;
  using const_iterator = iter<true>;

  Json() noexcept {}
  Json(std::nullptr_t) noexcept {}
  Json(value_t t);
  Json(bool b) noexcept : type_(value_t::boolean) { v_.b = b; }
  template <typename T,
            std::enable_if_t<
                std::is_integral_v<T> && !std::is_same_v<T, bool> && std::is_signed_v<T>, int> = 0>
  Json(T i) noexcept : type_(value_t::number_integer) {
    v_.i = i;
  }
  template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                             std::is_unsigned_v<T>,
                                         int> = 0>
  Json(T u) noexcept : type_(value_t::number_unsigned) {
    v_.u = u;
  }
  template <typename T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  Json(T d) noexcept : type_(value_t::number_float) {
    v_.d = static_cast<double>(d);
  }
  Json(const char* s);
  Json(std::string_view s);
  Json(const std::string& s);
  Json(std::string&& s);
  Json(object_t o);
  Json(array_t a);
  // Any other sequence (std::vector, std::array, ...) of values that make a Json.
  template <typename T,
            std::enable_if_t<!std::is_convertible_v<const T&, std::string_view> &&
                                 !std::is_same_v<T, array_t> && !std::is_same_v<T, object_t> &&
                                 std::is_constructible_v<Json, typename T::value_type>,
                             int> = 0>
  Json(const T& list) : Json(value_t::array) {
    v_.a->reserve(list.size());
    for (const auto& e : list) v_.a->emplace_back(e);
  }
  // A map of names to values that make a Json: an object.
  template <typename T, typename C, typename A,
            std::enable_if_t<std::is_constructible_v<Json, T>, int> = 0>
  Json(const std::map<std::string, T, C, A>& map) : Json(value_t::object) {
    for (const auto& [k, v] : map) v_.o->emplace(k, Json(v));
  }
  // nlohmann's rule: a list of [string, value] pairs is an object, any other
  // list an array.
  Json(std::initializer_list<Json> list);

  Json(const Json& other);
  Json(Json&& other) noexcept : type_(other.type_), v_(other.v_) {
    other.type_ = value_t::null;
    other.v_.u = 0;
  }
  Json& operator=(Json other) noexcept {
    std::swap(type_, other.type_);
    std::swap(v_, other.v_);
    return *this;
  }
  ~Json() { destroy(); }

  static Json array(std::initializer_list<Json> list = {});
  static Json object(std::initializer_list<Json> list = {});

  // The document the text holds, or a discarded value when it is not JSON
  // (with `error`, why: "parse error at line 1, column 5: ...").
  static Json parse(std::string_view text, std::string* error = nullptr);
  template <typename It>
  static Json parse(It first, It last, std::nullptr_t = nullptr, bool = true) {
    return parse(std::string_view(&*first, static_cast<std::size_t>(last - first)));
  }

  value_t type() const noexcept { return type_; }
  bool is_null() const noexcept { return type_ == value_t::null; }
  bool is_boolean() const noexcept { return type_ == value_t::boolean; }
  bool is_number() const noexcept { return is_number_integer() || is_number_float(); }
  bool is_number_integer() const noexcept {
    return type_ == value_t::number_integer || type_ == value_t::number_unsigned;
  }
  bool is_number_unsigned() const noexcept { return type_ == value_t::number_unsigned; }
  bool is_number_float() const noexcept { return type_ == value_t::number_float; }
  bool is_string() const noexcept { return type_ == value_t::string; }
  bool is_array() const noexcept { return type_ == value_t::array; }
  bool is_object() const noexcept { return type_ == value_t::object; }
  bool is_discarded() const noexcept { return type_ == value_t::discarded; }

  // Elements of an array, members of an object; 0 for null, 1 for anything else.
  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }

  // Objects: a null value becomes an object, a missing key is added as null.
  Json& operator[](std::string_view key);
  // A missing key, or a value that is not an object: null.
  const Json& operator[](std::string_view key) const;
  Json& operator[](const char* key) { return (*this)[std::string_view(key)]; }
  const Json& operator[](const char* key) const { return (*this)[std::string_view(key)]; }
  Json& operator[](const std::string& key) { return (*this)[std::string_view(key)]; }
  const Json& operator[](const std::string& key) const { return (*this)[std::string_view(key)]; }
  // Arrays: a null value becomes an array, grown to hold the index.
  Json& operator[](std::size_t index);
  const Json& operator[](std::size_t index) const;
  Json& operator[](int index) { return (*this)[static_cast<std::size_t>(index)]; }
  const Json& operator[](int index) const { return (*this)[static_cast<std::size_t>(index)]; }
  const Json& at(std::string_view key) const { return (*this)[key]; }

  bool contains(std::string_view key) const;
  std::size_t count(std::string_view key) const { return contains(key) ? 1 : 0; }
  iterator find(std::string_view key);
  const_iterator find(std::string_view key) const;
  std::size_t erase(std::string_view key);
  // Every member of `other` (an object) set here, replacing what was there.
  void update(const Json& other);
  void push_back(Json v);
  template <typename... Args>
  Json& emplace_back(Args&&... args) {
    push_back(Json(std::forward<Args>(args)...));
    return back();
  }
  Json& front();
  const Json& front() const;
  Json& back();
  const Json& back() const;

  iterator begin() noexcept;
  iterator end() noexcept;
  const_iterator begin() const noexcept;
  const_iterator end() const noexcept;
  const_iterator cbegin() const noexcept;
  const_iterator cend() const noexcept;

  // The members of an object, for `for (const auto& [key, value] : j.items())`
  // (an empty map when the value is not an object).
  object_t& items();
  const object_t& items() const;

  template <typename T>
  T get() const {
    if constexpr (std::is_same_v<T, bool>) {
      return type_ == value_t::boolean && v_.b;
    } else if constexpr (std::is_arithmetic_v<T>) {  // from each stored type directly
      switch (type_) {
        case value_t::number_integer:
          return static_cast<T>(v_.i);
        case value_t::number_unsigned:
          return static_cast<T>(v_.u);
        case value_t::number_float:
          return static_cast<T>(v_.d);
        default:
          return T{};
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      return type_ == value_t::string ? *v_.s : std::string();
    } else {
      static_assert(std::is_same_v<T, Json>, "Json::get<T>: a bool, number, string or Json");
      return *this;
    }
  }
  template <typename T>
  T get_ref() const {
    static_assert(std::is_same_v<T, const object_t&> || std::is_same_v<T, const string_t&>,
                  "Json::get_ref<T>: const object_t& or const string_t&");
    if constexpr (std::is_same_v<T, const object_t&>)
      return items();
    else
      return type_ == value_t::string ? *v_.s : empty_string();
  }
  // The string's own bytes, without a copy (empty when not a string).
  std::string_view string_view() const noexcept {
    return type_ == value_t::string ? std::string_view(*v_.s) : std::string_view();
  }
  // The member's value as the fallback's type, or the fallback when the key is
  // missing or null.
  template <typename T>
  T value(std::string_view key, const T& fallback) const {
    const Json& v = (*this)[key];
    return v.is_null() ? fallback : v.get<T>();
  }
  std::string value(std::string_view key, const char* fallback) const {
    return value(key, std::string(fallback));
  }

  // Compact text, as nlohmann::json::dump() writes it; a byte that is not
  // part of valid UTF-8 is written as U+FFFD (nlohmann writes one per broken
  // sequence with error_handler_t::replace, and throws by default).
  std::string dump() const;
  void dump_to(std::string& out) const;

  friend bool operator==(const Json& a, const Json& b) noexcept;
  friend bool operator!=(const Json& a, const Json& b) noexcept { return !(a == b); }

 private:
  static const std::string& empty_string();
  void destroy() noexcept;

  value_t type_ = value_t::null;
  union Value {
    bool b;
    std::int64_t i;
    std::uint64_t u;
    double d;
    std::string* s;
    array_t* a;
    object_t* o;
  } v_{};

  friend class JsonParser;
};

// An iterator over an array's elements, an object's member values (key() is
// the member's name), or a single primitive value (nlohmann's convention).
template <bool Const>
class Json::iter {
  using J = std::conditional_t<Const, const Json, Json>;
  using ObjIt = std::conditional_t<Const, object_t::const_iterator, object_t::iterator>;

 public:
  using value_type = Json;
  using reference = J&;
  using pointer = J*;
  using difference_type = std::ptrdiff_t;
  using iterator_category = std::forward_iterator_tag;

  iter() = default;
  iter(J* owner, ObjIt o) : owner_(owner), obj_(o) {}
  iter(J* owner, J* element) : owner_(owner), elem_(element) {}
  iter(J* owner, int primitive) : owner_(owner), prim_(primitive) {}
  template <bool C = Const, std::enable_if_t<C, int> = 0>
  iter(const iter<false>& o) : owner_(o.owner_), obj_(o.obj_), elem_(o.elem_), prim_(o.prim_) {}

  reference operator*() const {
    if (owner_->is_object()) return obj_->second;
    if (owner_->is_array()) return *elem_;
    return *owner_;
  }
  pointer operator->() const { return &**this; }
  iter& operator++() {
    if (owner_->is_object())
      ++obj_;
    else if (owner_->is_array())
      ++elem_;
    else
      ++prim_;
    return *this;
  }
  iter operator++(int) {
    iter t = *this;
    ++*this;
    return t;
  }
  const std::string& key() const { return obj_->first; }
  reference value() const { return **this; }
  friend bool operator==(const iter& a, const iter& b) {
    if (a.owner_ != b.owner_) return false;
    if (!a.owner_) return true;
    if (a.owner_->is_object()) return a.obj_ == b.obj_;
    if (a.owner_->is_array()) return a.elem_ == b.elem_;
    return a.prim_ == b.prim_;
  }
  friend bool operator!=(const iter& a, const iter& b) { return !(a == b); }

 private:
  template <bool>
  friend class iter;
  J* owner_ = nullptr;
  ObjIt obj_{};
  J* elem_ = nullptr;
  int prim_ = 0;
};

inline Json::const_iterator Json::cbegin() const noexcept {
  return begin();
}
inline Json::const_iterator Json::cend() const noexcept {
  return end();
}

}  // namespace llmmem
