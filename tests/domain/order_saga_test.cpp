#include <doctest/doctest.h>

#include "domain/order/order.hpp"
#include "failure_check.hpp"

using namespace shop;
using namespace shop::order;

// The saga as a pure state machine: given the state and a step's reply,
// the next request to another module. No I/O anywhere.
namespace {

Timestamp at(std::int64_t seconds) { return Timestamp(std::chrono::seconds(seconds)); }

Order fresh() {
  return Order::start("o-1", "c-1",
                      {{"p-1", "TEA", "Green tea", Money{4500, "KRW"}, 2},
                       {"p-2", "CUP", "Cup", Money{1000, "KRW"}, 1}},
                      Address{"Kim", "1 Road", "", "Seoul", "04524", "010-1234"}, "card", "tok_ok",
                      at(0));
}

Order paid() {
  Order order = fresh();
  order.stock_reserved(at(1));
  order.payment_approved(at(2));
  order.stock_confirmed(at(3));
  return order;
}

Order deferred() {
  Order order = fresh();
  order.stock_reserved(at(1));
  order.payment_unavailable(true, at(10), at(600), at(2));
  return order;
}

}  // namespace

TEST_CASE("a new order prices its lines, is invisible, and first asks for stock") {
  Order order = fresh();
  CHECK(order.data().total == Money{10000, "KRW"});
  CHECK_FALSE(order.visible());
  CHECK(order.next_action(at(0)) == Action::reserve_stock);
}

TEST_CASE("bad orders are refused before anything happens") {
  Address address{"Kim", "1 Road", "", "Seoul", "04524", "010-1234"};
  CHECK_INVALID_FIELD("items", Order::start("o", "c", {}, address, "card", "tok", at(0)));
  CHECK_INVALID_FIELD("items[0].quantity",
                      Order::start("o", "c", {{"p", "S", "N", Money{1, "KRW"}, 0}}, address,
                                   "card", "tok", at(0)));
  CHECK_INVALID_FIELD("items[1].product_id",
                      Order::start("o", "c",
                                   {{"p", "S", "N", Money{1, "KRW"}, 1},
                                    {"q", "S", "N", Money{1, "USD"}, 1}},
                                   address, "card", "tok", at(0)));
  address.city = "";
  CHECK_INVALID_FIELD("delivery_address.city",
                      Order::start("o", "c", {{"p", "S", "N", Money{1, "KRW"}, 1}}, address,
                                   "card", "tok", at(0)));
}

TEST_CASE("the happy path: reserve, authorize, confirm, paid") {
  Order order = fresh();
  order.stock_reserved(at(1));
  CHECK(order.visible());
  CHECK(order.status() == Status::payment_pending);
  CHECK(order.next_action(at(1)) == Action::authorize_payment);
  order.payment_approved(at(2));
  CHECK(order.next_action(at(2)) == Action::confirm_stock);
  order.stock_confirmed(at(3));
  CHECK(order.status() == Status::paid);
  CHECK(order.paid());
  CHECK(order.next_action(at(3)) == Action::none);
}

TEST_CASE("short stock rejects the order without ever showing it") {
  Order order = fresh();
  order.stock_short(at(1));
  CHECK(order.status() == Status::rejected);
  CHECK_FALSE(order.visible());
  CHECK(order.next_action(at(1)) == Action::none);
}

TEST_CASE("a declined payment releases the stock") {
  Order order = fresh();
  order.stock_reserved(at(1));
  order.payment_declined("card declined", at(2));
  CHECK(order.status() == Status::payment_declined);
  CHECK(order.next_action(at(2)) == Action::release_stock);
  order.stock_released(at(3));
  CHECK(order.next_action(at(3)) == Action::none);
}

TEST_CASE("an unavailable gateway under reject cancels and releases") {
  Order order = fresh();
  order.stock_reserved(at(1));
  order.payment_unavailable(false, at(10), at(600), at(2));
  CHECK(order.status() == Status::cancelled);
  CHECK(order.data().cancel_reason == "payment_unavailable");
  CHECK(order.next_action(at(2)) == Action::release_stock);
}

TEST_CASE("an unavailable gateway under defer waits, retries, and expires") {
  Order order = deferred();
  CHECK(order.status() == Status::payment_pending);
  CHECK(order.next_action(at(9)) == Action::none);
  CHECK(order.next_action(at(10)) == Action::authorize_payment);
  order.payment_unavailable(true, at(50), at(9999), at(10));
  // The first deadline holds: retrying does not extend it.
  CHECK(order.data().payment_deadline == at(600));
  order.payment_unavailable(true, at(700), at(9999), at(600));
  CHECK(order.status() == Status::cancelled);
  CHECK(order.data().cancel_reason == "payment_expired");
  CHECK(order.next_action(at(600)) == Action::release_stock);
}

