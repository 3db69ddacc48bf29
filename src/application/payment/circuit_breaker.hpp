#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "application/payment/ports.hpp"
#include "application/shared/log.hpp"
#include "application/shared/monotonic_clock.hpp"

namespace shop::payment {

struct CircuitBreakerSettings {
  // Failures (failed or unknown replies, exceptions, slow calls) within
  // `window` that open the circuit.
  int failure_threshold = 5;
  std::chrono::milliseconds window{60'000};
  // A call slower than this counts as a failure even when it answered.
  std::chrono::milliseconds slow_call_threshold{5'000};
  // How long an open circuit refuses calls before one probe is let through.
  std::chrono::milliseconds open_duration{30'000};
};

// closed: calls go through. open: refused at once. half_open: one probe is
// out; every other call is refused until it answers.
enum class CircuitState { closed, open, half_open };
const char* to_string(CircuitState state);

// Wraps a gateway so that a provider in trouble is not waited on by every
// request: once it keeps failing, callers get `failed` ("circuit open")
// immediately, which is safe because nothing was sent. Thread-safe; the
// inner call runs outside the lock.
class CircuitBreaker final : public PaymentGateway {
 public:
  // std::invalid_argument when failure_threshold < 1.
  CircuitBreaker(PaymentGateway& inner, MonotonicClock& time, Log& log,
                 CircuitBreakerSettings settings = {});

  GatewayReply charge(const std::string& idempotency_key, const Money& amount,
                      const std::string& token) override;
  GatewayReply refund(const std::string& idempotency_key, const Money& amount,
                      const std::string& charge_reference) override;

  CircuitState state() const;
  // State changes since start, for metrics.
  std::uint64_t transitions() const;

 private:
  enum class Permit { refused, call, probe };

  template <class Call>
  GatewayReply guarded(Call&& call);
  Permit admit();
  void record(Permit permit, bool healthy);
  // Under the lock.
  void move_to(CircuitState next, std::chrono::nanoseconds now);

  PaymentGateway& inner_;
  MonotonicClock& time_;
  Log& log_;
  CircuitBreakerSettings settings_;

  mutable std::mutex mutex_;
  CircuitState state_ = CircuitState::closed;
  std::deque<std::chrono::nanoseconds> failures_;  // within the window, oldest first
  std::chrono::nanoseconds opened_at_{};
  std::uint64_t transitions_ = 0;
};

}  // namespace shop::payment
