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
    letters_.back().sequence = ++last_sequence_;
  }
  std::vector<DeadLetter> list(std::size_t limit) override {
    std::lock_guard lock(mutex_);
    return {letters_.begin(), letters_.begin() + std::ptrdiff_t(std::min(limit, letters_.size()))};
  }
  std::optional<DeadLetter> find(std::int64_t sequence) override {
    std::lock_guard lock(mutex_);
    auto found = std::find_if(letters_.begin(), letters_.end(),
                              [sequence](const auto& letter) { return letter.sequence == sequence; });
    if (found == letters_.end()) return std::nullopt;
    return *found;
  }
  void discard(std::int64_t sequence) override {
    std::lock_guard lock(mutex_);
    std::erase_if(letters_, [sequence](const auto& letter) { return letter.sequence == sequence; });
  }

 private:
  std::mutex mutex_;
  std::vector<DeadLetter> letters_;
  std::int64_t last_sequence_ = 0;
};

}  // namespace shop::memory