TEST_CASE("a late approval after the reservation ran out is refunded") {
  Order order = fresh();
  order.stock_reserved(at(1));
  order.payment_approved(at(2));
  order.stock_expired(at(3));
  CHECK(order.status() == Status::cancelled);
  CHECK(order.data().cancel_reason == "stock_expired");
  CHECK(order.next_action(at(3)) == Action::refund_payment);
  order.payment_refunded(at(4));
  CHECK(order.next_action(at(4)) == Action::release_stock);
}

TEST_CASE("replies that do not fit the step are refused and change nothing") {
  Order order = fresh();
  CHECK_FAILURE(FailureKind::conflict, "saga_state", order.payment_approved(at(1)));
  CHECK_FAILURE(FailureKind::conflict, "saga_state", order.stock_confirmed(at(1)));
  CHECK(order.step() == Step::reserving);
  Order done = paid();
  CHECK_FAILURE(FailureKind::conflict, "saga_state", done.stock_reserved(at(9)));
  CHECK(done.status() == Status::paid);
}

TEST_CASE("cancel: paid and deferred orders only, once, never after dispatch") {
  Order order = paid();
  order.cancel("changed my mind", at(5));
  CHECK(order.status() == Status::cancelled);
  CHECK(order.next_action(at(5)) == Action::none);  // compensation follows by events
  CHECK_FAILURE(FailureKind::conflict, "already_cancelled", order.cancel("again", at(6)));

  Order waiting = deferred();
  waiting.cancel("", at(5));
  CHECK(waiting.data().cancel_reason == "cancelled");
  CHECK(waiting.next_action(at(5)) == Action::release_stock);

  Order dispatched = paid();
  CHECK(dispatched.begin_dispatch(at(5)));
  CHECK_FAILURE(FailureKind::conflict, "dispatch_started", dispatched.cancel("late", at(6)));
  CHECK(dispatched.status() == Status::in_delivery);

  Order placing = fresh();
  placing.stock_reserved(at(1));
  CHECK_FAILURE(FailureKind::conflict, "order_in_progress", placing.cancel("now", at(2)));
}

TEST_CASE("an approval that races a cancel of a deferred order is refunded") {
  Order order = deferred();
  order.cancel("changed my mind", at(20));
  order.payment_approved(at(21));
  CHECK(order.status() == Status::cancelled);
  CHECK(order.next_action(at(21)) == Action::refund_payment);
}

TEST_CASE("dispatch and delivery, each idempotent; a cancelled order is never dispatched") {
  Order order = paid();
  CHECK(order.begin_dispatch(at(5)));
  CHECK_FALSE(order.begin_dispatch(at(6)));
  CHECK(order.delivered(at(7)));
  CHECK_FALSE(order.delivered(at(8)));
  CHECK(order.status() == Status::delivered);

  Order cancelled = paid();
  cancelled.cancel("no", at(5));
  CHECK_FAILURE(FailureKind::conflict, "order_cancelled", cancelled.begin_dispatch(at(6)));
  Order unpaid = deferred();
  CHECK_FAILURE(FailureKind::conflict, "order_not_paid", unpaid.begin_dispatch(at(6)));
}

TEST_CASE("a declined order takes no second payment answer") {
  Order order = fresh();
  order.stock_reserved(at(1));
  order.payment_declined("no funds", at(2));
  CHECK_FAILURE(FailureKind::conflict, "saga_state", order.payment_unavailable(false, at(9), at(600), at(3)));
  CHECK_FAILURE(FailureKind::conflict, "saga_state", order.payment_approved(at(3)));
  CHECK(order.status() == Status::payment_declined);
}

TEST_CASE("a deferred retry never waits past the deadline, and free orders are refused") {
  Order order = fresh();
  order.stock_reserved(at(1));
  order.payment_unavailable(true, at(9000), at(600), at(2));
  CHECK(order.data().retry_at == at(600));
  Address address{"Kim", "1 Road", "", "Seoul", "04524", "010-1234"};
  CHECK_INVALID_FIELD("items", Order::start("o", "c", {{"p", "S", "N", Money{0, "KRW"}, 1}}, address,
                                            "card", "tok", at(0)));
}
