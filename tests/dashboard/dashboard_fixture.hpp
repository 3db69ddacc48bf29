#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <type_traits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "adapters/memory/dashboard/memory_dashboard_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/catalog/events.hpp"
#include "application/dashboard/api.hpp"
#include "application/delivery/events.hpp"
#include "application/order/events.hpp"
#include "application/payment/events.hpp"
#include "application/stock/events.hpp"

namespace shop::testing {

inline Money krw(std::int64_t amount) { return Money{amount, "KRW"}; }

// Writes envelopes as the modules would: real event structs, encoded with
// their codecs, one second apart, with ids that sort in creation order.
class SagaEvents {
 public:
  std::vector<EventEnvelope> events;

  void placed(const std::string& order_id, const std::string& customer_id, std::int64_t total) {
    order::OrderPlaced event;
    base(event, order_id, customer_id);
    event.lines.push_back({"tea", "TEA-1", "Green tea", krw(total), 1});
    event.total = krw(total);
    event.delivery_address = {"Kim", "1 Road", "", "Seoul", "04524", "010-1234"};
    add(event);
  }

  // Approved: payment.approved, order.paid, delivery.requested.
  void paid(const std::string& order_id, const std::string& customer_id, std::int64_t total) {
    payment::PaymentApproved approved;
    payment_base(approved, order_id, total);
    add(approved);
    order::OrderPaid paid;
    base(paid, order_id, customer_id);
    paid.total = krw(total);
    add(paid);
    delivery::DeliveryRequested requested;
    delivery_base(requested, order_id, customer_id);
    add(requested);
  }

  void declined(const std::string& order_id, const std::string& customer_id,
                std::int64_t total) {
    payment::PaymentDeclined declined;
    payment_base(declined, order_id, total);
    declined.reason = "insufficient funds";
    add(declined);
    order::OrderPaymentDeclined event;
    base(event, order_id, customer_id);
    event.reason = "insufficient funds";
    add(event);
  }

  void pending(const std::string& order_id, const std::string& customer_id) {
    order::OrderPaymentPending event;
    base(event, order_id, customer_id);
    add(event);
  }

  // A paid order cancelled: order.cancelled, then the refund and the
  // delivery's cancellation by compensation.
  void cancelled_paid(const std::string& order_id, const std::string& customer_id,
                      std::int64_t total) {
    order::OrderCancelled cancelled;
    base(cancelled, order_id, customer_id);
    cancelled.reason = "changed my mind";
    cancelled.was_paid = true;
    cancelled.total = krw(total);
    add(cancelled);
    payment::PaymentCancelled refunded;
    payment_base(refunded, order_id, total);
    add(refunded);
    delivery::DeliveryCancelled delivery_cancelled;
    delivery_base(delivery_cancelled, order_id, customer_id);
    delivery_cancelled.reason = "order_cancelled";
    add(delivery_cancelled);
  }

  // REQUESTED -> ... -> DISPATCHED (order IN_DELIVERY) -> DELIVERED.
  void delivered(const std::string& order_id, const std::string& customer_id) {
    const char* path[] = {"REQUESTED", "ACCEPTED", "PREPARING", "DISPATCHED"};
    for (int step = 1; step < 4; ++step) {
      delivery::DeliveryStatusChanged changed;
      delivery_base(changed, order_id, customer_id);
      changed.from = path[step - 1];
      changed.to = path[step];
      add(changed);
    }
    order::OrderInDelivery in_delivery;
    base(in_delivery, order_id, customer_id);
    add(in_delivery);
    delivery::DeliveryDelivered delivered;
    delivery_base(delivered, order_id, customer_id);
    add(delivered);
    order::OrderDelivered order_delivered;
    base(order_delivered, order_id, customer_id);
    add(order_delivered);
  }

  // Catalog: version 1 is product_created, later versions product_updated.
  void product(const std::string& product_id, const std::string& name, std::int64_t price,
               const std::string& category = "tea", std::int64_t version = 1) {
    catalog::ProductSnapshot snapshot{product_id, "SKU-" + product_id, name,
                                      "About " + name, krw(price), category, version};
    if (version == 1) {
      add(catalog::ProductCreated{snapshot});
    } else {
      add(catalog::ProductUpdated{snapshot});
    }
  }
  void product_deleted(const std::string& product_id, std::int64_t version) {
    add(catalog::ProductDeleted{product_id, version});
  }

