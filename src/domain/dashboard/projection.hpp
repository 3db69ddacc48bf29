#pragma once

#include <chrono>
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
// Every status of the delivery path, in its order (the summary counts each).
inline constexpr const char* all[] = {"REQUESTED",  "ACCEPTED",  "PREPARING",
                                      "DISPATCHED", "DELIVERED", "CANCELLED"};
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

// ---------------------------------------------------------------------------
// The storefront's product rows. Catalog fields and stock levels come from
// different aggregates (the product; the product's restocks and each order's
// movements), so neither is "last one wins" by arrival: catalog fields keep
// the highest product version, the level keeps the change with the highest
// stock ledger sequence, the low-stock threshold the StockLow with the
// highest sequence. Hence the row does not depend on arrival order.
struct ProductRow {
  std::string product_id;
  std::string sku;
  std::string name;
  std::string description;
  Money price;
  std::string category;
  bool active = false;        // created and not deleted; false until the catalog spoke
  std::int64_t version = 0;   // product version of the catalog fields; 0: none yet
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t available = 0;
  std::int64_t level_sequence = 0;  // ledger sequence of the level; 0: none, or old events
  std::optional<std::int64_t> low_stock_threshold;  // from StockLow; unset: the default
  std::int64_t threshold_sequence = 0;

  friend bool operator==(const ProductRow&, const ProductRow&) = default;
};

// A catalog event about one product: created or updated (with its fields),
// or deleted.
struct CatalogFact {
  std::string product_id;
  std::int64_t version = 0;
  bool deleted = false;
  std::string sku;
  std::string name;
  std::string description;
  Money price;
  std::string category;
};

// The level of one product that a stock event reports (one per line of an
// order's movement), with the threshold when the event is a StockLow.
struct LevelFact {
  std::string product_id;
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t available = 0;
  std::int64_t sequence = 0;
  std::optional<std::int64_t> low_stock_threshold;
};

// A higher version replaces the catalog fields; at an equal version a
// deletion wins (a product never comes back from deletion).
ProductRow apply(ProductRow row, const CatalogFact& fact);
// A change at or above the row's sequence replaces the level (equal: the
// same movement told twice, or events from before sequences: arrival wins).
ProductRow apply(ProductRow row, const LevelFact& fact);

// Low: available at or below the product's threshold, else `default_threshold`.
// A product no stock event spoke of has the empty level (available 0).
std::int64_t threshold_of(const ProductRow& row, std::int64_t default_threshold);
bool is_low(const ProductRow& row, std::int64_t default_threshold);

// ---------------------------------------------------------------------------
// The shop summary's per-day counters, keyed by the shop's local date.
struct DayTotals {
  std::string date;  // "YYYY-MM-DD" in the shop's time zone
  std::int64_t orders_placed = 0;
  std::int64_t revenue = 0;   // approved payments
  std::int64_t refunded = 0;  // refunded (cancelled) payments
  std::string currency{};     // of the payments; "" when there was none

  friend bool operator==(const DayTotals&, const DayTotals&) = default;
};

// Sums, which commute: the totals do not depend on the order of the deltas.
// The currency is the greatest seen (as SQL's MAX would pick).
DayTotals add(DayTotals totals, const DayTotals& delta);

// The shop's local date of `time` ("YYYY-MM-DD"): the date of time + offset.
std::string day_of(Timestamp time, std::chrono::minutes utc_offset);

}  // namespace shop::dashboard
