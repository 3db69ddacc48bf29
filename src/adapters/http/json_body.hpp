#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.hpp"
#include "domain/shared/failure.hpp"
#include "domain/shared/money.hpp"

namespace shop::http {

// The request's body as a JSON object. Failure(malformed) when the content
// type is not JSON (as 415) or the body is not a JSON object.
boost::json::value parse_json_body(const Request& request);

// Reads the fields of a request object strictly: every problem (missing,
// mistyped, unknown field) is collected, and `finish` reports them all at
// once as one Failure(invalid) with an entry per field.
class FieldReader {
 public:
  FieldReader(const boost::json::value& value, std::string prefix = "");

  std::string required_string(std::string_view key);
  std::optional<std::string> optional_string(std::string_view key);
  std::int64_t required_integer(std::string_view key);
  std::optional<std::int64_t> optional_integer(std::string_view key);
  Money required_money(std::string_view key);
  // Reads a required object field with `read(FieldReader&)`; its fields are
  // named "key.field" and checked like this reader's own.
  template <class Read>
  void required_object(std::string_view key, Read&& read) {
    const auto* value = take(key, true);
    if (!value) return;
    FieldReader nested(*value, prefix_ + std::string(key) + ".");
    read(nested);
    absorb(nested);
  }
  // Reads each element of a required, non-empty array with
  // `read(FieldReader&)`; fields are named "key[i].field".
  template <class Read>
  void required_array(std::string_view key, Read&& read) {
    const auto* value = take(key, true);
    if (!value) return;
    if (!value->is_array() || value->get_array().empty()) {
      fail(key, "must be a non-empty array");
      return;
    }
    const auto& items = value->get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      FieldReader nested(items[i], prefix_ + std::string(key) + "[" + std::to_string(i) + "].");
      read(nested);
      absorb(nested);
    }
  }
  // Throws Failure(invalid) when any field was wrong, naming each.
  void finish();

 private:
  const boost::json::value* take(std::string_view key, bool required);
  std::optional<std::string> string_field(std::string_view key, bool required);
  std::optional<std::int64_t> integer_field(std::string_view key, bool required);
  void report_unknown();
  // Takes over a nested reader's errors, unknown fields included.
  void absorb(FieldReader& nested);
  void fail(std::string_view key, std::string message);

  const boost::json::object* object_ = nullptr;
  std::string prefix_;
  std::set<std::string, std::less<>> seen_;
  std::vector<FieldError> errors_;
};

}  // namespace shop::http
