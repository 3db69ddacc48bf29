#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/memory/delivery/memory_delivery_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/delivery/api.hpp"
#include "application/order/events.hpp"
#include "domain/shared/failure.hpp"

namespace shop::testing {

// A memory store that says whether a write transaction is open right now,
// so that a fake port can prove it is never called from inside one.
class WatchedDeliveryStore final : public delivery::DeliveryStore {
 public:
  void write(const std::function<void(delivery::DeliveryTransaction&)>& work) override {
    inner.write([&](delivery::DeliveryTransaction& tx) {
      writing = true;
      try {
        work(tx);
      } catch (...) {
        writing = false;
        throw;
      }
      writing = false;
    });
  }
  std::optional<delivery::Delivery> find(const std::string& delivery_id) override {
    return inner.find(delivery_id);
  }
  std::optional<delivery::Delivery> by_order(const std::string& order_id) override {
    return inner.by_order(order_id);
  }
  std::vector<delivery::Delivery> list(const delivery::DeliveryFilter& filter) override {
    return inner.list(filter);
  }

  memory::MemoryDeliveryStore inner;
  bool writing = false;
};

// The order module as delivery sees it: begin_dispatch, recorded, refused
// for the orders in `cancelled`, and checked to run outside our transactions.
class FakeDispatch final : public order::Dispatch {
 public:
  explicit FakeDispatch(const WatchedDeliveryStore& store) : store_(store) {}

  void begin_dispatch(const std::string& order_id) override {
    calls.push_back(order_id);
    if (store_.writing) called_inside_transaction = true;
    if (cancelled.contains(order_id)) {
      throw Failure(FailureKind::conflict, "order_cancelled", "order " + order_id + " was cancelled");
    }
  }

  std::vector<std::string> calls;
  std::set<std::string> cancelled;
  bool called_inside_transaction = false;

 private:
  const WatchedDeliveryStore& store_;
};

inline const order::DeliveryAddress kim_address{"Kim", "1 Sejong-daero", "Apt 101", "Seoul",
                                                "04524", "010-1234-5678"};

struct DeliveryFixture {
  WatchedDeliveryStore store;
  FakeDispatch dispatch{store};
  memory::ManualClock clock;
  memory::SequentialIds ids;
  memory::SequentialIds event_ids{"order-event-"};
  std::unique_ptr<delivery::DeliveryApi> deliveries =
      delivery::make_delivery_service({store, dispatch, clock, ids});

  EventEnvelope paid(const std::string& order_id, const std::string& customer_id = "c-1") {
    order::OrderPaid event;
    event.order_id = order_id;
    event.customer_id = customer_id;
    event.total = Money{9000, "KRW"};
    event.delivery_address = kim_address;
    return make_envelope(event, event_ids.next(), clock.now());
  }

  EventEnvelope cancelled(const std::string& order_id, const std::string& reason) {
    order::OrderCancelled event;
    event.order_id = order_id;
    event.customer_id = "c-1";
    event.reason = reason;
    event.was_paid = true;
    event.total = Money{9000, "KRW"};
    return make_envelope(event, event_ids.next(), clock.now());
  }

  // The delivery an order.paid event created.
  delivery::DeliveryView request(const std::string& order_id,
                                 const std::string& customer_id = "c-1") {
    deliveries->on_order_events({paid(order_id, customer_id)});
    return deliveries->get(store.by_order(order_id)->id());
  }

  // A delivery of a new order, moved along the path up to `status`.
  delivery::DeliveryView delivery_at(const std::string& order_id, delivery::DeliveryStatus status) {
    auto view = request(order_id);
    for (int step = 1; step <= static_cast<int>(status); ++step) {
      view = deliveries->advance(view.id, static_cast<delivery::DeliveryStatus>(step));
    }
    return view;
  }
};

}  // namespace shop::testing
