#include <utility>

#include "application/dashboard/api.hpp"
#include "application/delivery/events.hpp"
#include "application/order/events.hpp"
#include "application/payment/events.hpp"
#include "domain/shared/failure.hpp"

namespace shop::dashboard {

namespace {

// Replay reads the stored events this many at a time.
constexpr std::size_t replay_batch = 500;

template <class Event>
Fact order_fact(const Event& event, const char* status) {
  Fact fact;
  fact.order_id = event.order_id;
  fact.customer_id = event.customer_id;
  fact.order_status = status;
  return fact;
}

template <class Event>
Fact payment_fact(const Event& event, const char* status) {
  Fact fact;
  fact.order_id = event.order_id;
  fact.payment_status = status;
  return fact;
}

template <class Event>
Fact delivery_fact(const Event& event, std::string status) {
  Fact fact;
  fact.order_id = event.order_id;
  fact.customer_id = event.customer_id;
  fact.delivery_status = std::move(status);
  return fact;
}

// What an event says about its order; nullopt for the types the dashboard
// does not project (yet). Throws std::runtime_error on malformed data.
std::optional<Fact> fact_of(const EventEnvelope& event) {
  const std::string& type = event.type;
  if (type == order::OrderPlaced::type) {
    auto placed = order::decode_order_placed(event.data);
    Fact fact = order_fact(placed, order_status::payment_pending);
    fact.total = placed.total;
    return fact;
  }
  if (type == order::OrderPaid::type) {
    auto paid = order::decode_order_paid(event.data);
    Fact fact = order_fact(paid, order_status::paid);
    fact.total = paid.total;
    return fact;
  }
  if (type == order::OrderPaymentDeclined::type) {
    return order_fact(order::decode_order_payment_declined(event.data),
                      order_status::payment_declined);
  }
  if (type == order::OrderPaymentPending::type) {
    return order_fact(order::decode_order_payment_pending(event.data),
                      order_status::payment_pending);
  }
  if (type == order::OrderCancelled::type) {
    auto cancelled = order::decode_order_cancelled(event.data);
    Fact fact = order_fact(cancelled, order_status::cancelled);
    fact.cancel_reason = cancelled.reason;
    fact.total = cancelled.total;
    return fact;
  }
  if (type == order::OrderInDelivery::type) {
    return order_fact(order::decode_order_in_delivery(event.data), order_status::in_delivery);
  }
  if (type == order::OrderDelivered::type) {
    return order_fact(order::decode_order_delivered(event.data), order_status::delivered);
  }
  if (type == payment::PaymentApproved::type) {
    auto approved = payment::decode_payment_approved(event.data);
    Fact fact = payment_fact(approved, payment_status::approved);
    fact.approved = approved.amount;
    return fact;
  }
  if (type == payment::PaymentDeclined::type) {
    return payment_fact(payment::decode_payment_declined(event.data), payment_status::declined);
  }
  if (type == payment::PaymentCancelled::type) {
    auto refunded = payment::decode_payment_cancelled(event.data);
    Fact fact = payment_fact(refunded, payment_status::cancelled);
    fact.refunded = refunded.amount;
    return fact;
  }
  if (type == delivery::DeliveryRequested::type) {
    return delivery_fact(delivery::decode_delivery_requested(event.data),
                         delivery_status::requested);
  }
  if (type == delivery::DeliveryStatusChanged::type) {
    auto changed = delivery::decode_delivery_status_changed(event.data);
    return delivery_fact(changed, changed.to);
  }
  if (type == delivery::DeliveryDelivered::type) {
    return delivery_fact(delivery::decode_delivery_delivered(event.data),
                         delivery_status::delivered);
  }
  if (type == delivery::DeliveryCancelled::type) {
    return delivery_fact(delivery::decode_delivery_cancelled(event.data),
                         delivery_status::cancelled);
  }
  return std::nullopt;
}

void project(DashboardTransaction& tx, const EventEnvelope& event, const Fact& fact) {
  OrderRow row = tx.order_row(fact.order_id).value_or(OrderRow{});
  tx.put_order_row(apply(std::move(row), fact));
  tx.add_timeline_entry(TimelineRow{fact.order_id, event.id, event_name(event.type), event.time});
}

class DashboardService final : public DashboardApi {
 public:
  explicit DashboardService(DashboardDependencies deps) : deps_(std::move(deps)) {}

  void on_event(const EventEnvelope& event) override {
    // Decoded before the transaction: malformed data fails without a write.
    auto fact = fact_of(event);
    deps_.store.write([&](DashboardTransaction& tx) {
      if (!tx.store_event(event)) return;
      if (fact) project(tx, event, *fact);
    });
  }

  OrderView order(const std::string& order_id) override {
    auto row = deps_.store.order_row(order_id);
    if (!row) {
      throw Failure(FailureKind::not_found, "order_not_found", "no order with id " + order_id);
    }
    OrderView view;
    view.order_id = row->order_id;
    view.customer_id = row->customer_id;
    view.status = row->status;
    view.cancel_reason = row->cancel_reason;
    view.payment_status = row->payment_status;
    view.delivery_status = row->delivery_status;
    view.total = row->total;
    for (auto& step : deps_.store.timeline(order_id)) {
      view.timeline.push_back(TimelineEntry{std::move(step.event), step.at,
                                            std::move(step.event_id)});
    }
    return view;
  }

  CustomerSummary customer(const std::string& customer_id) override {
    CustomerTotals totals = deps_.store.customer_totals(customer_id);
    const std::string& currency = totals.currency.empty() ? deps_.currency : totals.currency;
    CustomerSummary summary;
    summary.customer_id = customer_id;
    summary.orders_placed = totals.orders_placed;
    summary.orders_active = totals.orders_active;
    summary.orders_delivered = totals.orders_delivered;
    summary.orders_cancelled = totals.orders_cancelled;
    summary.amount_spent = Money{totals.amount_spent, currency};
    summary.amount_refunded = Money{totals.amount_refunded, currency};
    return summary;
  }

  // One transaction: live events wait meanwhile, so none is applied to a
  // half-rebuilt model and then replayed before its predecessors.
  std::int64_t replay(
      const std::function<void(std::int64_t, std::int64_t)>& progress) override {
    std::int64_t done = 0;
    deps_.store.write([&](DashboardTransaction& tx) {
      done = 0;
      tx.clear_read_models();
      const std::int64_t total = tx.event_count();
      if (progress) progress(0, total);
      std::int64_t after = 0;
      while (true) {
        auto batch = tx.stored_events(after, replay_batch);
        if (batch.empty()) break;
        for (const auto& stored : batch) {
          if (auto fact = fact_of(stored.event)) project(tx, stored.event, *fact);
          after = stored.position;
          ++done;
        }
        if (progress) progress(done, total);
      }
    });
    return done;
  }

 private:
  DashboardDependencies deps_;
};

}  // namespace

std::unique_ptr<DashboardApi> make_dashboard_service(DashboardDependencies dependencies) {
  return std::make_unique<DashboardService>(std::move(dependencies));
}

}  // namespace shop::dashboard
