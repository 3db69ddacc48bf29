#include "application/identity/client_throttle.hpp"

#include <chrono>
#include <iterator>

namespace shop::identity {

namespace {
constexpr std::chrono::milliseconds window_length = std::chrono::minutes(1);
}  // namespace

int ClientThrottle::attempt(const std::string& client, Timestamp now) {
  std::lock_guard lock(mutex_);
  if (now - last_prune_ >= window_length) {
    for (auto it = windows_.begin(); it != windows_.end();) {
      it = now - it->second.started >= window_length ? windows_.erase(it) : std::next(it);
    }
    last_prune_ = now;
  }
  Window& window = windows_[client];
  if (window.attempts == 0 || now - window.started >= window_length) window = Window{now, 0};
  if (window.attempts >= limit_) {
    auto wait = window.started + window_length - now;
    return int(std::chrono::ceil<std::chrono::seconds>(wait).count());
  }
  ++window.attempts;
  return 0;
}

}  // namespace shop::identity
