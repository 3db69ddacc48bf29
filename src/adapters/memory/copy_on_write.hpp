#pragma once

#include <mutex>
#include <utility>

namespace shop::memory {

// Transactions for in-memory stores: the work runs on a copy of the state
// under the store's lock, and the copy replaces the state only when the
// work returns. A throw leaves the state untouched, as a rollback would.
// Copying is O(state) per write, which is fine for tests and development.
template <class State>
class CopyOnWrite {
 public:
  template <class Work>
  void write(Work&& work) {
    std::lock_guard lock(mutex_);
    State draft = state_;
    work(draft);
    state_ = std::move(draft);
  }

  template <class Read>
  auto read(Read&& read) {
    std::lock_guard lock(mutex_);
    return read(static_cast<const State&>(state_));
  }

  template <class Update>
  void update_in_place(Update&& update) {
    std::lock_guard lock(mutex_);
    update(state_);
  }

 private:
  std::mutex mutex_;
  State state_;
};

}  // namespace shop::memory
