#pragma once

#include <optional>
#include <string>

#include "domain/shared/time.hpp"

namespace shop {

// Who holds the background lease, and until when. A released lease has an
// empty holder.
struct LeaseHolder {
  std::string id;
  Timestamp expires_at;
};

// The one row that says which process runs the background work (the outbox
// relay, sweepers, saga recovery, refunds): several processes may serve
// requests on one database, but only the holder works behind them.
class LeaseStore {
 public:
  virtual ~LeaseStore() = default;
  // Gives the lease to `holder` until `expires_at` when it is free, expired
  // at `now` or already `holder`'s, or, with `from_anyone`, whoever holds
  // it. True when `holder` holds it afterwards.
  virtual bool acquire(const std::string& holder, Timestamp now, Timestamp expires_at,
                       bool from_anyone) = 0;
  // Extends `holder`'s lease; false when it is no longer `holder`'s.
  virtual bool renew(const std::string& holder, Timestamp expires_at) = 0;
  // Frees the lease if `holder` still holds it.
  virtual void release(const std::string& holder) = 0;
  virtual std::optional<LeaseHolder> current() = 0;
};

}  // namespace shop
