#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "domain/shared/time.hpp"

namespace shop::identity {

// Counts login attempts per client address in fixed one-minute windows.
// A fixed window is cruder than a sliding one but needs one counter per
// address, and the table is pruned so that a flood of addresses cannot grow
// it without bound.
class LoginThrottle {
 public:
  explicit LoginThrottle(int attempts_per_minute) : limit_(attempts_per_minute) {}

  // Records an attempt; returns 0 when allowed, else the seconds to wait.
  int attempt(const std::string& client, Timestamp now);

 private:
  struct Window {
    Timestamp started;
    int attempts = 0;
  };

  int limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace shop::identity
