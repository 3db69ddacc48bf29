#pragma once

#include <mutex>

#include "application/shared/lease.hpp"

namespace shop::memory {

// The lease row in memory, for tests of processes sharing one store.
class MemoryLeaseStore final : public LeaseStore {
 public:
  bool acquire(const std::string& holder, Timestamp now, Timestamp expires_at,
               bool from_anyone) override {
    std::lock_guard lock(mutex_);
    if (!from_anyone && !lease_.id.empty() && lease_.id != holder && lease_.expires_at > now) {
      return false;
    }
    lease_ = {holder, expires_at};
    return true;
  }
  bool renew(const std::string& holder, Timestamp expires_at) override {
    std::lock_guard lock(mutex_);
    if (lease_.id != holder) return false;
    lease_.expires_at = expires_at;
    return true;
  }
  void release(const std::string& holder) override {
    std::lock_guard lock(mutex_);
    if (lease_.id == holder) lease_ = {};
  }
  std::optional<LeaseHolder> current() override {
    std::lock_guard lock(mutex_);
    if (lease_.id.empty()) return std::nullopt;
    return lease_;
  }

 private:
  std::mutex mutex_;
  LeaseHolder lease_;
};

}  // namespace shop::memory
