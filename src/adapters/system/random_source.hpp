#pragma once

#include <mutex>
#include <random>

#include "application/shared/random.hpp"

namespace shop::system {

// A generator seeded once from the operating system; good for jitter, not
// for secrets. Thread-safe.
class SystemRandom final : public RandomSource {
 public:
  double unit() override {
    std::lock_guard lock(mutex_);
    return distribution_(engine_);
  }

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_{std::random_device{}()};
  std::uniform_real_distribution<double> distribution_{0.0, 1.0};
};

}  // namespace shop::system
