#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "adapters/http/client/http_client.hpp"
#include "application/payment/ports.hpp"

namespace shop::gateway {

struct HttpGatewaySettings {
  // The provider's base URL, http:// or https://, e.g.
  // https://pay.example.com/v1: charges go to {url}/charges, refunds to
  // {url}/refunds.
  std::string url;
  // Sent as `Authorization: Bearer <api_key>` when not empty.
  std::string api_key;
  // One deadline for a whole attempt: name lookup, connect, TLS handshake,
  // sending the request and reading the answer.
  std::chrono::milliseconds timeout{5000};
  // Attempts per call, counting the first; only attempts that provably sent
  // nothing (connection refused, name not found) are repeated.
  int max_attempts = 3;
};

// Refuses a URL that is not plain http(s) with std::invalid_argument, so
// that a typo fails at start rather than at the first order.
inline http::OutboundUrl parse_provider_url(const std::string& url) {
  return http::parse_outbound_url(url, "payment provider URL");
}

// A payment provider's REST endpoint (SPEC 2, Payment: gateway `http`).
// POSTs JSON with the idempotency key in the body and in the
// `Idempotency-Key` header; the provider answers
// {"status":"approved"|"declined","reference":...,"message":...}.
//
// Outcomes: 2xx approved or declined as the provider says; a 4xx refusal
// (other than 408, 409, 429) declined with its message; 5xx, 408, 429 or a
// connection that failed before the whole request was sent: failed (not
// charged); no answer once the request was sent (timeout, dropped
// connection), an unreadable answer, or 409 (the key is still in progress
// at the provider): unknown, reconciled by asking again with the same key.
//
// Thread-safe: each call has its own connection.
class HttpGateway final : public payment::PaymentGateway {
 public:
  // std::invalid_argument for a bad URL, a timeout below 1 ms or
  // max_attempts below 1.
  explicit HttpGateway(HttpGatewaySettings settings);
  ~HttpGateway() override;

  payment::GatewayReply charge(const std::string& idempotency_key, const Money& amount,
                               const std::string& token) override;
  payment::GatewayReply refund(const std::string& idempotency_key, const Money& amount,
                               const std::string& charge_reference) override;

 private:
  payment::GatewayReply post(const std::string& resource, const std::string& idempotency_key,
                             const std::string& body);

  HttpGatewaySettings settings_;
  std::unique_ptr<http::HttpClient> client_;
};

}  // namespace shop::gateway
