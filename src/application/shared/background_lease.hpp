#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "application/shared/lease.hpp"
#include "application/shared/log.hpp"
#include "application/shared/monotonic_clock.hpp"

namespace shop {

struct BackgroundLeaseSettings {
  // A holder that stops renewing (a crash, a frozen host) loses the lease
  // this long after its last renewal: until then nobody runs the
  // background work.
  std::chrono::milliseconds ttl{15000};
  // How often a process without the lease looks whether it is free.
  std::chrono::milliseconds standby_poll{200};
};

// One process's side of the lease: call step() when next_step_in() says;
// it renews the lease while held and tries to take it otherwise.
class BackgroundLease {
 public:
  // `from_anyone`: the first acquisition takes the lease even from a live
  // holder. Only for a process that knows it is the one server of the
  // database (no other answered on its hand-over socket): the holder on
  // record then is a crashed process, whose lease would otherwise block
  // background work for a whole ttl.
  BackgroundLease(LeaseStore& store, const MonotonicClock& clock, Log& log,
                  std::string holder_id, BackgroundLeaseSettings settings, bool from_anyone);

  // Renews or tries to take the lease; true when held afterwards. A store
  // failure is logged: a holder keeps working until its deadline, and a
  // process in standby stays in standby.
  bool step();
  std::chrono::milliseconds next_step_in() const;
  // Frees the lease for a successor; call after the background work stopped.
  void release();

  // Held here: the last write that took or renewed the lease began less
  // than two thirds of a ttl ago by this process's monotonic clock. The
  // store counts the whole ttl from when that write reached it, later, so
  // this process stops believing it holds the lease a third of a ttl before
  // any other may take it over (time for the work in flight to stop), and
  // does so even while a renewal hangs. Safe from any thread.
  bool held() const { return time_left() > std::chrono::nanoseconds::zero(); }
  // How long held() stays true without another renewal; zero when not held.
  std::chrono::nanoseconds time_left() const;
  // Held here, or by another process whose lease has not expired: someone
  // runs the background work.
  bool accounted_for() const { return held() || other_holder_live_; }

 private:
  static constexpr std::int64_t not_held = std::numeric_limits<std::int64_t>::min();

  bool try_step();
  void hold_from(std::chrono::nanoseconds write_began);

  LeaseStore& store_;
  const MonotonicClock& clock_;
  Log& log_;
  std::string holder_id_;
  BackgroundLeaseSettings settings_;
  bool from_anyone_;
  std::atomic<std::int64_t> deadline_{not_held};  // nanoseconds on clock_
  std::atomic<bool> other_holder_live_{false};
};

}  // namespace shop
