#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "application/shared/clock.hpp"
#include "application/shared/lease.hpp"
#include "application/shared/log.hpp"

namespace shop {

struct BackgroundLeaseSettings {
  // A holder that stops renewing (a crash, a frozen host) loses the lease
  // this long after its last renewal.
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
  BackgroundLease(LeaseStore& store, const Clock& clock, Log& log, std::string holder_id,
                  BackgroundLeaseSettings settings, bool from_anyone);

  // Renews or tries to take the lease; true when held afterwards. A store
  // failure is logged: a holder keeps working on its unexpired lease, and a
  // process in standby stays in standby.
  bool step();
  std::chrono::milliseconds next_step_in() const;
  // Frees the lease for a successor; call after the background work stopped.
  void release();

  bool held() const { return held_; }
  // Held here, or by another process whose lease has not expired: someone
  // runs the background work.
  bool accounted_for() const { return held_ || other_holder_live_; }

 private:
  bool try_step();

  LeaseStore& store_;
  const Clock& clock_;
  Log& log_;
  std::string holder_id_;
  BackgroundLeaseSettings settings_;
  bool from_anyone_;
  std::atomic<bool> held_{false};
  std::atomic<bool> other_holder_live_{false};
  Timestamp held_until_{};
};

}  // namespace shop
