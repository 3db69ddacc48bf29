#include "application/shared/background_lease.hpp"

#include <algorithm>
#include <exception>
#include <utility>

namespace shop {

BackgroundLease::BackgroundLease(LeaseStore& store, const MonotonicClock& clock, Log& log,
                                 std::string holder_id, BackgroundLeaseSettings settings,
                                 bool from_anyone)
    : store_(store),
      clock_(clock),
      log_(log),
      holder_id_(std::move(holder_id)),
      settings_(settings),
      from_anyone_(from_anyone) {}

bool BackgroundLease::step() {
  try {
    return try_step();
  } catch (const std::exception& error) {
    log_.write(LogLevel::error, "background lease step failed", {{"error", error.what()}});
    // Whether or not the renewal got through, the lease is this process's
    // until its deadline, and no longer.
    return held();
  }
}

bool BackgroundLease::try_step() {
  if (held()) {
    auto began = clock_.now();
    if (store_.renew(holder_id_, settings_.ttl)) {
      hold_from(began);
      return held();
    }
    deadline_ = not_held;
    log_.write(LogLevel::error, "background lease lost to another process",
               {{"holder", holder_id_}});
  }
  // Our own lease, run out here but not yet in the store, is taken again.
  auto holder = store_.live_holder();
  bool taken_by_other = holder && *holder != holder_id_;
  // What the store said last, should the acquisition below fail.
  other_holder_live_ = taken_by_other;
  if (taken_by_other && !from_anyone_) return false;
  auto began = clock_.now();
  // Only the very first attempt may take a live lease: by the next, a
  // successor may have started and taken it.
  bool acquired = store_.acquire(holder_id_, settings_.ttl, std::exchange(from_anyone_, false));
  if (!acquired) {
    other_holder_live_ = true;  // another process was quicker
    return false;
  }
  if (taken_by_other) {
    log_.write(LogLevel::warn, "background lease taken from a previous process",
               {{"previous_holder", *holder}});
  }
  other_holder_live_ = false;
  hold_from(began);
  return held();
}

// A third of the ttl short of the store's expiry: what the work has in
// flight when it is told to stop gets that long to end before another
// process may take the lease.
void BackgroundLease::hold_from(std::chrono::nanoseconds write_began) {
  deadline_ = (write_began + settings_.ttl - settings_.ttl / 3).count();
}

std::chrono::nanoseconds BackgroundLease::time_left() const {
  std::int64_t deadline = deadline_;
  if (deadline == not_held) return std::chrono::nanoseconds::zero();
  return std::max(std::chrono::nanoseconds(deadline) - clock_.now(),
                  std::chrono::nanoseconds::zero());
}

std::chrono::milliseconds BackgroundLease::next_step_in() const {
  // Two renewals before the deadline: one lost or late write does not lose
  // the lease.
  return held() ? settings_.ttl / 4 : settings_.standby_poll;
}

void BackgroundLease::release() {
  if (!held()) return;
  deadline_ = not_held;
  try {
    store_.release(holder_id_);
  } catch (const std::exception& error) {
    // Stopping goes on: the lease runs out by itself, a ttl from now.
    log_.write(LogLevel::warn, "background lease not released; it will run out",
               {{"error", error.what()}});
  }
}

}  // namespace shop
