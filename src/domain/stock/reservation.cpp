#include "domain/stock/reservation.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"
#include "domain/stock/stock_level.hpp"

namespace shop::stock {

namespace {
constexpr const char* status_names[] = {"HELD", "CONFIRMED", "RELEASED", "RETURNED"};
constexpr std::size_t max_lines = 100;
}  // namespace

const char* to_string(ReservationStatus status) { return status_names[static_cast<int>(status)]; }

std::optional<ReservationStatus> reservation_status_from_string(const std::string& text) {
  for (int i = 0; i < 4; ++i) {
    if (text == status_names[i]) return static_cast<ReservationStatus>(i);
  }
  return std::nullopt;
}

Reservation::Reservation(std::string order_id, std::vector<ReservedLine> lines,
                         ReservationStatus status, Timestamp expires_at, Timestamp updated_at)
    : order_id_(std::move(order_id)),
      lines_(std::move(lines)),
      status_(status),
      expires_at_(expires_at),
      updated_at_(updated_at) {}

Reservation Reservation::hold(std::string order_id, std::vector<ReservedLine> lines,
                              Timestamp expires_at, Timestamp now) {
  validate_text(order_id, "order_id", 1, 100);
  if (lines.empty()) throw invalid_field("items", "must not be empty");
  if (lines.size() > max_lines) {
    throw invalid_field("items", "must have at most " + std::to_string(max_lines) + " lines");
  }
  std::map<std::string, std::int64_t> merged;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string field = "items[" + std::to_string(i) + "]";
    validate_text(lines[i].product_id, field + ".product_id", 1, 100);
    validate_quantity(lines[i].quantity, field + ".quantity");
    std::int64_t& total = merged[lines[i].product_id];
    total += lines[i].quantity;
    validate_quantity(total, field + ".quantity");
  }
  std::vector<ReservedLine> sorted;
  for (auto& [product_id, quantity] : merged) sorted.push_back({product_id, quantity});
  return Reservation(std::move(order_id), std::move(sorted), ReservationStatus::held, expires_at,
                     now);
}

Reservation Reservation::restore(std::string order_id, std::vector<ReservedLine> lines,
                                 ReservationStatus status, Timestamp expires_at,
                                 Timestamp updated_at) {
  std::sort(lines.begin(), lines.end(),
            [](const ReservedLine& a, const ReservedLine& b) { return a.product_id < b.product_id; });
  return Reservation(std::move(order_id), std::move(lines), status, expires_at, updated_at);
}

bool Reservation::move(ReservationStatus from, ReservationStatus to, Timestamp now) {
  if (status_ == to) return false;
  if (status_ != from) {
    throw Failure(FailureKind::conflict, "reservation_state",
                  std::string("the reservation of order ") + order_id_ + " is " +
                      to_string(status_) + ", it cannot become " + to_string(to));
  }
  status_ = to;
  updated_at_ = now;
  return true;
}

bool Reservation::confirm(Timestamp now) {
  return move(ReservationStatus::held, ReservationStatus::confirmed, now);
}

bool Reservation::release(Timestamp now) {
  return move(ReservationStatus::held, ReservationStatus::released, now);
}

bool Reservation::give_back(Timestamp now) {
  return move(ReservationStatus::confirmed, ReservationStatus::returned, now);
}

}  // namespace shop::stock
