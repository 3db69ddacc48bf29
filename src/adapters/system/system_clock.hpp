#pragma once

#include <chrono>

#include "application/shared/clock.hpp"

namespace shop::system {

class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

}  // namespace shop::system
