#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "support/openapi_schema.hpp"

namespace openapi = shop::testing::openapi;
using openapi::SchemaError;
using openapi::UnsupportedSchema;
using openapi::Validator;

namespace {

// A miniature OpenAPI document with every construct the validator knows.
const boost::json::value document = boost::json::parse(R"json({
  "openapi": "3.1.0",
  "paths": {
    "/things": {
      "post": {
        "responses": {
          "201": {
            "description": "made",
            "headers": {"Location": {"$ref": "#/components/headers/Location"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
          },
          "204": {"description": "nothing"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/things/{id}": {"get": {"responses": {"200": {"description": "x"}}}},
    "/things/mine": {"get": {"responses": {"200": {"description": "x"}}}}
  },
  "components": {
    "headers": {"Location": {"description": "where", "schema": {"type": "string", "format": "uri-reference"}}},
    "responses": {
      "NotFound": {
        "description": "gone",
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      }
    },
    "schemas": {
      "Problem": {"type": "object", "required": ["status"], "properties": {"status": {"type": "integer"}}},
      "Status": {"enum": ["NEW", "DONE"]},
      "Thing": {
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "status", "at"],
        "properties": {
          "id": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^t-", "description": "x"},
          "status": {"$ref": "#/components/schemas/Status"},
          "at": {"type": "string", "format": "date-time"},
          "note": {"type": ["string", "null"]},
          "count": {"type": "integer", "minimum": 1, "maximum": 3},
          "tags": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}},
          "kind": {"const": "thing"},
          "email": {"type": "string", "format": "email"},
          "secret": {"type": "string", "writeOnly": true},
          "extra": {"type": "object", "additionalProperties": {"enum": ["pass", "fail"]}}
        }
      },
      "Things": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
    }
  }
})json");

const boost::json::value& thing_schema() { return document.at("components").at("schemas").at("Thing"); }

boost::json::object valid_thing() {
  return boost::json::parse(R"({"id":"t-1","status":"NEW","at":"2027-01-15T08:00:00.000Z",
                                "note":null,"count":2,"tags":["a"],"kind":"thing",
                                "email":"a@shop.kr","extra":{"db":"pass"}})")
      .as_object();
}

std::vector<SchemaError> errors_for(const boost::json::value& instance) {
  return Validator(document).validate(thing_schema(), instance, "#/components/schemas/Thing");
}

// The single error an instance must cause, at `instance` and `keyword`.
void check_one_error(const boost::json::value& instance, const std::string& pointer,
                     const std::string& keyword) {
  auto errors = errors_for(instance);
  std::string described;
  for (const auto& error : errors) described += "\n  " + error.describe();
  INFO(boost::json::serialize(instance) << described);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].instance == pointer);
  CHECK(errors[0].schema.ends_with("/" + keyword));
}

bool valid_date_time(const std::string& text) {
  auto schema = boost::json::parse(R"({"type":"string","format":"date-time"})");
  return Validator(document).validate(schema, boost::json::string(text)).empty();
}

}  // namespace

TEST_CASE("the schema validator accepts a value that matches") {
  auto errors = errors_for(valid_thing());
  for (const auto& error : errors) FAIL_CHECK(error.describe());
  auto note = valid_thing();
  note["note"] = "a string is fine too";
  note["count"] = 3.0;  // an integer written as a float is still an integer
  CHECK(errors_for(note).empty());
}

