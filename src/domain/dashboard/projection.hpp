#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

// The dashboard's projection rules, pure: what one event does to the row of
// its order. Each field of a row is owned by the events of one aggregate
// (order status by the order's events, payment status and amounts by the
// payment's, delivery status by the delivery's). Events of one aggregate
// arrive in order, so "last one wins" within a field is safe; amounts are
// sums, which commute. Hence the rows do not depend on how events of
// different aggregates interleave.
namespace shop::dashboard {

// Order statuses, as the order module names them.
namespace order_status {
inline constexpr const char* payment_pending = "PAYMENT_PENDING";
inline constexpr const char* paid = "PAID";
inline constexpr const char* payment_declined = "PAYMENT_DECLINED";
inline constexpr const char* in_delivery = "IN_DELIVERY";
inline constexpr const char* delivered = "DELIVERED";
inline constexpr const char* cancelled = "CANCELLED";
}  // namespace order_status

namespace payment_status {
inline constexpr const char* approved = "APPROVED";
inline constexpr const char* declined = "DECLINED";
inline constexpr const char* cancelled = "CANCELLED";  // refunded
}  // namespace payment_status

namespace delivery_status {
inline constexpr const char* requested = "REQUESTED";
inline constexpr const char* delivered = "DELIVERED";
inline constexpr const char* cancelled = "CANCELLED";
}  // namespace delivery_status

// The order statuses counted as active in a customer summary.
inline constexpr const char* active_statuses[] = {order_status::payment_pending,
                                                  order_status::paid, order_status::in_delivery};
bool is_active(std::string_view order_status);

// One order's read model, as stored.
struct OrderRow {
  std::string order_id;
  std::string customer_id;      // from whichever event carries it first
  std::string status;           // order events; "" until one arrived
  std::string cancel_reason;    // order.cancelled
  std::string payment_status;   // payment events
  std::string delivery_status;  // delivery events
  Money total;                  // order events
  Money spent;                  // approved payments (a refund does not undo it)
  Money refunded;               // refunded payments

  friend bool operator==(const OrderRow&, const OrderRow&) = default;
};

// What one event says about its order, decoded from its data. Fields the
// event does not speak about stay empty.
struct Fact {
  std::string order_id;
  std::string customer_id;
  std::optional<std::string> order_status;
  std::optional<std::string> cancel_reason;
  std::optional<Money> total;
  std::optional<std::string> payment_status;
  std::optional<Money> approved;  // adds to `spent`
  std::optional<Money> refunded;  // adds to `refunded`
  std::optional<std::string> delivery_status;
};

// The row of `fact.order_id` after the fact: `row` is the current row, or a
// default one for an order not seen before.
OrderRow apply(OrderRow row, const Fact& fact);

// One step of an order's timeline; keyed by (order_id, event_id).
struct TimelineRow {
  std::string order_id;
  std::string event_id;
  std::string event;  // "order.placed"
  Timestamp at;

  friend bool operator==(const TimelineRow&, const TimelineRow&) = default;
};

// "shop.order.placed.v1" -> "order.placed"; other text is returned as is.
std::string event_name(std::string_view type);

// Timeline order: by time, then event id, whatever order the steps arrived in.
bool timeline_before(const TimelineRow& a, const TimelineRow& b);
void sort_timeline(std::vector<TimelineRow>& rows);

// A customer's totals over the rows of their orders. An order counts as
// placed once one of its order events arrived.
struct CustomerTotals {
  std::int64_t orders_placed = 0;
  std::int64_t orders_active = 0;
  std::int64_t orders_delivered = 0;
  std::int64_t orders_cancelled = 0;
  std::int64_t amount_spent = 0;
  std::int64_t amount_refunded = 0;
  std::string currency;  // of the payments; "" when there was none

  friend bool operator==(const CustomerTotals&, const CustomerTotals&) = default;
};

// Over the rows of one customer (the caller selects them).
CustomerTotals summarize(const std::vector<OrderRow>& rows);

}  // namespace shop::dashboard
