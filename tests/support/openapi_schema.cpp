#include "support/openapi_schema.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <optional>
#include <regex>
#include <set>

namespace shop::testing::openapi {

namespace json = boost::json;

namespace {

// The keywords that constrain an instance, and those that only annotate it.
const std::set<std::string, std::less<>> assertion_keywords = {
    "$ref",      "type",      "enum",      "const",     "required", "properties",
    "additionalProperties",   "items",     "minimum",   "maximum",  "minLength",
    "maxLength", "minItems",  "maxItems",  "format",    "pattern"};
const std::set<std::string, std::less<>> annotation_keywords = {
    "description", "title", "examples", "default", "writeOnly", "readOnly", "deprecated",
    "$comment"};
const std::set<std::string, std::less<>> known_types = {"null",    "boolean", "object", "array",
                                                        "number",  "string",  "integer"};
const std::set<std::string, std::less<>> known_formats = {"date-time", "email", "uri-reference"};

constexpr int max_depth = 64;

std::string kind_name(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "?";
}

bool is_number(const json::value& value) {
  return value.is_int64() || value.is_uint64() || value.is_double();
}

long double number_of(const json::value& value) {
  if (value.is_int64()) return static_cast<long double>(value.get_int64());
  if (value.is_uint64()) return static_cast<long double>(value.get_uint64());
  return static_cast<long double>(value.get_double());
}

bool is_integer(const json::value& value) {
  if (value.is_int64() || value.is_uint64()) return true;
  if (!value.is_double()) return false;
  double d = value.get_double();
  return std::isfinite(d) && std::trunc(d) == d;
}

bool has_type(const json::value& value, std::string_view type) {
  if (type == "integer") return is_integer(value);
  if (type == "number") return is_number(value);
  return kind_name(value) == type;
}

// JSON equality as JSON Schema defines it: numbers by value (1 == 1.0).
bool json_equal(const json::value& a, const json::value& b) {
  if (is_number(a) && is_number(b)) return number_of(a) == number_of(b);
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!json_equal(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& [key, value] : x) {
      auto it = y.find(key);
      if (it == y.end() || !json_equal(value, it->value())) return false;
    }
    return true;
  }
  return a == b;
}

std::size_t code_points(std::string_view text) {
  return std::size_t(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// RFC 3339 section 5.6 date-time: full-date "T" full-time, with the
// calendar's ranges (days per month, leap years) and a leap second only at
// 23:59:60 UTC.
bool is_date_time(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (!digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't') || !digits(text, 11, 2, hour) || text[13] != ':' ||
      !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
    return false;
  }
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return false;
  int days = month_days[month - 1] + (month == 2 && leap_year(year) ? 1 : 0);
  if (day < 1 || day > days || hour > 23 || minute > 59 || second > 60) return false;
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    std::size_t start = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == start) return false;
  }
  if (at >= text.size()) return false;
  int offset_minutes = 0;
  if (text[at] == 'Z' || text[at] == 'z') {
    ++at;
  } else if (text[at] == '+' || text[at] == '-') {
    int sign = text[at] == '-' ? -1 : 1;
    int oh, om;
    if (!digits(text, at + 1, 2, oh) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !digits(text, at + 4, 2, om) || oh > 23 || om > 59) {
      return false;
    }
    offset_minutes = sign * (oh * 60 + om);
    at += 6;
  } else {
    return false;
  }
  if (at != text.size()) return false;
  if (second == 60) {
    int utc = ((hour * 60 + minute - offset_minutes) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

// A plausibility check of an addr-spec: a non-empty local part and a dotted
// domain of visible ASCII, no spaces.
bool is_email(std::string_view text) {
  auto at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= text.size()) return false;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) return false;
  }
  std::string_view domain = text.substr(at + 1);
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos) {
    return false;
  }
  return text.substr(0, at).find('@') == std::string_view::npos;
}

