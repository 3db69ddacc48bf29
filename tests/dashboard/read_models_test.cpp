#include <doctest/doctest.h>

#include <stdexcept>

#include "dashboard/dashboard_fixture.hpp"
#include "domain/shared/failure.hpp"

using namespace shop;
using shop::testing::DashboardFixture;
using shop::testing::krw;
using shop::testing::SagaEvents;
using shop::testing::steps;
using Steps = std::vector<std::string>;

TEST_CASE("dashboard: a delivered order's view shows every step in time order") {
  DashboardFixture f;
  SagaEvents saga;
  saga.placed("o-1", "c-1", 9000);
  saga.paid("o-1", "c-1", 9000);
  saga.delivered("o-1", "c-1");
  f.feed(saga.events);

  auto view = f.dashboard->order("o-1");
  CHECK(view.order_id == "o-1");
  CHECK(view.customer_id == "c-1");
  CHECK(view.status == "DELIVERED");
  CHECK(view.payment_status == "APPROVED");
  CHECK(view.delivery_status == "DELIVERED");
  CHECK(view.total == krw(9000));
  CHECK(view.cancel_reason.empty());
  CHECK(steps(view) == Steps{"order.placed", "payment.approved", "order.paid",
                             "delivery.requested", "delivery.status_changed",
                             "delivery.status_changed", "delivery.status_changed",
                             "order.in_delivery", "delivery.delivered", "order.delivered"});
  REQUIRE(view.timeline.size() == saga.events.size());
  for (std::size_t i = 0; i < saga.events.size(); ++i) {
    CHECK(view.timeline[i].at == saga.events[i].time);
    CHECK(view.timeline[i].event_id == saga.events[i].id);
  }
}

TEST_CASE("dashboard: the statuses follow each step of the saga") {
  DashboardFixture f;
  SagaEvents saga;
  saga.placed("o-1", "c-1", 4500);
  f.feed(saga.events);
  auto placed = f.dashboard->order("o-1");
  CHECK(placed.status == "PAYMENT_PENDING");
  CHECK(placed.payment_status.empty());
  CHECK(placed.delivery_status.empty());

  saga.events.clear();
  saga.paid("o-1", "c-1", 4500);
  f.feed(saga.events);
  auto paid = f.dashboard->order("o-1");
  CHECK(paid.status == "PAID");
  CHECK(paid.payment_status == "APPROVED");
  CHECK(paid.delivery_status == "REQUESTED");

  saga.events.clear();
  saga.delivered("o-1", "c-1");
  f.feed({saga.events.begin(), saga.events.begin() + 2});  // ACCEPTED, PREPARING
  CHECK(f.dashboard->order("o-1").delivery_status == "PREPARING");
  f.feed({saga.events.begin() + 2, saga.events.begin() + 4});  // DISPATCHED, in_delivery
  auto dispatched = f.dashboard->order("o-1");
  CHECK(dispatched.delivery_status == "DISPATCHED");
  CHECK(dispatched.status == "IN_DELIVERY");
  CHECK(f.dashboard->customer("c-1").orders_active == 1);
}

TEST_CASE("dashboard: a paid order cancelled with a refund") {
  DashboardFixture f;
  SagaEvents saga;
  saga.placed("o-2", "c-1", 4500);
  saga.paid("o-2", "c-1", 4500);
  saga.cancelled_paid("o-2", "c-1", 4500);
  f.feed(saga.events);

  auto view = f.dashboard->order("o-2");
  CHECK(view.status == "CANCELLED");
  CHECK(view.cancel_reason == "changed my mind");
  CHECK(view.payment_status == "CANCELLED");
  CHECK(view.delivery_status == "CANCELLED");
  CHECK(steps(view) == Steps{"order.placed", "payment.approved", "order.paid",
                             "delivery.requested", "order.cancelled", "payment.cancelled",
                             "delivery.cancelled"});
  auto summary = f.dashboard->customer("c-1");
  CHECK(summary.orders_placed == 1);
  CHECK(summary.orders_active == 0);
  CHECK(summary.orders_cancelled == 1);
  // Refunded, yet it was spent once.
  CHECK(summary.amount_spent == krw(4500));
  CHECK(summary.amount_refunded == krw(4500));
}

TEST_CASE("dashboard: a declined payment") {
  DashboardFixture f;
  SagaEvents saga;
  saga.placed("o-3", "c-1", 1000);
  saga.declined("o-3", "c-1", 1000);
  f.feed(saga.events);

  auto view = f.dashboard->order("o-3");
  CHECK(view.status == "PAYMENT_DECLINED");
  CHECK(view.payment_status == "DECLINED");
  CHECK(view.delivery_status.empty());
  CHECK(steps(view) == Steps{"order.placed", "payment.declined", "order.payment_declined"});
  auto summary = f.dashboard->customer("c-1");
  CHECK(summary.orders_placed == 1);
  CHECK(summary.orders_active == 0);
  CHECK(summary.amount_spent == krw(0));
}

