#include "application/webhook/retry_policy.hpp"

#include <algorithm>

namespace shop::webhook {

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int failed_attempts, double unit) {
  // Doubling stops at the cap, so no number of failures overflows.
  auto ceiling = std::min(policy.initial_backoff, policy.max_backoff);
  for (int i = 1; i < failed_attempts && ceiling < policy.max_backoff; ++i) {
    ceiling = std::min(ceiling * 2, policy.max_backoff);
  }
  unit = std::clamp(unit, 0.0, 1.0);
  auto half = ceiling / 2;
  return half + std::chrono::milliseconds(
                    static_cast<std::chrono::milliseconds::rep>(double((ceiling - half).count()) * unit));
}

}  // namespace shop::webhook
