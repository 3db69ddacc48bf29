#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace shop {

// The one row that says which process runs the background work (the outbox
// relay, sweepers, saga recovery, refunds): several processes may serve
// requests on one database, but only the holder works behind them.
//
// A lease runs for a ttl from the moment the store writes it, and whether
// it has expired is judged by the store's clock alone: on PostgreSQL the
// server's, so replicas whose own clocks disagree still agree on who holds
// it; on SQLite and in memory the process's (one machine). No caller's
// clock ever enters the row.
class LeaseStore {
 public:
  virtual ~LeaseStore() = default;
  // Gives the lease to `holder` for `ttl` when it is free, expired or
  // already `holder`'s, or, with `from_anyone`, whoever holds it. True when
  // `holder` holds it afterwards.
  virtual bool acquire(const std::string& holder, std::chrono::milliseconds ttl,
                       bool from_anyone) = 0;
  // Extends `holder`'s lease to `ttl` from now; false when it is no longer
  // `holder`'s.
  virtual bool renew(const std::string& holder, std::chrono::milliseconds ttl) = 0;
  // Frees the lease if `holder` still holds it.
  virtual void release(const std::string& holder) = 0;
  // Whoever holds the lease unexpired; nothing when it is free or expired.
  virtual std::optional<std::string> live_holder() = 0;
};

}  // namespace shop
