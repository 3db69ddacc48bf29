#pragma once

#include <algorithm>
#include <mutex>

#include "application/shared/dead_letters.hpp"

namespace shop::memory {

class MemoryDeadLetters final : public DeadLetters {
 public:
  void park(const DeadLetter& letter) override {
    std::lock_guard lock(mutex_);
    letters_.push_back(letter);
  }
  std::vector<DeadLetter> list(std::size_t limit) override {
    std::lock_guard lock(mutex_);
    return {letters_.begin(), letters_.begin() + std::ptrdiff_t(std::min(limit, letters_.size()))};
  }

 private:
  std::mutex mutex_;
  std::vector<DeadLetter> letters_;
};

}  // namespace shop::memory
