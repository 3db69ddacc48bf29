#include "application/shared/background_lease.hpp"

#include <exception>

namespace shop {

BackgroundLease::BackgroundLease(LeaseStore& store, const Clock& clock, Log& log,
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
    // A holder's lease runs until it expires whether or not the renewal
    // got through; past that, someone else may have it.
    if (held_ && clock_.now() >= held_until_) held_ = false;
    return held_;
  }
}

bool BackgroundLease::try_step() {
  auto now = clock_.now();
  auto until = now + settings_.ttl;
  if (held_) {
    if (store_.renew(holder_id_, until)) {
      held_until_ = until;
      return true;
    }
    held_ = false;
    log_.write(LogLevel::error, "background lease lost to another process",
               {{"holder", holder_id_}});
  }
  auto holder = store_.current();
  bool taken_by_other = holder && !holder->id.empty() && holder->id != holder_id_ &&
                        holder->expires_at > now;
  if (taken_by_other && !from_anyone_) {
    other_holder_live_ = true;
    return false;
  }
  if (!store_.acquire(holder_id_, now, until, from_anyone_)) {
    other_holder_live_ = true;  // another process was quicker
    return false;
  }
  if (taken_by_other) {
    log_.write(LogLevel::warn, "background lease taken from a previous process",
               {{"previous_holder", holder->id}});
  }
  from_anyone_ = false;
  other_holder_live_ = false;
  held_until_ = until;
  held_ = true;
  return true;
}

std::chrono::milliseconds BackgroundLease::next_step_in() const {
  // Three renewals per ttl: one lost or late write does not lose the lease.
  return held_ ? settings_.ttl / 3 : settings_.standby_poll;
}

void BackgroundLease::release() {
  if (!held_) return;
  held_ = false;
  store_.release(holder_id_);
}

}  // namespace shop