// RFC 3986 URI-reference characters: unreserved, reserved and %HH.
bool is_uri_reference(std::string_view text) {
  static const std::string_view allowed =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=";
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        return false;
      }
      i += 2;
    } else if (allowed.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool format_holds(std::string_view format, std::string_view text) {
  if (format == "date-time") return is_date_time(text);
  if (format == "email") return is_email(text);
  if (format == "uri-reference") return is_uri_reference(text);
  throw UnsupportedSchema("unknown format \"" + std::string(format) + "\"");
}

std::string unescape_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else if (token[i] == '~') {
      throw UnsupportedSchema("bad JSON pointer escape in \"" + std::string(token) + "\"");
    } else {
      out += token[i];
    }
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string media_type(std::string_view content_type) {
  auto semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  while (!media.empty() && media.front() == ' ') media.remove_prefix(1);
  return lower(media);
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

const json::object& as_object(const json::value& value, const std::string& where) {
  if (!value.is_object()) throw UnsupportedSchema(where + " is not an object");
  return value.get_object();
}

// Follows $ref chains of OpenAPI reference objects (responses, headers),
// which may carry only summary and description besides the reference.
const json::object& follow(const json::value& document, const json::value& value,
                           std::string& location) {
  const json::value* current = &value;
  for (int hops = 0; hops < max_depth; ++hops) {
    const auto& object = as_object(*current, location);
    auto ref = object.find("$ref");
    if (ref == object.end()) return object;
    for (const auto& [key, ignored] : object) {
      if (key != "$ref" && key != "summary" && key != "description") {
        throw UnsupportedSchema(location + ": \"" + std::string(key) + "\" next to $ref");
      }
    }
    if (!ref->value().is_string()) throw UnsupportedSchema(location + ": $ref is not a string");
    location = std::string(ref->value().get_string());
    current = &resolve_ref(document, location);
  }
  throw UnsupportedSchema(location + ": $ref cycle");
}

void require_known_keys(const json::object& object, const std::set<std::string, std::less<>>& known,
                        const std::string& where) {
  for (const auto& [key, ignored] : object) {
    if (!known.contains(std::string_view(key))) {
      throw UnsupportedSchema(where + ": unknown field \"" + std::string(key) + "\"");
    }
  }
}

}  // namespace

std::string SchemaError::describe() const {
  return (instance.empty() ? std::string("(root)") : instance) + ": " + message + "  [" + schema +
         "]";
}

std::string pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

const json::value& resolve_ref(const json::value& document, std::string_view ref) {
  if (!ref.starts_with("#/")) {
    throw UnsupportedSchema("$ref \"" + std::string(ref) + "\" is not local to the document");
  }
  const json::value* current = &document;
  for (auto token : segments(ref.substr(1))) {
    std::string key = unescape_token(token);
    if (current->is_object()) {
      auto it = current->get_object().find(key);
      if (it == current->get_object().end()) {
        throw UnsupportedSchema("$ref \"" + std::string(ref) + "\" names nothing");
      }
      current = &it->value();
    } else if (current->is_array()) {
      std::size_t index = 0;
      auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), index);
      if (error != std::errc() || end != key.data() + key.size() ||
          index >= current->get_array().size()) {
        throw UnsupportedSchema("$ref \"" + std::string(ref) + "\" names nothing");
      }
      current = &current->get_array()[index];
    } else {
      throw UnsupportedSchema("$ref \"" + std::string(ref) + "\" names nothing");
    }
  }
  return *current;
}

namespace {
void audit_schema(const json::value& document, const json::value& schema, const std::string& where,
                  std::vector<std::string>& found, std::set<const json::value*>* followed);
}  // namespace

std::vector<SchemaError> Validator::validate(const json::value& schema, const json::value& instance,
                                             const std::string& schema_location) const {
  // The whole schema, $refs followed, is checked before any instance is: a
  // keyword it does not know fails even where this instance has no value.
  std::vector<std::string> unsupported;
  std::set<const json::value*> followed;
  audit_schema(document_, schema, schema_location, unsupported, &followed);
  if (!unsupported.empty()) {
    std::string message = "the schema uses what this validator does not know:";
    for (const auto& line : unsupported) message += "\n  " + line;
    throw UnsupportedSchema(message);
  }
  std::vector<SchemaError> errors;
  check(schema, instance, schema_location, "", 0, errors);
  return errors;
}