TEST_CASE("the schema validator rejects each kind of mismatch, with a JSON pointer") {
  SUBCASE("a wrong type") {
    auto thing = valid_thing();
    thing["id"] = 7;
    check_one_error(thing, "/id", "type");
    thing = valid_thing();
    thing["note"] = false;  // neither string nor null
    check_one_error(thing, "/note", "type");
    thing = valid_thing();
    thing["count"] = 1.5;
    check_one_error(thing, "/count", "type");
    check_one_error(boost::json::array{}, "", "type");
  }
  SUBCASE("a missing required field") {
    auto thing = valid_thing();
    thing.erase("status");
    check_one_error(thing, "", "required");
  }
  SUBCASE("an unknown property under additionalProperties false") {
    auto thing = valid_thing();
    thing["colour"] = "red";
    check_one_error(thing, "/colour", "additionalProperties");
  }
  SUBCASE("a bad enum, through a $ref") {
    auto thing = valid_thing();
    thing["status"] = "LOST";
    auto errors = errors_for(thing);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].instance == "/status");
    CHECK(errors[0].schema == "#/components/schemas/Status/enum");
  }
  SUBCASE("a bad date-time") {
    auto thing = valid_thing();
    thing["at"] = "2027-02-29T08:00:00Z";
    check_one_error(thing, "/at", "format");
  }
  SUBCASE("a bad const, range, length, pattern, size or email") {
    auto with = [](const char* key, boost::json::value value) {
      auto thing = valid_thing();
      thing[key] = std::move(value);
      return thing;
    };
    check_one_error(with("kind", "other"), "/kind", "const");
    check_one_error(with("count", 0), "/count", "minimum");
    check_one_error(with("count", 4), "/count", "maximum");
    check_one_error(with("id", "t-12345"), "/id", "maxLength");
    check_one_error(with("id", "x-1"), "/id", "pattern");
    check_one_error(with("tags", boost::json::array{}), "/tags", "minItems");
    check_one_error(with("tags", boost::json::array{"a", "b", "c"}), "/tags", "maxItems");
    check_one_error(with("tags", boost::json::array{"a", 1}), "/tags/1", "type");
    check_one_error(with("email", "not an email"), "/email", "format");
    check_one_error(with("extra", boost::json::object{{"db", "maybe"}}), "/extra/db", "enum");
    check_one_error(with("secret", "hunter2"), "/secret", "writeOnly");
  }
  SUBCASE("errors inside arrays name the item") {
    auto bad = valid_thing();
    bad["status"] = "LOST";
    auto errors = Validator(document).validate(document.at("components").at("schemas").at("Things"),
                                               boost::json::array{valid_thing(), bad});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].instance == "/1/status");
  }
  SUBCASE("every error is reported, not just the first") {
    auto thing = valid_thing();
    thing["id"] = 1;
    thing["status"] = "LOST";
    thing.erase("at");
    CHECK(errors_for(thing).size() == 3);
  }
}

TEST_CASE("date-time is checked as RFC 3339") {
  CHECK(valid_date_time("2027-01-15T08:00:00Z"));
  CHECK(valid_date_time("2027-01-15T08:00:00.123Z"));
  CHECK(valid_date_time("2024-02-29T23:59:59.5+09:00"));
  CHECK(valid_date_time("1985-04-12t23:20:50.52z"));
  CHECK(valid_date_time("1998-12-31T23:59:60Z"));
  CHECK(valid_date_time("1998-12-31T15:59:60-08:00"));
  CHECK_FALSE(valid_date_time("2027-01-15"));
  CHECK_FALSE(valid_date_time("2027-01-15 08:00:00Z"));
  CHECK_FALSE(valid_date_time("2027-01-15T08:00:00"));
  CHECK_FALSE(valid_date_time("2027-01-15T08:00Z"));
  CHECK_FALSE(valid_date_time("2027-13-01T08:00:00Z"));
  CHECK_FALSE(valid_date_time("2027-04-31T08:00:00Z"));
  CHECK_FALSE(valid_date_time("2100-02-29T08:00:00Z"));
  CHECK_FALSE(valid_date_time("2027-01-15T24:00:00Z"));
  CHECK_FALSE(valid_date_time("2027-01-15T08:60:00Z"));
  CHECK_FALSE(valid_date_time("2027-01-15T08:00:60Z"));  // not a leap second
  CHECK_FALSE(valid_date_time("2027-01-15T08:00:00.Z"));
  CHECK_FALSE(valid_date_time("2027-01-15T08:00:00+0900"));
  CHECK_FALSE(valid_date_time("2027-01-15T08:00:00+24:00"));
  CHECK_FALSE(valid_date_time("2027-01-15T08:00:00Z "));
  CHECK_FALSE(valid_date_time("1800000000000"));
}

