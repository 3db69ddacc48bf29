#pragma once

#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// A small, strict JSON Schema validator for exactly the subset of JSON Schema
// 2020-12 that shopbox's OpenAPI document uses, and the look-ups a test needs
// to find the schema of a documented response. Anything it does not know (a
// keyword, a format, a $ref outside the document, a response field) throws
// UnsupportedSchema instead of passing silently, so that a test built on it
// cannot go green by ignoring part of the document.
namespace shop::testing::openapi {

// The document uses something this validator does not implement.
class UnsupportedSchema : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SchemaError {
  std::string instance;  // JSON pointer into the validated value, "" for the root
  std::string schema;    // where the failing keyword is, e.g. "#/components/schemas/Order/required"
  std::string message;

  std::string describe() const;
};

// Encodes one JSON pointer reference token ("~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view token);

// The value a local reference ("#/components/schemas/Order") names; throws
// UnsupportedSchema for a reference outside the document or to nothing.
const boost::json::value& resolve_ref(const boost::json::value& document, std::string_view ref);

enum class Direction { request, response };

class Validator {
 public:
  // `document` is the whole OpenAPI document, kept by reference, that $refs
  // resolve against.
  explicit Validator(const boost::json::value& document, Direction direction = Direction::response)
      : document_(document), direction_(direction) {}

  // Validates `instance` against `schema`; `schema_location` names the
  // schema in error messages. Throws UnsupportedSchema as described above.
  std::vector<SchemaError> validate(const boost::json::value& schema,
                                    const boost::json::value& instance,
                                    const std::string& schema_location = "#") const;

 private:
  void check(const boost::json::value& schema, const boost::json::value& instance,
             const std::string& schema_at, const std::string& instance_at, int depth,
             std::vector<SchemaError>& errors) const;

  const boost::json::value& document_;
  Direction direction_;
};

// Every schema in the document (components, parameters, headers, request
// and response bodies), walked without an instance: the keywords, formats,
// types and $refs this validator would not understand, one line each.
std::vector<std::string> unsupported_in_document(const boost::json::value& document);

// A documented response header: its name, its header object ($ref resolved)
// and whether a response must carry it.
struct DocumentedHeader {
  std::string name;
  const boost::json::object* header = nullptr;
  bool required = true;
};

// What the document says about one response of one operation.
struct ResponseLookup {
  enum class Outcome {
    found,                       // `schema` is the schema for the content type
    no_content,                  // the response documents no body at all
    undocumented_operation,      // no such path template or method
    undocumented_status,         // the operation does not list the status
    undocumented_content_type,   // the status is listed, not with this content type
  };
  Outcome outcome = Outcome::undocumented_operation;
  std::string status_key;         // "201", "4XX" or "default" as the document spells it
  std::string location;           // "#/paths/~1api~1v1~1orders/post/responses/201" (refs resolved)
  const boost::json::object* response = nullptr;
  const boost::json::value* schema = nullptr;
  std::string schema_location;    // for error messages
  std::vector<DocumentedHeader> headers;
  std::vector<std::string> content_types;  // those the status documents
};

// The response schema for `status` and `content_type` (parameters such as
// "; charset=utf-8" are ignored) of the operation `method` `path_template`,
// resolving #/components/responses/... and #/components/headers/... refs.
ResponseLookup response_schema(const boost::json::value& document, std::string_view method,
                               std::string_view path_template, int status,
                               std::string_view content_type);

// The documented path template a concrete path matches, preferring literal
// segments ("/users/me" over "/users/{id}"); "" when none does.
std::string match_path_template(const boost::json::value& document, std::string_view path);

// A header value as the JSON value its schema describes: an integer for
// {"type":"integer"}, otherwise the string itself (or the string when it is
// no integer, so that validation reports it).
boost::json::value header_as_json(const boost::json::value& schema, const std::string& value);

}  // namespace shop::testing::openapi