  // Stock, as the stock module would report it: levels kept here, one
  // ledger sequence per movement (per line of an order's movement).
  using Lines = std::vector<std::pair<std::string, std::int64_t>>;
  void restock(const std::string& product_id, std::int64_t quantity) {
    add(stock::StockRestocked{moved(product_id, quantity, quantity, 0)});
  }
  void stock_take(const std::string& product_id, std::int64_t on_hand) {
    std::int64_t previous = levels_[product_id].first;
    add(stock::StockAdjusted{moved(product_id, on_hand - previous, on_hand - previous, 0),
                             previous});
  }
  // A StockLow for the product's latest movement, as stock emits it.
  void low(const std::string& product_id, std::int64_t threshold) {
    stock::LevelChange level = level_of(product_id, 0);
    level.sequence = sequence_;
    add(stock::StockLow{level, threshold});
  }
  void reserve(const std::string& order_id, const Lines& lines) {
    movement<stock::StockReserved>(order_id, lines, 0, 1);
  }
  void sell(const std::string& order_id, const Lines& lines) {
    movement<stock::StockSold>(order_id, lines, -1, -1);
  }
  void release(const std::string& order_id, const Lines& lines) {
    movement<stock::StockReleased>(order_id, lines, 0, -1);
  }
  void give_back(const std::string& order_id, const Lines& lines) {
    movement<stock::StockReturned>(order_id, lines, 1, 0);
  }

  // Moves the time of the next events.
  void advance(std::chrono::milliseconds by) { now_ += by; }
  void set_now(Timestamp at) { now_ = at; }

  Timestamp now() const { return now_; }

 private:
  stock::LevelChange level_of(const std::string& product_id, std::int64_t quantity) {
    auto [on_hand, reserved] = levels_[product_id];
    return stock::LevelChange{product_id, quantity, on_hand, reserved, on_hand - reserved,
                              sequence_};
  }
  stock::LevelChange moved(const std::string& product_id, std::int64_t quantity,
                          std::int64_t on_hand_delta, std::int64_t reserved_delta) {
    levels_[product_id].first += on_hand_delta;
    levels_[product_id].second += reserved_delta;
    ++sequence_;
    return level_of(product_id, quantity);
  }
  template <class Movement>
  void movement(const std::string& order_id, const Lines& lines, std::int64_t on_hand_sign,
                std::int64_t reserved_sign) {
    Movement event;
    event.order_id = order_id;
    if constexpr (std::is_same_v<Movement, stock::StockReleased>) event.reason = "order_cancelled";
    for (const auto& [product_id, quantity] : lines) {
      event.lines.push_back(
          moved(product_id, quantity, on_hand_sign * quantity, reserved_sign * quantity));
    }
    add(event);
  }

  std::map<std::string, std::pair<std::int64_t, std::int64_t>> levels_;  // on_hand, reserved
  std::int64_t sequence_ = 0;

  template <class Event>
  void add(const Event& event) {
    now_ += std::chrono::seconds(1);
    events.push_back(make_envelope(event, ids_.next(), now_));
  }
  static void base(order::OrderEventBase& event, const std::string& order_id,
                   const std::string& customer_id) {
    event.order_id = order_id;
    event.customer_id = customer_id;
  }
  static void payment_base(payment::PaymentEventBase& event, const std::string& order_id,
                           std::int64_t amount) {
    event.payment_id = "pay-" + order_id;
    event.order_id = order_id;
    event.amount = krw(amount);
  }
  static void delivery_base(delivery::DeliveryEventBase& event, const std::string& order_id,
                            const std::string& customer_id) {
    event.delivery_id = "del-" + order_id;
    event.order_id = order_id;
    event.customer_id = customer_id;
  }

  memory::SequentialIds ids_{"ev-"};
  Timestamp now_{std::chrono::milliseconds(1'800'000'000'000)};
};

struct DashboardFixture {
  memory::ManualClock clock;
  memory::MemoryDashboardStore store;
  std::unique_ptr<dashboard::DashboardApi> dashboard;

  explicit DashboardFixture(std::chrono::minutes utc_offset = std::chrono::minutes(0),
                            std::int64_t low_stock_threshold = 5)
      : dashboard(dashboard::make_dashboard_service(
            {store, clock, "KRW", low_stock_threshold, utc_offset})) {}

