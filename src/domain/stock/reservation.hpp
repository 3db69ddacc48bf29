#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/shared/time.hpp"

namespace shop::stock {

struct ReservedLine {
  std::string product_id;
  std::int64_t quantity = 0;

  friend bool operator==(const ReservedLine&, const ReservedLine&) = default;
};

enum class ReservationStatus { held, confirmed, released, returned };

const char* to_string(ReservationStatus status);
std::optional<ReservationStatus> reservation_status_from_string(const std::string& text);

// The units one order holds, all lines together. Its transitions say
// whether anything changed, so that repeating a step (a retried saga, a
// redelivered event) is harmless.
class Reservation {
 public:
  // Merges lines of the same product and sorts them by product id: the
  // fixed order in which levels are touched, whatever order the client sent.
  static Reservation hold(std::string order_id, std::vector<ReservedLine> lines,
                          Timestamp expires_at, Timestamp now);
  static Reservation restore(std::string order_id, std::vector<ReservedLine> lines,
                             ReservationStatus status, Timestamp expires_at, Timestamp updated_at);

  // Each returns true when the status changed, false when it was already
  // there; Failure(conflict) when the move is not allowed from here.
  bool confirm(Timestamp now);
  bool release(Timestamp now);
  bool give_back(Timestamp now);

  const std::string& order_id() const { return order_id_; }
  std::span<const ReservedLine> lines() const { return lines_; }
  ReservationStatus status() const { return status_; }
  Timestamp expires_at() const { return expires_at_; }
  Timestamp updated_at() const { return updated_at_; }
  bool expired(Timestamp now) const { return status_ == ReservationStatus::held && now >= expires_at_; }

 private:
  Reservation(std::string order_id, std::vector<ReservedLine> lines, ReservationStatus status,
              Timestamp expires_at, Timestamp updated_at);
  bool move(ReservationStatus from, ReservationStatus to, Timestamp now);

  std::string order_id_;
  std::vector<ReservedLine> lines_;
  ReservationStatus status_;
  Timestamp expires_at_;
  Timestamp updated_at_;
};

}  // namespace shop::stock