TEST_CASE("the schema validator fails loudly on what it does not know") {
  Validator validator(document);
  auto schema = [](const char* text) { return boost::json::parse(text); };
  boost::json::value anything = boost::json::parse(R"({"a":1})");
  CHECK_THROWS_AS(validator.validate(schema(R"({"oneOf":[{"type":"object"}]})"), anything), UnsupportedSchema);
  CHECK_THROWS_AS(validator.validate(schema(R"({"patternProperties":{"^a":{}}})"), anything), UnsupportedSchema);
  CHECK_THROWS_AS(validator.validate(schema(R"({"type":"string","format":"ipv4"})"), "1.2.3.4"), UnsupportedSchema);
  CHECK_THROWS_AS(validator.validate(schema(R"({"type":"decimal"})"), anything), UnsupportedSchema);
  CHECK_THROWS_AS(validator.validate(schema(R"({"$ref":"other.json#/Thing"})"), anything), UnsupportedSchema);
  CHECK_THROWS_AS(validator.validate(schema(R"({"$ref":"#/components/schemas/Nothing"})"), anything), UnsupportedSchema);
  CHECK_THROWS_AS(validator.validate(schema(R"({"items":[{"type":"string"}]})"), boost::json::array{"a"}), UnsupportedSchema);
  // Deep inside, and even where the instance has nothing to check.
  CHECK_THROWS_AS(validator.validate(schema(R"({"properties":{"b":{"unevaluatedProperties":false}}})"),
                                     boost::json::parse(R"({"b":{}})")),
                  UnsupportedSchema);
  CHECK_THROWS_AS(validator.validate(schema(R"({"properties":{"b":{"nullable":true}}})"), anything),
                  UnsupportedSchema);

  auto audited = boost::json::parse(R"({
    "paths": {"/x": {"get": {"responses": {"200": {"description": "x",
      "content": {"application/json": {"schema": {"type": "object", "properties": {"a": {"anyOf": []}}}}}}}}}},
    "components": {"schemas": {"A": {"type": "string", "format": "hostname"}, "B": {"$ref": "#/nowhere"}}}
  })");
  auto unsupported = openapi::unsupported_in_document(audited);
  REQUIRE(unsupported.size() == 3);
  CHECK(openapi::unsupported_in_document(document).empty());
}

TEST_CASE("response_schema finds the documented schema of a response") {
  using Outcome = openapi::ResponseLookup::Outcome;
  auto created = openapi::response_schema(document, "POST", "/things", 201, "application/json; charset=utf-8");
  REQUIRE(created.outcome == Outcome::found);
  CHECK(created.schema_location == "#/paths/~1things/post/responses/201/content/application~1json/schema");
  CHECK(created.schema->at("$ref").as_string() == "#/components/schemas/Thing");
  REQUIRE(created.headers.size() == 1);
  CHECK(created.headers[0].name == "Location");
  CHECK(created.headers[0].required);
  CHECK(created.headers[0].header->contains("schema"));  // the $ref is resolved

  auto missing = openapi::response_schema(document, "post", "/things", 404, "application/problem+json");
  REQUIRE(missing.outcome == Outcome::found);
  CHECK(missing.location == "#/components/responses/NotFound");
  CHECK(missing.schema->at("$ref").as_string() == "#/components/schemas/Problem");

  CHECK(openapi::response_schema(document, "POST", "/things", 204, "").outcome == Outcome::no_content);
  CHECK(openapi::response_schema(document, "POST", "/things", 500, "application/json").outcome ==
        Outcome::undocumented_status);
  CHECK(openapi::response_schema(document, "POST", "/things", 404, "application/json").outcome ==
        Outcome::undocumented_content_type);
  CHECK(openapi::response_schema(document, "DELETE", "/things", 200, "").outcome ==
        Outcome::undocumented_operation);
  CHECK(openapi::response_schema(document, "GET", "/nowhere", 200, "").outcome ==
        Outcome::undocumented_operation);
}

TEST_CASE("concrete paths map to the most specific documented template") {
  CHECK(openapi::match_path_template(document, "/things/mine") == "/things/mine");
  CHECK(openapi::match_path_template(document, "/things/t-1") == "/things/{id}");
  CHECK(openapi::match_path_template(document, "/things") == "/things");
  CHECK(openapi::match_path_template(document, "/things/") == "");
  CHECK(openapi::match_path_template(document, "/other") == "");
}

TEST_CASE("header values are validated as their schema's type") {
  auto integer = boost::json::parse(R"({"type":"integer","minimum":0})");
  Validator validator(document);
  CHECK(validator.validate(integer, openapi::header_as_json(integer, "5")).empty());
  CHECK(validator.validate(integer, openapi::header_as_json(integer, "-1")).size() == 1);
  CHECK(validator.validate(integer, openapi::header_as_json(integer, "soon")).size() == 1);
  auto location = boost::json::parse(R"({"type":"string","format":"uri-reference"})");
  CHECK(validator.validate(location, openapi::header_as_json(location, "/api/v1/orders/id-1")).empty());
  CHECK(validator.validate(location, openapi::header_as_json(location, "/api/v1/orders/a b")).size() == 1);
}