  void feed(const std::vector<EventEnvelope>& events) {
    for (const auto& event : events) dashboard->on_event(event);
  }
};

// The aggregate an event belongs to: its source and subject.
inline std::string aggregate_of(const EventEnvelope& event) {
  return event.source + " " + event.subject;
}

// Interleaves the aggregates at random (fixed seed) while keeping each
// aggregate's own events in order: all that the bus promises.
inline std::vector<EventEnvelope> shuffle_across_aggregates(
    const std::vector<EventEnvelope>& events, unsigned seed) {
  std::map<std::string, std::vector<EventEnvelope>> streams;
  for (const auto& event : events) streams[aggregate_of(event)].push_back(event);
  std::vector<std::pair<std::vector<EventEnvelope>, std::size_t>> pending;
  for (auto& [aggregate, stream] : streams) pending.push_back({std::move(stream), 0});
  std::mt19937 random(seed);
  std::vector<EventEnvelope> shuffled;
  while (!pending.empty()) {
    std::size_t pick = random() % pending.size();
    auto& [stream, next] = pending[pick];
    shuffled.push_back(stream[next++]);
    if (next == stream.size()) pending.erase(pending.begin() + pick);
  }
  return shuffled;
}

inline std::string describe(const dashboard::ProductView& product) {
  std::ostringstream out;
  out << product.id << " sku=" << product.sku << " name=" << product.name
      << " description=" << product.description << " price=" << product.price.amount
      << product.price.currency << " category=" << product.category
      << " active=" << product.active << " version=" << product.version
      << " on_hand=" << product.on_hand << " reserved=" << product.reserved
      << " available=" << product.available << " sequence=" << product.level_sequence;
  return out.str();
}

inline std::string describe(const dashboard::ShopSummary& summary) {
  std::ostringstream out;
  out << summary.date << " orders=" << summary.orders_today
      << " revenue=" << summary.revenue_today.amount << summary.revenue_today.currency
      << " refunded=" << summary.refunded_today.amount << summary.refunded_today.currency
      << " deliveries=[";
  for (const auto& [status, count] : summary.deliveries_by_status) {
    out << status << ":" << count << " ";
  }
  out << "] low=[";
  for (const auto& low : summary.low_stock) {
    out << low.product_id << "/" << low.name << ":" << low.available << "<="
        << low.low_stock_threshold << " ";
  }
  out << "]";
  return out.str();
}

// Every storefront product, page by page, as text.
inline std::vector<std::string> storefront(dashboard::DashboardApi& dashboard,
                                           const std::string& category = "") {
  std::vector<std::string> products;
  dashboard::ProductQuery query{category, "", 3};
  while (true) {
    auto page = dashboard.products(query);
    for (const auto& product : page.items) products.push_back(describe(product));
    if (!page.next_cursor) return products;
    query.cursor = *page.next_cursor;
  }
}

// The event names of a timeline, in its order.
inline std::vector<std::string> steps(const dashboard::OrderView& view) {
  std::vector<std::string> names;
  for (const auto& entry : view.timeline) names.push_back(entry.event);
  return names;
}

// Every field, readable in a failed CHECK and comparable as a whole.
inline std::string describe(const dashboard::OrderView& view) {
  std::ostringstream out;
  out << view.order_id << " customer=" << view.customer_id << " status=" << view.status
      << " reason=" << view.cancel_reason << " payment=" << view.payment_status
      << " delivery=" << view.delivery_status << " total=" << view.total.amount
      << view.total.currency << " timeline=[";
  for (const auto& entry : view.timeline) {
    out << entry.event << "@" << entry.at.time_since_epoch().count() << "#" << entry.event_id
        << " ";
  }
  out << "]";
  return out.str();
}

inline std::string describe(const dashboard::CustomerSummary& summary) {
  std::ostringstream out;
  out << summary.customer_id << " placed=" << summary.orders_placed
      << " active=" << summary.orders_active << " delivered=" << summary.orders_delivered
      << " cancelled=" << summary.orders_cancelled << " spent=" << summary.amount_spent.amount
      << summary.amount_spent.currency << " refunded=" << summary.amount_refunded.amount
      << summary.amount_refunded.currency;
  return out.str();
}

}  // namespace shop::testing
