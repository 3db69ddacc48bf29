#include <doctest/doctest.h>

#include "domain/failure_check.hpp"
#include "order/order_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using order::PlacementResult;
using payment::AuthorizationResult;

TEST_CASE_FIXTURE(OrderFixture, "an approved order is paid and its units sold") {
  auto placement = orders->place(command(2, 1));
  REQUIRE(placement.result == PlacementResult::paid);
  REQUIRE(placement.order);
  CHECK(placement.order->status == order::Status::paid);
  CHECK(placement.order->total == Money{10000, "KRW"});
  CHECK(placement.order->lines[0].name == "Green tea");
  CHECK(on_hand("tea") == 8);
  CHECK(on_hand("cup") == 9);
  CHECK(stock->level("tea").reserved == 0);
  CHECK(order_events() ==
        std::vector<std::string>{"shop.order.placed.v1", "shop.order.paid.v1"});
  CHECK(orders->get(placement.order->id).status == order::Status::paid);
}

TEST_CASE_FIXTURE(OrderFixture, "lines of the same product are merged before pricing") {
  auto command = this->command(1);
  command.lines.push_back({"tea", 2});
  auto placement = orders->place(command);
  REQUIRE(placement.order);
  REQUIRE(placement.order->lines.size() == 1);
  CHECK(placement.order->lines[0].quantity == 3);
}

TEST_CASE_FIXTURE(OrderFixture, "too little stock: 409 shortages, nothing reserved, no visible order") {
  auto placement = orders->place(command(11, 1));
  CHECK(placement.result == PlacementResult::out_of_stock);
  CHECK_FALSE(placement.order);
  REQUIRE(placement.shortages.size() == 1);
  CHECK(placement.shortages[0].product_id == "tea");
  CHECK(placement.shortages[0].available == 10);
  CHECK(available("tea") == 10);
  CHECK(available("cup") == 10);
  CHECK(payments.authorized.empty());
  CHECK(orders->list({}).items.empty());
  CHECK(order_events().empty());
}

TEST_CASE_FIXTURE(OrderFixture, "an unknown product is refused before anything is written") {
  CHECK_INVALID_FIELD("items[0].product_id", orders->place([&] {
    auto c = command(1);
    c.lines[0].product_id = "nope";
    return c;
  }()));
  CHECK(store.unfinished(clock.now(), 10).empty());
}

TEST_CASE_FIXTURE(OrderFixture, "a declined payment: 402, PAYMENT_DECLINED, stock released") {
  payments.answers = {AuthorizationResult::declined};
  auto placement = orders->place(command(2));
  CHECK(placement.result == PlacementResult::payment_declined);
  REQUIRE(placement.order);
  CHECK(placement.order->status == order::Status::payment_declined);
  CHECK(placement.order->cancel_reason == "insufficient funds");
  CHECK(available("tea") == 10);
  CHECK(on_hand("tea") == 10);
  CHECK(order_events() ==
        std::vector<std::string>{"shop.order.placed.v1", "shop.order.payment_declined.v1"});
}

TEST_CASE("a gateway that cannot answer under reject: 503, cancelled, stock released") {
  OrderFixture f;
  f.payments.answers = {AuthorizationResult::unavailable};
  auto placement = f.orders->place(f.command(2));
  CHECK(placement.result == PlacementResult::unavailable);
  CHECK(placement.retry_after_seconds > 0);
  CHECK(placement.order->status == order::Status::cancelled);
  CHECK(placement.order->cancel_reason == "payment_unavailable");
  CHECK(f.available("tea") == 10);
}

