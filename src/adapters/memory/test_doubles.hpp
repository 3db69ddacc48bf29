#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>

#include "application/shared/clock.hpp"
#include "application/shared/id_generator.hpp"
#include "application/shared/log.hpp"
#include "application/shared/monotonic_clock.hpp"
#include "application/shared/random.hpp"

namespace shop::memory {

// A clock that moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp(std::chrono::milliseconds(1'800'000'000'000)))
      : now_(start.time_since_epoch().count()) {}
  Timestamp now() const override { return Timestamp(std::chrono::milliseconds(now_.load())); }
  void advance(std::chrono::milliseconds by) { now_ += by.count(); }

 private:
  std::atomic<std::int64_t> now_;
};

// Elapsed time that moves only when told to.
class ManualMonotonicClock final : public MonotonicClock {
 public:
  std::chrono::nanoseconds now() const override { return std::chrono::nanoseconds(now_.load()); }
  void advance(std::chrono::nanoseconds by) { now_ += by.count(); }

 private:
  std::atomic<std::int64_t> now_{std::chrono::nanoseconds(std::chrono::hours(1)).count()};
};

// Ids that sort in creation order, readable in test failures: id-000001.
class SequentialIds final : public IdGenerator {
 public:
  explicit SequentialIds(std::string prefix = "id-") : prefix_(std::move(prefix)) {}
  std::string next() override {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%06llu", static_cast<unsigned long long>(++counter_));
    return prefix_ + buffer;
  }

 private:
  std::string prefix_;
  std::atomic<unsigned long long> counter_{0};
};

class SilentLog final : public Log {
 public:
  void write(LogLevel, std::string_view, std::initializer_list<LogField>) override {}
};

// "Randomness" the test chooses: the same value until told another.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double value = 0.5) : value_(value) {}
  double unit() override { return value_.load(); }
  void set(double value) { value_ = value; }

 private:
  std::atomic<double> value_;
};

}  // namespace shop::memory