void Validator::check(const json::value& schema, const json::value& instance,
                      const std::string& schema_at, const std::string& instance_at, int depth,
                      std::vector<SchemaError>& errors) const {
  if (depth > max_depth) throw UnsupportedSchema(schema_at + ": schemas nest too deep ($ref cycle?)");
  if (schema.is_bool()) {
    if (!schema.get_bool()) errors.push_back({instance_at, schema_at, "no value is allowed here"});
    return;
  }
  if (!schema.is_object()) throw UnsupportedSchema(schema_at + ": a schema must be an object or a boolean");
  const auto& s = schema.get_object();
  for (const auto& [key, ignored] : s) {
    if (!assertion_keywords.contains(std::string_view(key)) &&
        !annotation_keywords.contains(std::string_view(key))) {
      throw UnsupportedSchema(schema_at + ": unknown keyword \"" + std::string(key) + "\"");
    }
  }
  auto at = [&](std::string_view keyword) { return schema_at + "/" + pointer_token(keyword); };
  auto fail = [&](std::string_view keyword, std::string message) {
    errors.push_back({instance_at, at(keyword), std::move(message)});
  };

  if (auto it = s.find("$ref"); it != s.end()) {
    if (!it->value().is_string()) throw UnsupportedSchema(at("$ref") + " is not a string");
    std::string ref(it->value().get_string());
    check(resolve_ref(document_, ref), instance, ref, instance_at, depth + 1, errors);
  }

  if (auto it = s.find("type"); it != s.end()) {
    std::vector<std::string> types;
    if (it->value().is_string()) {
      types.emplace_back(it->value().get_string());
    } else if (it->value().is_array()) {
      for (const auto& type : it->value().get_array()) {
        if (!type.is_string()) throw UnsupportedSchema(at("type") + " lists a non-string");
        types.emplace_back(type.get_string());
      }
    } else {
      throw UnsupportedSchema(at("type") + " is neither a string nor an array");
    }
    bool matched = false;
    std::string wanted;
    for (const auto& type : types) {
      if (!known_types.contains(type)) throw UnsupportedSchema(at("type") + ": unknown type \"" + type + "\"");
      matched = matched || has_type(instance, type);
      wanted += (wanted.empty() ? "" : " or ") + type;
    }
    if (!matched) fail("type", "is " + kind_name(instance) + ", expected " + wanted);
  }

  if (auto it = s.find("enum"); it != s.end()) {
    if (!it->value().is_array()) throw UnsupportedSchema(at("enum") + " is not an array");
    const auto& options = it->value().get_array();
    if (std::none_of(options.begin(), options.end(),
                     [&](const json::value& option) { return json_equal(option, instance); })) {
      fail("enum", json::serialize(instance) + " is not one of " + json::serialize(options));
    }
  }
  if (auto it = s.find("const"); it != s.end()) {
    if (!json_equal(it->value(), instance)) {
      fail("const", json::serialize(instance) + " is not " + json::serialize(it->value()));
    }
  }

  auto number_keyword = [&](std::string_view keyword) -> const json::value* {
    auto it = s.find(keyword);
    if (it == s.end()) return nullptr;
    if (!is_number(it->value())) throw UnsupportedSchema(at(keyword) + " is not a number");
    return &it->value();
  };
  auto count_keyword = [&](std::string_view keyword) -> std::optional<std::uint64_t> {
    auto it = s.find(keyword);
    if (it == s.end()) return std::nullopt;
    if (!is_integer(it->value()) || number_of(it->value()) < 0) {
      throw UnsupportedSchema(at(keyword) + " is not a non-negative integer");
    }
    return std::uint64_t(number_of(it->value()));
  };

  const auto* minimum = number_keyword("minimum");
  const auto* maximum = number_keyword("maximum");
  if (is_number(instance)) {
    if (minimum && number_of(instance) < number_of(*minimum)) {
      fail("minimum", json::serialize(instance) + " is below " + json::serialize(*minimum));
    }
    if (maximum && number_of(instance) > number_of(*maximum)) {
      fail("maximum", json::serialize(instance) + " is above " + json::serialize(*maximum));
    }
  }

  auto min_length = count_keyword("minLength");
  auto max_length = count_keyword("maxLength");
  const json::string* pattern = nullptr;
  if (auto it = s.find("pattern"); it != s.end()) {
    if (!it->value().is_string()) throw UnsupportedSchema(at("pattern") + " is not a string");
    pattern = &it->value().get_string();
  }
  const json::string* format = nullptr;
  if (auto it = s.find("format"); it != s.end()) {
    if (!it->value().is_string()) throw UnsupportedSchema(at("format") + " is not a string");
    format = &it->value().get_string();
    if (!known_formats.contains(std::string_view(*format))) {
      throw UnsupportedSchema(at("format") + ": unknown format \"" + std::string(*format) + "\"");
    }
  }
  std::optional<std::regex> compiled;
  if (pattern) {
    try {
      compiled.emplace(std::string(*pattern), std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      throw UnsupportedSchema(at("pattern") + ": not an ECMAScript regular expression");
    }
  }
  if (instance.is_string()) {
    std::string_view text = instance.get_string();
    auto length = code_points(text);
    if (min_length && length < *min_length) {
      fail("minLength", "has " + std::to_string(length) + " characters, fewer than " +
                            std::to_string(*min_length));
    }
    if (max_length && length > *max_length) {
      fail("maxLength", "has " + std::to_string(length) + " characters, more than " +
                            std::to_string(*max_length));
    }
    if (compiled && !std::regex_search(std::string(text), *compiled)) {
      fail("pattern", json::serialize(instance) + " does not match " + std::string(*pattern));
    }
    if (format && !format_holds(*format, text)) {
      fail("format", json::serialize(instance) + " is not a valid " + std::string(*format));
    }
  }

  auto min_items = count_keyword("minItems");
  auto max_items = count_keyword("maxItems");
  const json::value* items = nullptr;
  if (auto it = s.find("items"); it != s.end()) {
    if (!it->value().is_object() && !it->value().is_bool()) {
      throw UnsupportedSchema(at("items") + ": only a single schema is supported (no tuples)");
    }
    items = &it->value();
  }
  if (instance.is_array()) {
    const auto& array = instance.get_array();
    if (min_items && array.size() < *min_items) {
      fail("minItems", "has " + std::to_string(array.size()) + " items, fewer than " +
                           std::to_string(*min_items));
    }
    if (max_items && array.size() > *max_items) {
      fail("maxItems", "has " + std::to_string(array.size()) + " items, more than " +
                           std::to_string(*max_items));
    }
    if (items) {
      for (std::size_t i = 0; i < array.size(); ++i) {
        check(*items, array[i], at("items"), instance_at + "/" + std::to_string(i), depth + 1,
              errors);
      }
    }
  }

  const json::object* properties = nullptr;
  if (auto it = s.find("properties"); it != s.end()) {
    if (!it->value().is_object()) throw UnsupportedSchema(at("properties") + " is not an object");
    properties = &it->value().get_object();
  }
  const json::value* additional = nullptr;
  if (auto it = s.find("additionalProperties"); it != s.end()) {
    if (!it->value().is_object() && !it->value().is_bool()) {
      throw UnsupportedSchema(at("additionalProperties") + " is neither a schema nor a boolean");
    }
    additional = &it->value();
  }
  const json::array* required = nullptr;
  if (auto it = s.find("required"); it != s.end()) {
    if (!it->value().is_array()) throw UnsupportedSchema(at("required") + " is not an array");
    required = &it->value().get_array();
    for (const auto& name : *required) {
      if (!name.is_string()) throw UnsupportedSchema(at("required") + " lists a non-string");
    }
  }
  if (instance.is_object()) {
    const auto& object = instance.get_object();
    if (required) {
      for (const auto& name : *required) {
        if (!object.contains(name.get_string())) {
          fail("required", "lacks the required property \"" + std::string(name.get_string()) + "\"");
        }
      }
    }
    for (const auto& [key, value] : object) {
      std::string child = instance_at + "/" + pointer_token(key);
      if (properties && properties->contains(key)) {
        check(properties->at(key), value, at("properties") + "/" + pointer_token(key), child,
              depth + 1, errors);
      } else if (additional) {
        if (additional->is_bool() && !additional->get_bool()) {
          errors.push_back({child, at("additionalProperties"),
                            "property \"" + std::string(key) + "\" is not allowed"});
        } else {
          check(*additional, value, at("additionalProperties"), child, depth + 1, errors);
        }
      }
    }
  }

  auto flag = [&](std::string_view keyword) {
    auto it = s.find(keyword);
    if (it == s.end()) return false;
    if (!it->value().is_bool()) throw UnsupportedSchema(at(keyword) + " is not a boolean");
    return it->value().get_bool();
  };
  if (flag("writeOnly") && direction_ == Direction::response) {
    fail("writeOnly", "a writeOnly value must not appear in a response");
  }
  if (flag("readOnly") && direction_ == Direction::request) {
    fail("readOnly", "a readOnly value must not appear in a request");
  }
}

namespace {

// Reports what the validator would not understand in `schema` and its
// subschemas; with `followed`, $refs are audited too (each target once).
void audit_schema(const json::value& document, const json::value& schema, const std::string& where,
                  std::vector<std::string>& found, std::set<const json::value*>* followed) {
  if (schema.is_bool()) return;
  if (!schema.is_object()) {
    found.push_back(where + ": a schema must be an object or a boolean");
    return;
  }
  const auto& s = schema.get_object();
  for (const auto& [key, value] : s) {
    std::string at = where + "/" + pointer_token(key);
    if (!assertion_keywords.contains(std::string_view(key)) &&
        !annotation_keywords.contains(std::string_view(key))) {
      found.push_back(where + ": unknown keyword \"" + std::string(key) + "\"");
    } else if (key == "$ref") {
      try {
        if (!value.is_string()) throw UnsupportedSchema(at + " is not a string");
        const auto& target = resolve_ref(document, value.get_string());
        if (followed && followed->insert(&target).second) {
          audit_schema(document, target, std::string(value.get_string()), found, followed);
        }
      } catch (const UnsupportedSchema& error) {
        found.push_back(where + ": " + error.what());
      }
    } else if (key == "type") {
      std::vector<json::value> types;
      if (value.is_array()) {
        types.assign(value.get_array().begin(), value.get_array().end());
      } else {
        types.push_back(value);
      }
      for (const auto& type : types) {
        if (!type.is_string() || !known_types.contains(std::string_view(type.get_string()))) {
          found.push_back(at + ": unknown type " + json::serialize(type));
        }
      }
    } else if (key == "format") {
      if (!value.is_string() || !known_formats.contains(std::string_view(value.get_string()))) {
        found.push_back(at + ": unknown format " + json::serialize(value));
      }
    } else if (key == "pattern") {
      try {
        std::regex(std::string(value.as_string()), std::regex::ECMAScript);
      } catch (const std::exception&) {
        found.push_back(at + ": not an ECMAScript regular expression");
      }
    } else if (key == "items") {
      if (value.is_array()) {
        found.push_back(at + ": tuple items are not supported");
      } else {
        audit_schema(document, value, at, found, followed);
      }
    } else if (key == "additionalProperties") {
      audit_schema(document, value, at, found, followed);
    } else if (key == "properties") {
      if (!value.is_object()) {
        found.push_back(at + " is not an object");
        continue;
      }
      for (const auto& [name, property] : value.get_object()) {
        audit_schema(document, property, at + "/" + pointer_token(name), found, followed);
      }
    }
  }
}

// Walks the document for every "schema" (parameters, headers, media types)
// and every components/schemas entry, leaving example data alone.
void audit_walk(const json::value& document, const json::value& node, const std::string& where,
                std::vector<std::string>& found) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.get_array().size(); ++i) {
      audit_walk(document, node.get_array()[i], where + "/" + std::to_string(i), found);
    }
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [key, value] : node.get_object()) {
    std::string at = where + "/" + pointer_token(key);
    if (key == "example" || key == "examples") continue;
    if (key == "schema") {
      audit_schema(document, value, at, found, nullptr);
    } else if (key == "schemas" && where == "#/components") {
      if (!value.is_object()) {
        found.push_back(at + " is not an object");
        continue;
      }
      for (const auto& [name, schema] : value.get_object()) {
        audit_schema(document, schema, at + "/" + pointer_token(name), found, nullptr);
      }
    } else if (key == "$ref") {
      try {
        if (!value.is_string()) throw UnsupportedSchema(at + " is not a string");
        resolve_ref(document, value.get_string());
      } catch (const UnsupportedSchema& error) {
        found.push_back(where + ": " + error.what());
      }
    } else {
      audit_walk(document, value, at, found);
    }
  }
}

}  // namespace

