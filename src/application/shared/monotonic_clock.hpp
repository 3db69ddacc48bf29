#pragma once

#include <chrono>

namespace shop {

// Elapsed time for measuring durations (timeouts, slow calls, windows),
// where the wall clock's jumps would lie. Tests pass one they advance.
class MonotonicClock {
 public:
  virtual ~MonotonicClock() = default;
  // Time since an arbitrary fixed origin; never goes backwards.
  virtual std::chrono::nanoseconds now() const = 0;
};

}  // namespace shop
