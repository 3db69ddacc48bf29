#pragma once

#include <cstdint>
#include <string>

#include "application/payment/ports.hpp"
#include "application/shared/circuit.hpp"
#include "application/shared/log.hpp"
#include "application/shared/monotonic_clock.hpp"

namespace shop::payment {

using CircuitBreakerSettings = CircuitSettings;
using CircuitState = shop::CircuitState;
using shop::to_string;

// Wraps a gateway so that a provider in trouble is not waited on by every
// request: once it keeps failing (failed or unknown replies, exceptions,
// slow calls), callers get `failed` ("circuit open") immediately, which is
// safe because nothing was sent. Thread-safe; the inner call runs outside
// the lock.
class CircuitBreaker final : public PaymentGateway {
 public:
  // std::invalid_argument when failure_threshold < 1.
  CircuitBreaker(PaymentGateway& inner, MonotonicClock& time, Log& log,
                 CircuitBreakerSettings settings = {});

  GatewayReply charge(const std::string& idempotency_key, const Money& amount,
                      const std::string& token) override;
  GatewayReply refund(const std::string& idempotency_key, const Money& amount,
                      const std::string& charge_reference) override;

  CircuitState state() const { return circuit_.state(); }
  // State changes since start, for metrics.
  std::uint64_t transitions() const { return circuit_.transitions(); }

 private:
  template <class Call>
  GatewayReply guarded(Call&& call);

  PaymentGateway& inner_;
  Circuit circuit_;
};

}  // namespace shop::payment
