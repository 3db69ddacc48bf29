#include "application/payment/circuit_breaker.hpp"

#include <cstdint>
#include <stdexcept>

namespace shop::payment {

const char* to_string(CircuitState state) {
  static const char* const names[] = {"closed", "open", "half_open"};
  return names[static_cast<int>(state)];
}

CircuitBreaker::CircuitBreaker(PaymentGateway& inner, MonotonicClock& time, Log& log,
                               CircuitBreakerSettings settings)
    : inner_(inner), time_(time), log_(log), settings_(settings) {
  if (settings_.failure_threshold < 1) {
    throw std::invalid_argument("circuit breaker failure_threshold must be at least 1");
  }
}

GatewayReply CircuitBreaker::charge(const std::string& idempotency_key, const Money& amount,
                                    const std::string& token) {
  return guarded([&] { return inner_.charge(idempotency_key, amount, token); });
}

GatewayReply CircuitBreaker::refund(const std::string& idempotency_key, const Money& amount,
                                    const std::string& charge_reference) {
  return guarded([&] { return inner_.refund(idempotency_key, amount, charge_reference); });
}

CircuitState CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::uint64_t CircuitBreaker::transitions() const {
  std::lock_guard lock(mutex_);
  return transitions_;
}

template <class Call>
GatewayReply CircuitBreaker::guarded(Call&& call) {
  Permit permit = admit();
  if (permit == Permit::refused) return {GatewayOutcome::failed, "", "circuit open"};
  auto started = time_.now();
  try {
    GatewayReply reply = call();
    bool answered =
        reply.outcome == GatewayOutcome::approved || reply.outcome == GatewayOutcome::declined;
    record(permit, answered && time_.now() - started <= settings_.slow_call_threshold);
    return reply;
  } catch (...) {
    record(permit, false);
    throw;
  }
}

CircuitBreaker::Permit CircuitBreaker::admit() {
  std::lock_guard lock(mutex_);
  switch (state_) {
    case CircuitState::closed: return Permit::call;
    case CircuitState::half_open: return Permit::refused;
    case CircuitState::open: {
      auto now = time_.now();
      if (now - opened_at_ < settings_.open_duration) return Permit::refused;
      move_to(CircuitState::half_open, now);
      return Permit::probe;
    }
  }
  return Permit::refused;
}

void CircuitBreaker::record(Permit permit, bool healthy) {
  std::lock_guard lock(mutex_);
  auto now = time_.now();
  if (permit == Permit::probe) {
    move_to(healthy ? CircuitState::closed : CircuitState::open, now);
    return;
  }
  // A call let through before the circuit opened, answering late: the
  // circuit already acted on the failures that opened it.
  if (state_ != CircuitState::closed || healthy) return;
  failures_.push_back(now);
  while (now - failures_.front() > settings_.window) failures_.pop_front();
  if (static_cast<int>(failures_.size()) >= settings_.failure_threshold) {
    move_to(CircuitState::open, now);
  }
}

void CircuitBreaker::move_to(CircuitState next, std::chrono::nanoseconds now) {
  CircuitState previous = state_;
  auto failures = static_cast<std::int64_t>(failures_.size());
  state_ = next;
  ++transitions_;
  if (next == CircuitState::open) opened_at_ = now;
  // Each episode starts counting afresh.
  if (next != CircuitState::half_open) failures_.clear();
  log_.write(next == CircuitState::closed ? LogLevel::info : LogLevel::warn,
             "payment circuit breaker changed state",
             {{"from", to_string(previous)}, {"to", to_string(next)}, {"failures", failures}});
}

}  // namespace shop::payment
