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
  // Throws Failure(invalid) when any field was wrong, naming each.
  void finish();

 private:
  const boost::json::value* take(std::string_view key, bool required);
  std::optional<std::string> string_field(std::string_view key, bool required);
  std::optional<std::int64_t> integer_field(std::string_view key, bool required);
  void report_unknown();
  void fail(std::string_view key, std::string message);

  const boost::json::object* object_ = nullptr;
  std::string prefix_;
  std::set<std::string, std::less<>> seen_;
  std::vector<FieldError> errors_;
};

}  // namespace shop::http
