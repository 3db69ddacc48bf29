#include "adapters/http/json_body.hpp"

#include <boost/json/parse.hpp>
#include <cmath>

namespace shop::http {

namespace {

bool is_json_content_type(std::string_view type) {
  auto semicolon = type.find(';');
  std::string_view media = type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lowered(media);
  for (auto& c : lowered) c = char(std::tolower(static_cast<unsigned char>(c)));
  return lowered == "application/json";
}

}  // namespace

boost::json::value parse_json_body(const Request& request) {
  auto type = request.header("content-type");
  if (!type || !is_json_content_type(*type)) {
    throw Failure(FailureKind::unsupported_media_type, "unsupported_media_type",
                  "the body must be application/json");
  }
  boost::system::error_code error;
  boost::json::parse_options options;
  options.max_depth = 16;
  boost::json::value value = boost::json::parse(request.body, error, {}, options);
  if (error) {
    throw Failure(FailureKind::malformed, "malformed_json",
                  "the body is not valid JSON: " + error.message());
  }
  if (!value.is_object()) {
    throw Failure(FailureKind::malformed, "malformed_json", "the body must be a JSON object");
  }
  return value;
}

FieldReader::FieldReader(const boost::json::value& value, std::string prefix)
    : prefix_(std::move(prefix)) {
  if (value.is_object()) {
    object_ = &value.get_object();
  } else {
    // The prefix ends in "." or "]."; the field itself is named without it.
    std::string field = prefix_.empty() ? "body" : prefix_.substr(0, prefix_.size() - 1);
    errors_.push_back({field, "must be an object"});
  }
}

void FieldReader::fail(std::string_view key, std::string message) {
  errors_.push_back({prefix_ + std::string(key), std::move(message)});
}

const boost::json::value* FieldReader::take(std::string_view key, bool required) {
  if (!object_) return nullptr;
  seen_.emplace(key);
  auto it = object_->find(key);
  if (it == object_->end() || (it->value().is_null() && !required)) {
    if (required) fail(key, "is required");
    return nullptr;
  }
  return &it->value();
}

std::optional<std::string> FieldReader::string_field(std::string_view key, bool required) {
  const auto* value = take(key, required);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    fail(key, "must be a string");
    return std::nullopt;
  }
  return std::string(value->get_string());
}

std::optional<std::int64_t> FieldReader::integer_field(std::string_view key, bool required) {
  const auto* value = take(key, required);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  // Larger than any int64 (Boost.JSON reads those as uint64 or double).
  if (value->is_uint64() || (value->is_double() && std::abs(value->get_double()) >= 9.2e18)) {
    fail(key, "is too large");
  } else {
    fail(key, "must be an integer");
  }
  return std::nullopt;
}

std::string FieldReader::required_string(std::string_view key) {
  return string_field(key, true).value_or("");
}

std::optional<std::string> FieldReader::optional_string(std::string_view key) {
  return string_field(key, false);
}

std::int64_t FieldReader::required_integer(std::string_view key) {
  return integer_field(key, true).value_or(0);
}

std::optional<std::int64_t> FieldReader::optional_integer(std::string_view key) {
  return integer_field(key, false);
}

Money FieldReader::required_money(std::string_view key) {
  Money result;
  required_object(key, [&](FieldReader& money) {
    result = Money{money.required_integer("amount"), money.required_string("currency")};
  });
  return result;
}

void FieldReader::absorb(FieldReader& nested) {
  nested.report_unknown();
  errors_.insert(errors_.end(), nested.errors_.begin(), nested.errors_.end());
}

void FieldReader::report_unknown() {
  if (!object_) return;
  for (const auto& [key, value] : *object_) {
    if (!seen_.contains(std::string_view(key))) fail(key, "is not a known field");
  }
}

void FieldReader::finish() {
  report_unknown();
  if (errors_.empty()) return;
  std::string detail = errors_.front().field + ": " + errors_.front().message;
  if (errors_.size() > 1) detail += " (and " + std::to_string(errors_.size() - 1) + " more)";
  throw Failure(FailureKind::invalid, "validation_failed", detail, errors_);
}

}  // namespace shop::http
