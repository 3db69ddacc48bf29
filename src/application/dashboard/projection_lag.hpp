#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace shop::dashboard {

// How far the read models trail the modules: for each event projected, the
// time from its creation (in the transaction that committed it) to the
// commit of its projection.
struct LagStats {
  std::int64_t events = 0;
  std::chrono::milliseconds p50{0};
  std::chrono::milliseconds p99{0};
  std::chrono::milliseconds max{0};
};

// Keeps the most recent samples in a fixed ring, so memory stays constant
// and percentiles describe the present rather than the whole uptime.
class ProjectionLag {
 public:
  void record(std::chrono::milliseconds lag);
  LagStats stats() const;

 private:
  static constexpr std::size_t window = 1024;
  mutable std::mutex mutex_;
  std::array<std::int64_t, window> samples_{};
  std::int64_t recorded_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace shop::dashboard
