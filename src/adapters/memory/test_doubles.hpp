#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>

#include "application/shared/clock.hpp"
#include "application/shared/id_generator.hpp"
#include "application/shared/log.hpp"

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

}  // namespace shop::memory