TEST_CASE("a gateway that cannot answer under defer: 202, then paid once it recovers") {
  order::OrderSettings settings;
  settings.when_payment_unavailable = order::PaymentUnavailablePolicy::defer;
  OrderFixture f(settings);
  f.payments.answers = {AuthorizationResult::unavailable, AuthorizationResult::unavailable};
  auto placement = f.orders->place(f.command(2));
  CHECK(placement.result == PlacementResult::payment_pending);
  auto id = placement.order->id;
  CHECK(f.stock->level("tea").reserved == 2);

  CHECK(f.orders->recover() == 0);  // not due yet
  f.clock.advance(std::chrono::seconds(10));
  f.orders->recover();  // due: unavailable again, waits longer
  CHECK(f.orders->get(id).status == order::Status::payment_pending);
  f.clock.advance(std::chrono::seconds(20));
  CHECK(f.orders->recover() == 1);  // approved
  CHECK(f.orders->get(id).status == order::Status::paid);
  CHECK(f.on_hand("tea") == 8);
  CHECK(f.payments.authorized.size() == 3);
  CHECK(f.order_events() == std::vector<std::string>{"shop.order.placed.v1",
                                                     "shop.order.payment_pending.v1",
                                                     "shop.order.paid.v1"});
}

TEST_CASE("a deferred payment that never succeeds expires the order") {
  order::OrderSettings settings;
  settings.when_payment_unavailable = order::PaymentUnavailablePolicy::defer;
  settings.payment_pending_ttl = std::chrono::seconds(60);
  OrderFixture f(settings);
  for (int i = 0; i < 10; ++i) f.payments.answers.push_back(AuthorizationResult::unavailable);
  auto id = f.orders->place(f.command(2)).order->id;
  for (int i = 0; i < 5; ++i) {
    f.clock.advance(std::chrono::seconds(30));
    f.orders->recover();
  }
  auto order = f.orders->get(id);
  CHECK(order.status == order::Status::cancelled);
  CHECK(order.cancel_reason == "payment_expired");
  CHECK(f.available("tea") == 10);
}

TEST_CASE("a saga a crash left half-way is finished by recovery") {
  OrderFixture f;
  // As if the process died right after writing the saga record.
  auto start = order::Order::start("o-crash", "c-1",
                                   {{"tea", "TEA-1", "Green tea", Money{4500, "KRW"}, 1}},
                                   {"Kim", "1 Road", "", "Seoul", "04524", "010"}, "card",
                                   "tok_ok", f.clock.now());
  f.store.write([&](order::OrderTransaction& tx) { tx.save(start); });
  CHECK_FAILURE(FailureKind::not_found, "order_not_found", f.orders->get("o-crash"));
  // Within the grace period the saga may still be driven by its request.
  CHECK(f.orders->recover() == 0);
  f.clock.advance(std::chrono::seconds(11));
  CHECK(f.orders->recover() == 1);
  CHECK(f.orders->get("o-crash").status == order::Status::paid);
  CHECK(f.on_hand("tea") == 9);
  CHECK(f.orders->recover() == 0);
}

TEST_CASE("a deferred payment past its deadline expires without asking the gateway again") {
  order::OrderSettings settings;
  settings.when_payment_unavailable = order::PaymentUnavailablePolicy::defer;
  settings.payment_pending_ttl = std::chrono::seconds(30);
  OrderFixture f(settings);
  f.payments.answers = {AuthorizationResult::unavailable};
  auto id = f.orders->place(f.command(1)).order->id;
  f.clock.advance(std::chrono::seconds(31));
  f.orders->recover();
  CHECK(f.orders->get(id).cancel_reason == "payment_expired");
  CHECK(f.payments.authorized.size() == 1);
}

TEST_CASE("one saga that keeps failing does not stop recovery of the others") {
  OrderFixture f;
  auto poisoned = order::Order::start("o-1", "c-1", {{"tea", "T", "Tea", Money{4500, "KRW"}, 1}},
                                      {"Kim", "1 Road", "", "Seoul", "04524", "010"}, "card",
                                      "tok", f.clock.now());
  poisoned.stock_reserved(f.clock.now());
  poisoned.payment_approved(f.clock.now());  // confirming, but stock never reserved it
  auto healthy = order::Order::start("o-2", "c-1", {{"tea", "T", "Tea", Money{4500, "KRW"}, 1}},
                                     {"Kim", "1 Road", "", "Seoul", "04524", "010"}, "card",
                                     "tok", f.clock.now());
  f.store.write([&](order::OrderTransaction& tx) {
    tx.save(poisoned);
    tx.save(healthy);
  });
  f.clock.advance(std::chrono::seconds(11));
  f.orders->recover();
  CHECK(f.orders->get("o-2").status == order::Status::paid);
}
