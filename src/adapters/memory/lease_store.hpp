#pragma once

#include <mutex>

#include "application/shared/clock.hpp"
#include "application/shared/lease.hpp"

namespace shop::memory {

// The lease row in memory, for tests of processes sharing one store;
// expiry by `clock`, standing in for the store's.
class MemoryLeaseStore final : public LeaseStore {
 public:
  explicit MemoryLeaseStore(const Clock& clock) : clock_(clock) {}

  bool acquire(const std::string& holder, std::chrono::milliseconds ttl,
               bool from_anyone) override {
    std::lock_guard lock(mutex_);
    if (!from_anyone && live() && holder_ != holder) return false;
    holder_ = holder;
    expires_at_ = clock_.now() + ttl;
    return true;
  }
  bool renew(const std::string& holder, std::chrono::milliseconds ttl) override {
    std::lock_guard lock(mutex_);
    if (holder_ != holder) return false;
    expires_at_ = clock_.now() + ttl;
    return true;
  }
  void release(const std::string& holder) override {
    std::lock_guard lock(mutex_);
    if (holder_ == holder) holder_.clear();
  }
  std::optional<std::string> live_holder() override {
    std::lock_guard lock(mutex_);
    if (!live()) return std::nullopt;
    return holder_;
  }

 private:
  bool live() const { return !holder_.empty() && expires_at_ > clock_.now(); }

  const Clock& clock_;
  std::mutex mutex_;
  std::string holder_;
  Timestamp expires_at_{};
};

}  // namespace shop::memory
