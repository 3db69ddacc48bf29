#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "application/shared/log.hpp"
#include "application/shared/monotonic_clock.hpp"

namespace shop {

struct CircuitSettings {
  // Failures (unusable answers, exceptions, slow calls) within `window`
  // that open the circuit.
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

// The state machine of a circuit breaker around calls to one dependency, so
// that a dependency in trouble is not waited on by every request. The
// caller asks admit() before a call and reports it with record().
// Thread-safe.
class Circuit {
 public:
  enum class Permit { refused, call, probe };

  // std::invalid_argument when failure_threshold < 1. `name` is logged with
  // each change of state ("payment", "stock", ...).
  Circuit(std::string name, MonotonicClock& time, Log& log, CircuitSettings settings = {});

  Permit admit();
  // `started` is time().now() taken before the call: a slow call is unhealthy.
  void record(Permit permit, bool answered, std::chrono::nanoseconds started);
  // A guarded call: refused (returns `refused()`) while open, recorded as
  // healthy when `usable(result)` and not slow, as a failure when it throws.
  template <class Call, class Usable, class Refused>
  auto guard(Call&& call, Usable&& usable, Refused&& refused) {
    Permit permit = admit();
    if (permit == Permit::refused) return refused();
    auto started = time_.now();
    try {
      auto result = call();
      record(permit, usable(result), started);
      return result;
    } catch (...) {
      record(permit, false, started);
      throw;
    }
  }

  CircuitState state() const;
  // State changes since start, for metrics.
  std::uint64_t transitions() const;

 private:
  // Under the lock.
  void move_to(CircuitState next, std::chrono::nanoseconds now);

  std::string name_;
  MonotonicClock& time_;
  Log& log_;
  CircuitSettings settings_;

  mutable std::mutex mutex_;
  CircuitState state_ = CircuitState::closed;
  std::deque<std::chrono::nanoseconds> failures_;  // within the window, oldest first
  std::chrono::nanoseconds opened_at_{};
  std::uint64_t transitions_ = 0;
};

}  // namespace shop
