#include "application/shared/circuit.hpp"

#include <stdexcept>

namespace shop {

const char* to_string(CircuitState state) {
  static const char* const names[] = {"closed", "open", "half_open"};
  return names[static_cast<int>(state)];
}

Circuit::Circuit(std::string name, MonotonicClock& time, Log& log, CircuitSettings settings)
    : name_(std::move(name)), time_(time), log_(log), settings_(settings) {
  if (settings_.failure_threshold < 1) {
    throw std::invalid_argument("circuit breaker failure_threshold must be at least 1");
  }
}

CircuitState Circuit::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::uint64_t Circuit::transitions() const {
  std::lock_guard lock(mutex_);
  return transitions_;
}

Circuit::Permit Circuit::admit() {
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

void Circuit::record(Permit permit, bool answered, std::chrono::nanoseconds started) {
  std::lock_guard lock(mutex_);
  auto now = time_.now();
  bool healthy = answered && now - started <= settings_.slow_call_threshold;
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

void Circuit::move_to(CircuitState next, std::chrono::nanoseconds now) {
  CircuitState previous = state_;
  auto failures = static_cast<std::int64_t>(failures_.size());
  state_ = next;
  ++transitions_;
  if (next == CircuitState::open) opened_at_ = now;
  // Each episode starts counting afresh.
  if (next != CircuitState::half_open) failures_.clear();
  log_.write(next == CircuitState::closed ? LogLevel::info : LogLevel::warn,
             name_ + " circuit breaker changed state",
             {{"from", to_string(previous)}, {"to", to_string(next)}, {"failures", failures}});
}

}  // namespace shop
