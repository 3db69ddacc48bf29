#include "adapters/http/client/module_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <stdexcept>

#include "domain/shared/failure.hpp"

namespace shop::http {

namespace json = boost::json;

namespace {

constexpr int retry_after_seconds = 2;

// The refusals the internal routes make, as the Failure each came from;
// any other status is not an answer of theirs (version skew, a proxy).
std::optional<FailureKind> kind_of(unsigned status) {
  switch (status) {
    case 400: return FailureKind::malformed;
    case 403: return FailureKind::forbidden;
    case 404: return FailureKind::not_found;
    case 409: return FailureKind::conflict;
    case 412: return FailureKind::stale_version;
    case 415: return FailureKind::unsupported_media_type;
    case 422: return FailureKind::invalid;
    case 428: return FailureKind::precondition_required;
    default: return std::nullopt;
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

// The caller's client sees no internal address or transport error: they
// go to the log.
Failure ModuleClient::unavailable(const std::string& path, const std::string& why) const {
  log_.write(LogLevel::warn, "a call to another module's process failed",
             {{"module", settings_.module}, {"path", path}, {"error", why}});
  return Failure::retry_later(FailureKind::unavailable, settings_.module + "_unavailable",
                              "the " + settings_.module + " module cannot be reached",
                              retry_after_seconds);
}

json::value ModuleClient::call(const std::string& method, const std::string& path,
                               const json::value& body) {
  auto permit = circuit_.admit();
  if (permit == Circuit::Permit::refused) {
    throw Failure::retry_later(FailureKind::unavailable, settings_.module + "_unavailable",
                               "the " + settings_.module + " module cannot be reached",
                               retry_after_seconds);
  }
  OutboundRequest request{method, path, {{"Shopbox-Service-Token", settings_.service_token}},
                          body.is_null() ? "" : json::serialize(body)};
  auto started = time_.now();
  OutboundExchange exchange;
  try {
    exchange = client_.send(request);
  } catch (...) {
    circuit_.record(permit, false, started);  // a probe left unrecorded would hold it half open
    throw;
  }
  bool answered = !exchange.failed &&
                  ((exchange.status >= 200 && exchange.status < 300) || kind_of(exchange.status));
  // A refusal is an answer: only silence and what is not one count against it.
  circuit_.record(permit, answered, started);
  if (exchange.failed) throw unavailable(path, exchange.error);
  if (!answered) throw unavailable(path, "HTTP " + std::to_string(exchange.status));

  json::error_code error;
  json::value answer = exchange.body.empty() ? json::value() : json::parse(exchange.body, error);
  if (error) throw unavailable(path, "an unreadable answer (HTTP " + std::to_string(exchange.status) + ")");
  if (exchange.status < 300) return answer;

  const json::object empty;
  const json::object& problem = answer.is_object() ? answer.get_object() : empty;
  std::string code = text_at(problem, "code");
  // The router's own 404: a wrong service token, or a process that does
  // not run this module. A configuration error, never a missing record.
  if (exchange.status == 404 && (code.empty() || code == "not_found")) {
    throw unavailable(path, "refused the service token, or does not run the module, at " +
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
  throw Failure(*kind_of(exchange.status), code.empty() ? "refused" : code,
                text_at(problem, "detail"), std::move(fields));
}

}  // namespace shop::http
