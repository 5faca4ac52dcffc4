#include "util/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "util/json_text.hpp"

namespace llmmem {

// ---------------------------------------------------------------- values

Json::Json(value_t t) : type_(t) {
  switch (t) {
    case value_t::object:
      v_.o = new object_t();
      break;
    case value_t::array:
      v_.a = new array_t();
      break;
    case value_t::string:
      v_.s = new std::string();
      break;
    default:
      v_.u = 0;
  }
}

Json::Json(const char* s) : type_(value_t::string) {
  v_.s = new std::string(s);
}
Json::Json(std::string_view s) : type_(value_t::string) {
  v_.s = new std::string(s);
}
Json::Json(const std::string& s) : type_(value_t::string) {
  v_.s = new std::string(s);
}
Json::Json(std::string&& s) : type_(value_t::string) {
  v_.s = new std::string(std::move(s));
}
Json::Json(object_t o) : type_(value_t::object) {
  v_.o = new object_t(std::move(o));
}
Json::Json(array_t a) : type_(value_t::array) {
  v_.a = new array_t(std::move(a));
}

Json::Json(std::initializer_list<Json> list) {
  bool pairs = true;
  for (const Json& e : list)
    if (!e.is_array() || e.v_.a->size() != 2 || !(*e.v_.a)[0].is_string()) {
      pairs = false;
      break;
    }
  if (pairs) {
    type_ = value_t::object;
    v_.o = new object_t();
    // The first of two equal keys stays, as nlohmann's emplace keeps it.
    for (const Json& e : list) v_.o->emplace(*(*e.v_.a)[0].v_.s, (*e.v_.a)[1]);
  } else {
    type_ = value_t::array;
    v_.a = new array_t(list.begin(), list.end());
  }
}

Json::Json(const Json& other) : type_(other.type_) {
  switch (type_) {
    case value_t::object:
      v_.o = new object_t(*other.v_.o);
      break;
    case value_t::array:
      v_.a = new array_t(*other.v_.a);
      break;
    case value_t::string:
      v_.s = new std::string(*other.v_.s);
      break;
    default:
      v_ = other.v_;
  }
}

void Json::destroy() noexcept {
  switch (type_) {
    case value_t::object:
      delete v_.o;
      break;
    case value_t::array:
      delete v_.a;
      break;
    case value_t::string:
      delete v_.s;
      break;
    default:
      break;
  }
}

Json Json::array(std::initializer_list<Json> list) {
  Json j(value_t::array);
  j.v_.a->assign(list.begin(), list.end());
  return j;
}

Json Json::object(std::initializer_list<Json> list) {
  Json j(list);
  return j.is_object() ? j : Json(value_t::object);
}

const std::string& Json::empty_string() {
  static const std::string empty;
  return empty;
}

std::size_t Json::size() const noexcept {
  switch (type_) {
    case value_t::null:
      return 0;
    case value_t::object:
      return v_.o->size();
    case value_t::array:
      return v_.a->size();
    default:
      return 1;
  }
}

Json& Json::operator[](std::string_view key) {
  if (type_ == value_t::null) *this = Json(value_t::object);
  if (type_ != value_t::object) {
    static Json spare;  // nlohmann throws here; the core never writes a key into a non-object
    spare = Json();
    return spare;
  }
  auto it = v_.o->find(key);
  if (it == v_.o->end()) it = v_.o->emplace(std::string(key), Json()).first;
  return it->second;
}

namespace {
const Json& null_value() {
  static const Json null;
  return null;
}
}  // namespace

const Json& Json::operator[](std::string_view key) const {
  if (type_ != value_t::object) return null_value();
  auto it = v_.o->find(key);
  return it == v_.o->end() ? null_value() : it->second;
}

Json& Json::operator[](std::size_t index) {
  if (type_ == value_t::null) *this = Json(value_t::array);
  if (type_ != value_t::array) {
    static Json spare;
    spare = Json();
    return spare;
  }
  if (index >= v_.a->size()) v_.a->resize(index + 1);
  return (*v_.a)[index];
}

const Json& Json::operator[](std::size_t index) const {
  if (type_ != value_t::array || index >= v_.a->size()) return null_value();
  return (*v_.a)[index];
}

bool Json::contains(std::string_view key) const {
  return type_ == value_t::object && v_.o->find(key) != v_.o->end();
}

Json::iterator Json::find(std::string_view key) {
  if (type_ != value_t::object) return end();
  return iterator(this, v_.o->find(key));
}

Json::const_iterator Json::find(std::string_view key) const {
  if (type_ != value_t::object) return end();
  return const_iterator(this, object_t::const_iterator(v_.o->find(key)));
}

std::size_t Json::erase(std::string_view key) {
  if (type_ != value_t::object) return 0;
  auto it = v_.o->find(key);
  if (it == v_.o->end()) return 0;
  v_.o->erase(it);
  return 1;
}

void Json::update(const Json& other) {
  if (type_ == value_t::null) *this = Json(value_t::object);
  if (type_ != value_t::object || other.type_ != value_t::object) return;
  for (const auto& [k, v] : *other.v_.o) (*v_.o)[k] = v;
}

void Json::push_back(Json v) {
  if (type_ == value_t::null) *this = Json(value_t::array);
  if (type_ != value_t::array) return;
  v_.a->push_back(std::move(v));
}

Json& Json::front() {
  return *begin();
}
const Json& Json::front() const {
  return *begin();
}
Json& Json::back() {
  if (type_ == value_t::object) return std::prev(v_.o->end())->second;
  if (type_ == value_t::array) return v_.a->back();
  return *this;
}
const Json& Json::back() const {
  return const_cast<Json*>(this)->back();
}

Json::iterator Json::begin() noexcept {
  if (type_ == value_t::object) return iterator(this, v_.o->begin());
  if (type_ == value_t::array) return iterator(this, v_.a->data());
  return iterator(this, type_ == value_t::null ? 1 : 0);
}
Json::iterator Json::end() noexcept {
  if (type_ == value_t::object) return iterator(this, v_.o->end());
  if (type_ == value_t::array) return iterator(this, v_.a->data() + v_.a->size());
  return iterator(this, 1);
}
Json::const_iterator Json::begin() const noexcept {
  return const_cast<Json*>(this)->begin();
}
Json::const_iterator Json::end() const noexcept {
  return const_cast<Json*>(this)->end();
}

Json::object_t& Json::items() {
  static object_t none;
  if (type_ == value_t::object) return *v_.o;
  none.clear();
  return none;
}
const Json::object_t& Json::items() const {
  static const object_t none;
  return type_ == value_t::object ? *v_.o : none;
}

bool operator==(const Json& a, const Json& b) noexcept {
  using t = Json::value_t;
  if (a.type_ == b.type_) {
    switch (a.type_) {
      case t::null:
        return true;
      case t::object:
        return *a.v_.o == *b.v_.o;
      case t::array:
        return *a.v_.a == *b.v_.a;
      case t::string:
        return *a.v_.s == *b.v_.s;
      case t::boolean:
        return a.v_.b == b.v_.b;
      case t::number_integer:
        return a.v_.i == b.v_.i;
      case t::number_unsigned:
        return a.v_.u == b.v_.u;
      case t::number_float:
        return a.v_.d == b.v_.d;
      default:
        return false;  // discarded values equal nothing
    }
  }
  // Numbers of two types compare as nlohmann compares them.
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() || b.is_number_float()) return a.get<double>() == b.get<double>();
    const Json& s = a.type_ == t::number_integer ? a : b;
    const Json& u = a.type_ == t::number_integer ? b : a;
    return s.v_.i == static_cast<std::int64_t>(u.v_.u);
  }
  return false;
}

