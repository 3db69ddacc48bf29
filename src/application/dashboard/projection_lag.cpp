#include "application/dashboard/projection_lag.hpp"

#include <algorithm>
#include <vector>

namespace shop::dashboard {

void ProjectionLag::record(std::chrono::milliseconds lag) {
  std::int64_t value = std::max<std::int64_t>(lag.count(), 0);
  std::lock_guard lock(mutex_);
  samples_[std::size_t(recorded_ % std::int64_t(window))] = value;
  ++recorded_;
  max_ = std::max(max_, value);
}

LagStats ProjectionLag::stats() const {
  std::lock_guard lock(mutex_);
  LagStats stats;
  stats.events = recorded_;
  stats.max = std::chrono::milliseconds(max_);
  std::size_t kept = std::size_t(std::min<std::int64_t>(recorded_, std::int64_t(window)));
  if (kept == 0) return stats;
  std::vector<std::int64_t> sorted(samples_.begin(), samples_.begin() + std::ptrdiff_t(kept));
  std::sort(sorted.begin(), sorted.end());
  auto at = [&](double quantile) {
    return std::chrono::milliseconds(sorted[std::size_t(quantile * double(kept - 1) + 0.5)]);
  };
  stats.p50 = at(0.50);
  stats.p99 = at(0.99);
  return stats;
}

}  // namespace shop::dashboard