TEST_CASE("dashboard: the customer summary over the saga scenarios") {
  DashboardFixture f;
  SagaEvents saga;
  saga.placed("o-1", "c-1", 9000);  // delivered
  saga.paid("o-1", "c-1", 9000);
  saga.delivered("o-1", "c-1");
  saga.placed("o-2", "c-1", 4500);  // cancelled and refunded
  saga.paid("o-2", "c-1", 4500);
  saga.cancelled_paid("o-2", "c-1", 4500);
  saga.placed("o-3", "c-1", 1000);  // declined
  saga.declined("o-3", "c-1", 1000);
  saga.placed("o-4", "c-1", 2000);  // paid, waiting for its delivery
  saga.paid("o-4", "c-1", 2000);
  saga.placed("o-5", "c-1", 3000);  // payment pending
  saga.pending("o-5", "c-1");
  saga.placed("o-6", "c-2", 7000);  // another customer's
  saga.paid("o-6", "c-2", 7000);
  f.feed(saga.events);

  auto summary = f.dashboard->customer("c-1");
  CHECK(summary.customer_id == "c-1");
  CHECK(summary.orders_placed == 5);
  CHECK(summary.orders_active == 2);
  CHECK(summary.orders_delivered == 1);
  CHECK(summary.orders_cancelled == 1);
  CHECK(summary.amount_spent == krw(9000 + 4500 + 2000));
  CHECK(summary.amount_refunded == krw(4500));

  auto other = f.dashboard->customer("c-2");
  CHECK(other.orders_placed == 1);
  CHECK(other.orders_active == 1);
  CHECK(other.amount_spent == krw(7000));
}

TEST_CASE("dashboard: a customer without orders has all zeros in the shop's currency") {
  DashboardFixture f;
  auto summary = f.dashboard->customer("c-9");
  CHECK(summary.customer_id == "c-9");
  CHECK(summary.orders_placed == 0);
  CHECK(summary.orders_active == 0);
  CHECK(summary.orders_delivered == 0);
  CHECK(summary.orders_cancelled == 0);
  CHECK(summary.amount_spent == krw(0));
  CHECK(summary.amount_refunded == krw(0));
}

TEST_CASE("dashboard: an order no event spoke of is not found") {
  DashboardFixture f;
  try {
    f.dashboard->order("o-missing");
    FAIL("expected not_found");
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::not_found);
  }
}

TEST_CASE("dashboard: an event delivered twice counts once") {
  DashboardFixture f;
  SagaEvents saga;
  saga.placed("o-1", "c-1", 9000);
  saga.paid("o-1", "c-1", 9000);
  f.feed(saga.events);
  f.feed(saga.events);  // the bus redelivers everything
  f.dashboard->on_event(saga.events[1]);

  auto view = f.dashboard->order("o-1");
  CHECK(view.timeline.size() == saga.events.size());
  auto summary = f.dashboard->customer("c-1");
  CHECK(summary.orders_placed == 1);
  CHECK(summary.amount_spent == krw(9000));
  CHECK(f.store.event_count() == std::int64_t(saga.events.size()));
}

TEST_CASE("dashboard: events it does not project are stored all the same") {
  DashboardFixture f;
  EventEnvelope stock{"ev-stock", "shop.stock.reserved.v1", "/shopbox/stock", "o-1",
                      Timestamp(std::chrono::milliseconds(5)), R"({"order_id":"o-1","lines":[]})"};
  f.dashboard->on_event(stock);
  CHECK(f.store.event_count() == 1);
  CHECK(f.store.stored_events(0, 10).at(0).event == stock);
  CHECK_FALSE(f.store.order_row("o-1"));
}

TEST_CASE("dashboard: a malformed event is refused and not stored") {
  DashboardFixture f;
  EventEnvelope broken{"ev-1", "shop.order.placed.v1", "/shopbox/order", "o-1",
                       Timestamp(std::chrono::milliseconds(5)), R"({"order_id":"o-1"})"};
  CHECK_THROWS(f.dashboard->on_event(broken));
  CHECK(f.store.event_count() == 0);
  CHECK_FALSE(f.store.order_row("o-1"));
}

TEST_CASE("dashboard: a batch of events is projected as its events one by one would be") {
  DashboardFixture one_by_one;
  DashboardFixture batched;
  SagaEvents saga;
  saga.placed("o-1", "c-1", 9000);
  saga.paid("o-1", "c-1", 9000);
  saga.placed("o-2", "c-1", 4000);
  one_by_one.feed(saga.events);
  batched.dashboard->on_events(saga.events);

  CHECK(batched.store.event_count() == std::int64_t(saga.events.size()));
  CHECK(batched.dashboard->order("o-1").timeline.size() ==
        one_by_one.dashboard->order("o-1").timeline.size());
  CHECK(batched.dashboard->customer("c-1").orders_placed == 2);
  CHECK(batched.dashboard->customer("c-1").amount_spent ==
        one_by_one.dashboard->customer("c-1").amount_spent);
}

TEST_CASE("dashboard: a batch with a malformed event is refused whole") {
  DashboardFixture f;
  SagaEvents saga;
  saga.placed("o-1", "c-1", 9000);
  EventEnvelope broken{"ev-broken", "shop.order.placed.v1", "/shopbox/order", "o-2",
                       Timestamp(std::chrono::milliseconds(5)), R"({"order_id":"o-2"})"};
  CHECK_THROWS(f.dashboard->on_events({saga.events[0], broken}));
  CHECK(f.store.event_count() == 0);
  CHECK_FALSE(f.store.order_row("o-1"));
}

TEST_CASE("dashboard: the timeline sorts by time, then event id, however events arrived") {
  DashboardFixture f;
  SagaEvents saga;
  saga.placed("o-1", "c-1", 9000);
  saga.paid("o-1", "c-1", 9000);
  auto events = saga.events;  // placed, approved, paid, requested
  // Two steps at the same instant: the event id decides.
  events[2].time = events[1].time;
  // Across aggregates only: the order's own events stay in their order.
  f.feed({events[3], events[1], events[0], events[2]});
  auto view = f.dashboard->order("o-1");
  CHECK(steps(view) == Steps{"order.placed", "payment.approved", "order.paid",
                             "delivery.requested"});
  CHECK(view.status == "PAID");
}
