#pragma once

#include <string>
#include <string_view>

// The delivery module's integration events; the subject is the delivery id.
namespace shop::delivery {

struct DeliveryEventBase {
  std::string delivery_id;
  std::string order_id;
  std::string customer_id;
  std::string subject() const { return delivery_id; }
};

struct DeliveryRequested : DeliveryEventBase {
  static constexpr const char* type = "shop.delivery.requested.v1";
  static constexpr const char* source = "/shopbox/delivery";
};

// Every move along REQUESTED -> ACCEPTED -> PREPARING -> DISPATCHED.
struct DeliveryStatusChanged : DeliveryEventBase {
  static constexpr const char* type = "shop.delivery.status_changed.v1";
  static constexpr const char* source = "/shopbox/delivery";
  std::string from;
  std::string to;
};

struct DeliveryDelivered : DeliveryEventBase {
  static constexpr const char* type = "shop.delivery.delivered.v1";
  static constexpr const char* source = "/shopbox/delivery";
};

struct DeliveryCancelled : DeliveryEventBase {
  static constexpr const char* type = "shop.delivery.cancelled.v1";
  static constexpr const char* source = "/shopbox/delivery";
  std::string reason;
};

std::string encode(const DeliveryRequested& event);
std::string encode(const DeliveryStatusChanged& event);
std::string encode(const DeliveryDelivered& event);
std::string encode(const DeliveryCancelled& event);
// Throw std::runtime_error when `data` does not match the schema.
DeliveryRequested decode_delivery_requested(std::string_view data);
DeliveryStatusChanged decode_delivery_status_changed(std::string_view data);
DeliveryDelivered decode_delivery_delivered(std::string_view data);
DeliveryCancelled decode_delivery_cancelled(std::string_view data);

}  // namespace shop::delivery