// ---------------------------------------------------------------- text out

namespace {

// A double as nlohmann's dump() writes it: the shortest digits that read back
// to the same value, then plain notation with ".0" for decimal exponents from
// -4 to 15 and "1.5e+20" / "1e-05" outside them. nlohmann's Grisu2 picks other
// digits for about 0.3% of random doubles (a 17th digit where 16 read back, or
// another last digit); the core writes none such (tests/unit/json_test.cpp).
void write_double(std::string& out, double x) {
  if (!std::isfinite(x)) {
    out.append("null");
    return;
  }
  if (x == 0) {
    out.append(std::signbit(x) ? "-0.0" : "0.0");
    return;
  }
  if (x == std::floor(x) && std::fabs(x) < 1e15) {  // a whole number: its digits and ".0"
    JsonText(out).integer(static_cast<std::int64_t>(x));
    out.append(".0");
    return;
  }
  if (x < 0) {
    out.push_back('-');
    x = -x;
  }
  // The shortest "%.*e" that reads back (libc++ here has no floating to_chars).
  char buf[40];
  for (int precision = 0; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  std::string_view s(buf);
  const std::size_t e = s.find('e');
  std::string digits;
  digits.push_back(s[0]);
  if (e > 1) digits.append(s.substr(2, e - 2));
  int exp10 = 0;
  std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(), exp10);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // the decimal point's position after the first n digits
  constexpr int kMinExp = -4, kMaxExp = 15;
  if (k <= n && n <= kMaxExp) {
    out.append(digits);
    out.append(static_cast<std::size_t>(n - k), '0');
    out.append(".0");
  } else if (0 < n && n <= kMaxExp) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(n), std::string::npos);
  } else if (kMinExp < n && n <= 0) {
    out.append("0.");
    out.append(static_cast<std::size_t>(-n), '0');
    out.append(digits);
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1, std::string::npos);
    }
    out.push_back('e');
    int m = n - 1;
    out.push_back(m < 0 ? '-' : '+');
    if (m < 0) m = -m;
    if (m < 10) out.push_back('0');
    out.append(std::to_string(m));
  }
}

}  // namespace

void Json::dump_to(std::string& out) const {
  switch (type_) {
    case value_t::null:
    case value_t::discarded:
      out.append(type_ == value_t::null ? "null" : "<discarded>");
      return;
    case value_t::boolean:
      out.append(v_.b ? "true" : "false");
      return;
    case value_t::number_integer:
      JsonText(out).integer(v_.i);
      return;
    case value_t::number_unsigned:
      JsonText(out).unsigned_integer(v_.u);
      return;
    case value_t::number_float:
      write_double(out, v_.d);
      return;
    case value_t::string:
      JsonText(out).string(*v_.s);
      return;
    case value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& e : *v_.a) {
        if (!first) out.push_back(',');
        first = false;
        e.dump_to(out);
      }
      out.push_back(']');
      return;
    }
    case value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : *v_.o) {
        JsonText(out).key(k, first);
        first = false;
        v.dump_to(out);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string Json::dump() const {
  std::string out;
  dump_to(out);
  return out;
}

}  // namespace llmmem
