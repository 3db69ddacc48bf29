#include "adapters/http/payment/http_gateway.hpp"

#include <boost/json.hpp>
#include <stdexcept>
#include <thread>
#include <utility>

namespace shop::gateway {

namespace json = boost::json;
using payment::GatewayOutcome;
using payment::GatewayReply;

namespace {

// First wait before repeating an attempt that sent nothing; doubled each time.
constexpr std::chrono::milliseconds retry_backoff{100};

json::object object_of(const std::string& body) {
  boost::system::error_code error;
  auto value = json::parse(body, error);
  if (error || !value.is_object()) return {};
  return value.as_object();
}

std::string text_of(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

GatewayReply answer_of(unsigned status, const std::string& body) {
  auto answer = object_of(body);
  std::string message = text_of(answer, "message");
  std::string code = "HTTP " + std::to_string(status);
  if (status >= 200 && status < 300) {
    std::string decision = text_of(answer, "status");
    std::string reference = text_of(answer, "reference");
    // An approval is only usable with the reference a refund must name.
    if (decision == "approved" && !reference.empty()) {
      return {GatewayOutcome::approved, reference, message};
    }
    if (decision == "declined") {
      return {GatewayOutcome::declined, reference,
              message.empty() ? "declined by the provider" : message};
    }
    // Charged or not, the answer does not say: ask again with the same key.
    return {GatewayOutcome::unknown, "", "unreadable answer from the provider (" + code + ")"};
  }
  std::string reason = message.empty() ? code : code + ": " + message;
  // Another request with this key is still being processed: it may charge.
  if (status == 409) return {GatewayOutcome::unknown, "", reason};
  if (status == 408 || status == 429 || status >= 500) return {GatewayOutcome::failed, "", reason};
  // Any other refusal is the provider's final word on this request.
  if (status >= 400) {
    return {GatewayOutcome::declined, "",
            message.empty() ? "refused by the provider (" + code + ")" : message};
  }
  return {GatewayOutcome::unknown, "", "unexpected answer from the provider (" + code + ")"};
}

GatewayReply reply_of(const http::OutboundExchange& exchange, int attempts) {
  if (!exchange.failed) return answer_of(exchange.status, exchange.body);
  const std::string& why = exchange.error;
  if (exchange.sent) return {GatewayOutcome::unknown, "", "no answer from the provider: " + why};
  std::string tries = attempts == 1 ? "1 attempt" : std::to_string(attempts) + " attempts";
  return {GatewayOutcome::failed, "", "provider unreachable (" + tries + "): " + why};
}

json::object amount_of(const Money& amount) {
  return {{"amount", amount.amount}, {"currency", amount.currency}};
}

}  // namespace

HttpGateway::HttpGateway(HttpGatewaySettings settings) : settings_(std::move(settings)) {
  if (settings_.timeout < std::chrono::milliseconds(1)) {
    throw std::invalid_argument("payment provider timeout must be at least 1 ms");
  }
  if (settings_.max_attempts < 1) {
    throw std::invalid_argument("payment provider max_attempts must be at least 1");
  }
  // It goes into a header line: a line break would forge other headers.
  if (http::has_control_char(settings_.api_key)) {
    throw std::invalid_argument("payment provider API key must not contain control characters");
  }
  client_ = std::make_unique<http::HttpClient>(parse_provider_url(settings_.url), settings_.timeout);
}

HttpGateway::~HttpGateway() = default;

GatewayReply HttpGateway::charge(const std::string& idempotency_key, const Money& amount,
                                 const std::string& token) {
  json::object body{{"idempotency_key", idempotency_key},
                    {"amount", amount_of(amount)},
                    {"token", token}};
  return post("/charges", idempotency_key, json::serialize(body));
}

GatewayReply HttpGateway::refund(const std::string& idempotency_key, const Money& amount,
                                 const std::string& charge_reference) {
  json::object body{{"idempotency_key", idempotency_key},
                    {"amount", amount_of(amount)},
                    {"charge_reference", charge_reference}};
  return post("/refunds", idempotency_key, json::serialize(body));
}

GatewayReply HttpGateway::post(const std::string& resource, const std::string& idempotency_key,
                               const std::string& body) {
  http::OutboundRequest request{"POST", resource, {{"Idempotency-Key", idempotency_key}}, body};
  if (!settings_.api_key.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + settings_.api_key);
  }

  auto wait = retry_backoff;
  for (int attempt = 1;; ++attempt) {
    auto exchange = client_->send(request);
    // Only an attempt that provably sent nothing is repeated: one that was
    // sent may have charged (unknown, reconciled later), and one that ran
    // out of time already made its caller wait the whole timeout.
    bool repeat = exchange.failed && !exchange.sent && !exchange.timed_out &&
                  attempt < settings_.max_attempts;
    if (!repeat) return reply_of(exchange, attempt);
    std::this_thread::sleep_for(wait);
    wait *= 2;
  }
}

}  // namespace shop::gateway