std::vector<std::string> unsupported_in_document(const json::value& document) {
  std::vector<std::string> found;
  audit_walk(document, document, "#", found);
  return found;
}

ResponseLookup response_schema(const json::value& document, std::string_view method,
                               std::string_view path_template, int status,
                               std::string_view content_type) {
  ResponseLookup lookup;
  const auto& paths = as_object(document.at("paths"), "#/paths");
  auto path = paths.find(path_template);
  if (path == paths.end()) return lookup;
  std::string where = "#/paths/" + pointer_token(path_template);
  const auto& item = as_object(path->value(), where);
  if (item.contains("$ref")) throw UnsupportedSchema(where + ": path item $ref is not supported");
  std::string verb = lower(method);
  auto operation = item.find(verb);
  if (operation == item.end()) return lookup;
  where += "/" + verb;
  const auto& responses = as_object(as_object(operation->value(), where).at("responses"),
                                    where + "/responses");

  std::string exact = std::to_string(status);
  std::string range = exact.substr(0, 1) + "XX";
  const json::value* response = nullptr;
  for (const std::string& key : {exact, range, lower(range), std::string("default")}) {
    if (auto it = responses.find(key); it != responses.end()) {
      lookup.status_key = key;
      response = &it->value();
      break;
    }
  }
  if (!response) {
    lookup.outcome = ResponseLookup::Outcome::undocumented_status;
    return lookup;
  }
  lookup.location = where + "/responses/" + lookup.status_key;
  const auto& object = follow(document, *response, lookup.location);
  require_known_keys(object, {"description", "headers", "content"}, lookup.location);
  lookup.response = &object;

  if (auto headers = object.find("headers"); headers != object.end()) {
    for (const auto& [name, header] : as_object(headers->value(), lookup.location + "/headers")) {
      std::string header_at = lookup.location + "/headers/" + pointer_token(name);
      const auto& resolved = follow(document, header, header_at);
      require_known_keys(resolved,
                         {"description", "schema", "required", "deprecated", "example", "examples",
                          "style", "explode"},
                         header_at);
      bool required = true;
      if (auto flag = resolved.find("required"); flag != resolved.end()) {
        if (!flag->value().is_bool()) throw UnsupportedSchema(header_at + "/required is not a boolean");
        required = flag->value().get_bool();
      }
      lookup.headers.push_back({std::string(name), &resolved, required});
    }
  }

  auto content = object.find("content");
  if (content == object.end()) {
    lookup.outcome = ResponseLookup::Outcome::no_content;
    return lookup;
  }
  const auto& media_types = as_object(content->value(), lookup.location + "/content");
  std::string wanted = media_type(content_type);
  for (const auto& [type, ignored] : media_types) lookup.content_types.emplace_back(type);
  for (const auto& [type, media] : media_types) {
    if (media_type(type) != wanted) continue;
    std::string media_at = lookup.location + "/content/" + pointer_token(type);
    const auto& media_object = as_object(media, media_at);
    require_known_keys(media_object, {"schema", "example", "examples"}, media_at);
    auto schema = media_object.find("schema");
    if (schema == media_object.end()) throw UnsupportedSchema(media_at + " has no schema");
    lookup.outcome = ResponseLookup::Outcome::found;
    lookup.schema = &schema->value();
    lookup.schema_location = media_at + "/schema";
    return lookup;
  }
  lookup.outcome = ResponseLookup::Outcome::undocumented_content_type;
  return lookup;
}

std::string match_path_template(const json::value& document, std::string_view path) {
  auto have = segments(path);
  std::string best;
  int best_score = -1;
  for (const auto& [pattern, ignored] : document.at("paths").as_object()) {
    auto want = segments(pattern);
    if (want.size() != have.size()) continue;
    int score = 0;
    bool matches = true;
    for (std::size_t i = 0; i < want.size() && matches; ++i) {
      if (want[i].starts_with('{') && want[i].ends_with('}')) {
        matches = !have[i].empty();
      } else {
        matches = want[i] == have[i];
        ++score;
      }
    }
    if (matches && score > best_score) {
      best = std::string(pattern);
      best_score = score;
    }
  }
  return best;
}

json::value header_as_json(const json::value& schema, const std::string& value) {
  if (schema.is_object()) {
    if (auto type = schema.get_object().find("type");
        type != schema.get_object().end() && type->value().is_string() &&
        type->value().get_string() == "integer") {
      std::int64_t number = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (error == std::errc() && end == value.data() + value.size()) return number;
    }
  }
  return json::string(value);
}

}  // namespace shop::testing::openapi
