#pragma once

#include <chrono>

#include "application/shared/monotonic_clock.hpp"

namespace shop::system {

class SteadyClock final : public MonotonicClock {
 public:
  std::chrono::nanoseconds now() const override {
    return std::chrono::steady_clock::now().time_since_epoch();
  }
};

}  // namespace shop::system
