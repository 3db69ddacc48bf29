#pragma once

#include <chrono>

// When a failed webhook delivery is tried again.
namespace shop::webhook {

struct RetryPolicy {
  int max_attempts = 8;  // counting the first; then the delivery is a dead letter
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{300000};
};

// The wait after the `failed_attempts`-th failure (1 for the first):
// exponential (initial_backoff doubled per failure, capped at max_backoff)
// with equal jitter, so that many deliveries failing together do not come
// back together. `unit` in [0, 1) picks the point in [ceiling / 2, ceiling].
// Equal rather than full jitter: the wait still grows with each failure, so
// a subscriber that is down is not asked again at once.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int failed_attempts, double unit);

}  // namespace shop::webhook
