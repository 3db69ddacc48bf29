#include "adapters/http/client/module_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "domain/shared/failure.hpp"

namespace shop::http {

namespace json = boost::json;

namespace {

constexpr int retry_after_seconds = 2;

FailureKind kind_of(unsigned status) {
  switch (status) {
    case 400: return FailureKind::malformed;
    case 401: return FailureKind::unauthenticated;
    case 403: return FailureKind::forbidden;
    case 404: return FailureKind::not_found;
    case 409: return FailureKind::conflict;
    case 412: return FailureKind::stale_version;
    case 415: return FailureKind::unsupported_media_type;
    case 428: return FailureKind::precondition_required;
    case 429: return FailureKind::rate_limited;
    default: return FailureKind::invalid;
  }
}

std::string text_at(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : "";
}

}  // namespace

ModuleClient::ModuleClient(ModuleClientSettings settings, MonotonicClock& time, Log& log)
    : settings_(std::move(settings)),
      client_(parse_outbound_url(settings_.url, "modules." + settings_.module + "_url"),
              settings_.timeout),
      time_(time),
      log_(log),
      circuit_(settings_.module, time, log, settings_.circuit) {
  if (settings_.service_token.size() < 16 || has_control_char(settings_.service_token)) {
    throw std::invalid_argument(
        "modules.service_token must have at least 16 characters and no control characters");
  }
}

Failure ModuleClient::unavailable(const std::string& why) const {
  return Failure::retry_later(FailureKind::unavailable, settings_.module + "_unavailable",
                              "the " + settings_.module + " module cannot be reached: " + why,
                              retry_after_seconds);
}

json::value ModuleClient::call(const std::string& method, const std::string& path,
                               const json::value& body) {
  auto permit = circuit_.admit();
  if (permit == Circuit::Permit::refused) throw unavailable("circuit open");
  OutboundRequest request{method, path, {{"Shopbox-Service-Token", settings_.service_token}},
                          body.is_null() ? "" : json::serialize(body)};
  auto started = time_.now();
  auto exchange = client_.send(request);
  // A refusal is an answer: only silence and server errors count against it.
  circuit_.record(permit, !exchange.failed && exchange.status < 500, started);
  if (exchange.failed) throw unavailable(exchange.error);
  if (exchange.status >= 500) throw unavailable("HTTP " + std::to_string(exchange.status));

  json::error_code error;
  json::value answer = exchange.body.empty() ? json::value() : json::parse(exchange.body, error);
  if (error) throw unavailable("an unreadable answer (HTTP " + std::to_string(exchange.status) + ")");
  if (exchange.status < 300) return answer;

  const json::object empty;
  const json::object& problem = answer.is_object() ? answer.get_object() : empty;
  std::string code = text_at(problem, "code");
  // The router's own 404: a wrong service token, or a process that does
  // not run this module. A configuration error, never a missing record.
  if (exchange.status == 404 && (code.empty() || code == "not_found")) {
    log_.write(LogLevel::error, "a module's process refused an internal call",
               {{"module", settings_.module}, {"path", path}});
    throw unavailable("it refused the service token, or does not run the module at " +
                      settings_.url);
  }
  std::vector<FieldError> fields;
  if (const auto* errors = problem.if_contains("errors"); errors && errors->is_array()) {
    for (const auto& item : errors->get_array()) {
      if (item.is_object()) {
        fields.push_back({text_at(item.get_object(), "field"), text_at(item.get_object(), "message")});
      }
    }
  }
  throw Failure(kind_of(exchange.status), code.empty() ? "refused" : code,
                text_at(problem, "detail"), std::move(fields));
}

}  // namespace shop::http
