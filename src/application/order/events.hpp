#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/shared/money.hpp"

// The order module's integration events. Each carries what its consumers
// need (payment, delivery, stock, the dashboard) without calling back.
namespace shop::order {

struct OrderLineData {
  std::string product_id;
  std::string sku;
  std::string name;
  Money unit_price;
  std::int64_t quantity = 0;

  friend bool operator==(const OrderLineData&, const OrderLineData&) = default;
};

struct DeliveryAddress {
  std::string name;
  std::string line1;
  std::string line2;
  std::string city;
  std::string postal_code;
  std::string phone;

  friend bool operator==(const DeliveryAddress&, const DeliveryAddress&) = default;
};

// Common to every order event: the order and its customer.
struct OrderEventBase {
  std::string order_id;
  std::string customer_id;
  std::string subject() const { return order_id; }
};

// The reservation holds: the order is visible from now on.
struct OrderPlaced : OrderEventBase {
  static constexpr const char* type = "shop.order.placed.v1";
  static constexpr const char* source = "/shopbox/order";
  std::vector<OrderLineData> lines;
  Money total;
  DeliveryAddress delivery_address;
};

struct OrderPaid : OrderEventBase {
  static constexpr const char* type = "shop.order.paid.v1";
  static constexpr const char* source = "/shopbox/order";
  Money total;
  DeliveryAddress delivery_address;
};

struct OrderPaymentDeclined : OrderEventBase {
  static constexpr const char* type = "shop.order.payment_declined.v1";
  static constexpr const char* source = "/shopbox/order";
  std::string reason;
};

// The gateway could not answer; the saga keeps trying in the background.
struct OrderPaymentPending : OrderEventBase {
  static constexpr const char* type = "shop.order.payment_pending.v1";
  static constexpr const char* source = "/shopbox/order";
};

struct OrderCancelled : OrderEventBase {
  static constexpr const char* type = "shop.order.cancelled.v1";
  static constexpr const char* source = "/shopbox/order";
  std::string reason;
  bool was_paid = false;  // a payment to refund and units to return
  Money total;
};

struct OrderInDelivery : OrderEventBase {
  static constexpr const char* type = "shop.order.in_delivery.v1";
  static constexpr const char* source = "/shopbox/order";
};

struct OrderDelivered : OrderEventBase {
  static constexpr const char* type = "shop.order.delivered.v1";
  static constexpr const char* source = "/shopbox/order";
};

std::string encode(const OrderPlaced& event);
std::string encode(const OrderPaid& event);
std::string encode(const OrderPaymentDeclined& event);
std::string encode(const OrderPaymentPending& event);
std::string encode(const OrderCancelled& event);
std::string encode(const OrderInDelivery& event);
std::string encode(const OrderDelivered& event);

// Throw std::runtime_error when `data` does not match the schema.
OrderPlaced decode_order_placed(std::string_view data);
OrderPaid decode_order_paid(std::string_view data);
OrderPaymentDeclined decode_order_payment_declined(std::string_view data);
OrderPaymentPending decode_order_payment_pending(std::string_view data);
OrderCancelled decode_order_cancelled(std::string_view data);
OrderInDelivery decode_order_in_delivery(std::string_view data);
OrderDelivered decode_order_delivered(std::string_view data);

}  // namespace shop::order
