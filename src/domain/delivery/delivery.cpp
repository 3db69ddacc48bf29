#include "domain/delivery/delivery.hpp"

#include <utility>

#include "domain/shared/failure.hpp"

namespace shop::delivery {

namespace {

constexpr const char* status_names[] = {"REQUESTED",  "ACCEPTED",  "PREPARING",
                                        "DISPATCHED", "DELIVERED", "CANCELLED"};

}  // namespace

const char* to_string(Status status) { return status_names[static_cast<int>(status)]; }

std::optional<Status> status_from_string(const std::string& text) {
  for (int i = 0; i < 6; ++i) {
    if (text == status_names[i]) return static_cast<Status>(i);
  }
  return std::nullopt;
}

Delivery::Delivery(DeliveryData data) : data_(std::move(data)) {}

Delivery Delivery::request(std::string id, std::string order_id, std::string customer_id,
                           Address address, Timestamp now) {
  return Delivery(DeliveryData{std::move(id), std::move(order_id), std::move(customer_id),
                               std::move(address), Status::requested, "", now, now});
}

Delivery Delivery::restore(DeliveryData data) { return Delivery(std::move(data)); }

bool Delivery::advance(Status target, Timestamp now) {
  if (target == data_.status) return false;
  // The enum lists the path in order, so one step forward is the next value;
  // CANCELLED merely follows DELIVERED in the list and is no step from it.
  bool next_step = data_.status != Status::delivered &&
                   static_cast<int>(target) == static_cast<int>(data_.status) + 1;
  if (!next_step) {
    throw Failure(FailureKind::conflict, "invalid_transition",
                  std::string("a delivery cannot move from ") + to_string(data_.status) + " to " +
                      to_string(target));
  }
  data_.status = target;
  data_.updated_at = now;
  return true;
}

bool Delivery::cancel(const std::string& reason, Timestamp now) {
  if (data_.status == Status::cancelled) return false;
  if (dispatch_begun()) {
    throw Failure(FailureKind::conflict, "delivery_dispatched",
                  std::string("a delivery cannot be cancelled once ") + to_string(data_.status));
  }
  data_.status = Status::cancelled;
  data_.cancel_reason = reason;
  data_.updated_at = now;
  return true;
}

bool Delivery::dispatch_begun() const {
  return data_.status == Status::dispatched || data_.status == Status::delivered;
}

}  // namespace shop::delivery
