#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "adapters/memory/dashboard/memory_dashboard_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/dashboard/api.hpp"
#include "application/delivery/events.hpp"
#include "application/order/events.hpp"
#include "application/payment/events.hpp"

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

  Timestamp now() const { return now_; }

 private:
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
  std::unique_ptr<dashboard::DashboardApi> dashboard =
      dashboard::make_dashboard_service({store, clock, "KRW"});

  void feed(const std::vector<EventEnvelope>& events) {
    for (const auto& event : events) dashboard->on_event(event);
  }
};

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
