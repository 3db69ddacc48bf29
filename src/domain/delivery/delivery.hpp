#pragma once

#include <optional>
#include <string>

#include "domain/shared/time.hpp"

namespace shop::delivery {

// Where the courier goes. Delivery keeps its own copy: an order's address
// may be read from an event long after the order module changed its types.
struct Address {
  std::string name;
  std::string line1;
  std::string line2;
  std::string city;
  std::string postal_code;
  std::string phone;

  friend bool operator==(const Address&, const Address&) = default;
};

// The path is fixed: REQUESTED -> ACCEPTED -> PREPARING -> DISPATCHED ->
// DELIVERED, one step at a time; CANCELLED is reachable only before dispatch.
enum class Status { requested, accepted, preparing, dispatched, delivered, cancelled };

// Upper-case, as in the API and the events: "REQUESTED".
const char* to_string(Status status);
std::optional<Status> status_from_string(const std::string& text);

struct DeliveryData {
  std::string id;
  std::string order_id;
  std::string customer_id;
  Address address;
  Status status = Status::requested;
  std::string cancel_reason;  // empty unless cancelled
  Timestamp created_at;
  Timestamp updated_at;
};

// One delivery per paid order. Its transitions say whether anything changed,
// so that a repeated request or a redelivered event is harmless.
class Delivery {
 public:
  static Delivery request(std::string id, std::string order_id, std::string customer_id,
                          Address address, Timestamp now);
  static Delivery restore(DeliveryData data);

  // One step forward to `target`: true when it moved, false when the
  // delivery is already there. Failure(conflict, "invalid_transition") for a
  // skip, a step back, or any move after DELIVERED or CANCELLED.
  bool advance(Status target, Timestamp now);
  // True when it was cancelled now, false when it already was.
  // Failure(conflict, "delivery_dispatched") once dispatch has begun.
  bool cancel(const std::string& reason, Timestamp now);

  // DISPATCHED or DELIVERED: the parcel has left, nothing can call it back.
  bool dispatch_begun() const;

  const DeliveryData& data() const { return data_; }
  const std::string& id() const { return data_.id; }
  const std::string& order_id() const { return data_.order_id; }
  Status status() const { return data_.status; }

 private:
  explicit Delivery(DeliveryData data);

  DeliveryData data_;
};

}  // namespace shop::delivery
