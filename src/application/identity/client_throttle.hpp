#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "domain/shared/time.hpp"

namespace shop::identity {

// Counts attempts (logins, sign-ups) per client address in fixed one-minute
// windows. A fixed window is cruder than a sliding one but needs one counter
// per address; expired windows are pruned at most once a minute, so neither
// memory nor the pruning cost grows with a flood of addresses.
class ClientThrottle {
 public:
  explicit ClientThrottle(int attempts_per_minute) : limit_(attempts_per_minute) {}

  // Records an attempt; returns 0 when allowed, else the seconds to wait.
  int attempt(const std::string& client, Timestamp now);

 private:
  struct Window {
    Timestamp started;
    int attempts = 0;
  };

  int limit_;
  Timestamp last_prune_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace shop::identity
