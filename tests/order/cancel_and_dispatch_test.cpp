#include <doctest/doctest.h>

#include "application/delivery/events.hpp"
#include "domain/failure_check.hpp"
#include "order/order_fixture.hpp"

using namespace shop;
using namespace shop::testing;

TEST_CASE_FIXTURE(OrderFixture, "cancelling a paid order returns its units through the event") {
  auto id = orders->place(command(3)).order->id;
  auto cancelled = orders->cancel(id, "changed my mind");
  CHECK(cancelled.status == order::Status::cancelled);
  CHECK(cancelled.cancel_reason == "changed my mind");
  CHECK(on_hand("tea") == 7);  // until stock hears of it
  deliver_order_events_to_stock();
  deliver_order_events_to_stock();  // redelivery changes nothing
  CHECK(on_hand("tea") == 10);
  CHECK(available("tea") == 10);

  auto events = store.unpublished(100);
  auto event = order::decode_order_cancelled(events.back().event.data);
  CHECK(event.was_paid);
  CHECK(event.total == Money{13500, "KRW"});
}

TEST_CASE_FIXTURE(OrderFixture, "cancelling twice is a 409 that changes nothing") {
  auto id = orders->place(command(1)).order->id;
  orders->cancel(id, "once");
  auto events = order_events().size();
  CHECK_FAILURE(FailureKind::conflict, "already_cancelled", orders->cancel(id, "twice"));
  CHECK(orders->get(id).cancel_reason == "once");
  CHECK(order_events().size() == events);
}

TEST_CASE_FIXTURE(OrderFixture, "dispatch and cancel exclude each other") {
  auto first = orders->place(command(1)).order->id;
  orders->begin_dispatch(first);
  orders->begin_dispatch(first);  // again: no-op
  CHECK(orders->get(first).status == order::Status::in_delivery);
  CHECK_FAILURE(FailureKind::conflict, "dispatch_started", orders->cancel(first, "late"));

  auto second = orders->place(command(1)).order->id;
  orders->cancel(second, "early");
  CHECK_FAILURE(FailureKind::conflict, "order_cancelled", orders->begin_dispatch(second));
  CHECK_FAILURE(FailureKind::not_found, "order_not_found", orders->begin_dispatch("nope"));
}

TEST_CASE_FIXTURE(OrderFixture, "a delivered delivery makes the order DELIVERED, once") {
  auto id = orders->place(command(1)).order->id;
  orders->begin_dispatch(id);
  delivery::DeliveryDelivered delivered;
  delivered.delivery_id = "d-1";
  delivered.order_id = id;
  delivered.customer_id = "c-1";
  auto envelope = make_envelope(delivered, "e-delivered", clock.now());
  orders->on_delivery_event(envelope);
  orders->on_delivery_event(envelope);
  CHECK(orders->get(id).status == order::Status::delivered);
  auto types = order_events();
  CHECK(std::count(types.begin(), types.end(), "shop.order.delivered.v1") == 1);
}

TEST_CASE_FIXTURE(OrderFixture, "lists are newest first, filtered, paged") {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(orders->place(command(1)).order->id);
  orders->cancel(ids[1], "x");
  auto first = orders->list({std::nullopt, "", "", 2});
  REQUIRE(first.items.size() == 2);
  CHECK(first.items[0].id == ids[4]);
  CHECK(first.items[1].id == ids[3]);
  auto second = orders->list({std::nullopt, "", *first.next_cursor, 10});
  CHECK(second.items.size() == 3);
  CHECK_FALSE(second.next_cursor);
  auto cancelled = orders->list({order::Status::cancelled, "", "", 10});
  REQUIRE(cancelled.items.size() == 1);
  CHECK(cancelled.items[0].id == ids[1]);
  CHECK(orders->list({std::nullopt, "someone-else", "", 10}).items.empty());
}

TEST_CASE("an approval that lands after a deferred order was cancelled is refunded") {
  order::OrderSettings settings;
  settings.when_payment_unavailable = order::PaymentUnavailablePolicy::defer;
  OrderFixture f(settings);
  f.payments.answers = {payment::AuthorizationResult::unavailable,
                        payment::AuthorizationResult::approved};
  auto id = f.orders->place(f.command(1)).order->id;
  // While the background retry waits for the provider, the customer cancels
  // and the saga releases the stock; then the approval comes back.
  f.payments.during_authorize = [&] { f.orders->cancel(id, "changed my mind"); };
  f.clock.advance(std::chrono::seconds(11));
  f.orders->recover();
  CHECK(f.orders->get(id).status == order::Status::cancelled);
  CHECK(f.payments.refunded == std::vector<std::string>{id});
  CHECK(f.available("tea") == 10);
}
