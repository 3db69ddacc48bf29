#include "application/payment/circuit_breaker.hpp"

namespace shop::payment {

CircuitBreaker::CircuitBreaker(PaymentGateway& inner, MonotonicClock& time, Log& log,
                               CircuitBreakerSettings settings)
    : inner_(inner), circuit_("payment", time, log, settings) {}

GatewayReply CircuitBreaker::charge(const std::string& idempotency_key, const Money& amount,
                                    const std::string& token) {
  return guarded([&] { return inner_.charge(idempotency_key, amount, token); });
}

GatewayReply CircuitBreaker::refund(const std::string& idempotency_key, const Money& amount,
                                    const std::string& charge_reference) {
  return guarded([&] { return inner_.refund(idempotency_key, amount, charge_reference); });
}

template <class Call>
GatewayReply CircuitBreaker::guarded(Call&& call) {
  return circuit_.guard(
      call,
      [](const GatewayReply& reply) {
        return reply.outcome == GatewayOutcome::approved ||
               reply.outcome == GatewayOutcome::declined;
      },
      [] { return GatewayReply{GatewayOutcome::failed, "", "circuit open"}; });
}

}  // namespace shop::payment
