#include <doctest/doctest.h>

#include "application/outbox_reading.hpp"
#include "application/payment/events.hpp"
#include "domain/failure_check.hpp"
#include "payment_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using payment::AuthorizationResult;
using payment::GatewayOutcome;
using payment::PaymentStatus;

TEST_CASE_FIXTURE(PaymentFixture, "an approved charge is recorded and announced") {
  auto answer = payments->authorize(request("o-1"));
  CHECK(answer.result == AuthorizationResult::approved);
  CHECK_FALSE(answer.payment_id.empty());

  REQUIRE(gateway.calls.size() == 1);
  CHECK(gateway.calls[0].operation == "charge");
  CHECK(gateway.calls[0].key == "o-1:charge");
  CHECK(gateway.calls[0].amount == nine_thousand);
  CHECK(gateway.calls[0].argument == "tok_ok");

  auto views = payments->for_order("o-1");
  REQUIRE(views.size() == 1);
  CHECK(views[0].id == answer.payment_id);
  CHECK(views[0].status == PaymentStatus::approved);
  CHECK(views[0].customer_id == "c-1");
  CHECK(views[0].method == "card");
  CHECK(views[0].amount == nine_thousand);
  CHECK(store.by_order("o-1")->data().charge_reference == "ch-1");

  auto events = pending_events(outbox());
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == payment::PaymentApproved::type);
  CHECK(events[0].subject == answer.payment_id);
  auto approved = payment::decode_payment_approved(events[0].data);
  CHECK(approved.order_id == "o-1");
  CHECK(approved.amount == nine_thousand);
}

TEST_CASE_FIXTURE(PaymentFixture, "the gateway is never called inside a write transaction") {
  gateway.during_call = [&] {
    // PENDING is committed before the provider may charge.
    auto pending = store.by_order("o-1");
    REQUIRE(pending);
    CHECK(pending->status() == PaymentStatus::pending);
  };
  payments->authorize(request("o-1"));
  payments->refund("o-1", "changed my mind");
  REQUIRE(gateway.calls.size() == 2);
  for (const auto& call : gateway.calls) CHECK_FALSE(call.inside_write);
}

TEST_CASE_FIXTURE(PaymentFixture, "authorize is idempotent by order id") {
  auto first = payments->authorize(request("o-1"));
  auto second = payments->authorize(request("o-1"));
  CHECK(second.result == AuthorizationResult::approved);
  CHECK(second.payment_id == first.payment_id);
  CHECK(gateway.calls.size() == 1);
  CHECK(pending_events(outbox()).size() == 1);
  // Another order is another payment.
  CHECK(payments->authorize(request("o-2")).payment_id != first.payment_id);
  CHECK(gateway.calls.back().key == "o-2:charge");
}

TEST_CASE_FIXTURE(PaymentFixture, "a decline is final and answered again without the gateway") {
  gateway.charges = {reply(GatewayOutcome::declined, "", "card declined")};
  auto answer = payments->authorize(request("o-1"));
  CHECK(answer.result == AuthorizationResult::declined);
  CHECK(answer.reason == "card declined");
  CHECK(status_of("o-1") == PaymentStatus::declined);

  auto again = payments->authorize(request("o-1"));
  CHECK(again.result == AuthorizationResult::declined);
  CHECK(again.reason == "card declined");
  CHECK(gateway.calls.size() == 1);

  auto events = pending_events(outbox());
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == payment::PaymentDeclined::type);
  CHECK(payment::decode_payment_declined(events[0].data).reason == "card declined");
}

TEST_CASE("failed and unknown answers are unavailable and retried with the same key") {
  for (auto outcome : {GatewayOutcome::failed, GatewayOutcome::unknown}) {
    CAPTURE(static_cast<int>(outcome));
    PaymentFixture f;
    f.gateway.charges = {reply(outcome, "", "provider timeout")};
    auto answer = f.payments->authorize(f.request("o-1"));
    CHECK(answer.result == AuthorizationResult::unavailable);
    CHECK(answer.reason == "provider timeout");
    CHECK_FALSE(answer.payment_id.empty());
    CHECK(f.status_of("o-1") == PaymentStatus::pending);
    CHECK(f.payments->for_order("o-1")[0].failure_reason == "provider timeout");
    CHECK(f.store.by_order("o-1")->data().charge_unknown == (outcome == GatewayOutcome::unknown));
    CHECK(pending_events(f.outbox()).empty());

    // The saga asks again (a deferred payment): the same key, now approved.
    auto retried = f.payments->authorize(f.request("o-1"));
    CHECK(retried.result == AuthorizationResult::approved);
    CHECK(retried.payment_id == answer.payment_id);
    REQUIRE(f.gateway.calls.size() == 2);
    CHECK(f.gateway.calls[1].key == "o-1:charge");
    CHECK(f.status_of("o-1") == PaymentStatus::approved);
    CHECK_FALSE(f.store.by_order("o-1")->data().charge_unknown);
  }
}

TEST_CASE_FIXTURE(PaymentFixture,
                  "a failed retry does not forget that an earlier charge may have gone through") {
  gateway.charges = {reply(GatewayOutcome::unknown),
                     reply(GatewayOutcome::failed, "", "circuit open")};
  payments->authorize(request("o-1"));
  payments->authorize(request("o-1"));
  CHECK(store.by_order("o-1")->data().charge_unknown);
  CHECK(store.unknown_charges(10).size() == 1);
}

TEST_CASE_FIXTURE(PaymentFixture,
                  "a crash between the charge and its record is settled by asking again") {
  // PENDING commits, the provider charges, the process dies before the
  // answer is written.
  store.crash_on_write = 2;
  CHECK_THROWS(payments->authorize(request("o-1")));
  CHECK(status_of("o-1") == PaymentStatus::pending);

  // The resumed saga asks again with the same key; the provider answers
  // what it did the first time.
  CHECK(payments->authorize(request("o-1")).result == AuthorizationResult::approved);
  REQUIRE(gateway.calls.size() == 2);
  CHECK(gateway.calls[0].key == gateway.calls[1].key);
  CHECK(pending_events(outbox()).size() == 1);
}

TEST_CASE_FIXTURE(PaymentFixture, "a gateway that throws is an unknown answer, not an error") {
  gateway.throw_next = true;
  auto answer = payments->authorize(request("o-1"));
  CHECK(answer.result == AuthorizationResult::unavailable);
  CHECK(answer.reason == "connection reset");
  CHECK(store.by_order("o-1")->data().charge_unknown);
}

TEST_CASE_FIXTURE(PaymentFixture,
                  "authorize refuses a malformed request and another amount for an order") {
  CHECK_INVALID_FIELD("order_id", payments->authorize(request("")));
  CHECK_INVALID_FIELD("amount.amount", payments->authorize(request("o-1", {0, "KRW"})));
  CHECK_INVALID_FIELD("amount.currency", payments->authorize(request("o-1", {10, "won"})));
  auto no_token = request("o-1");
  no_token.token.clear();
  CHECK_INVALID_FIELD("payment.token", payments->authorize(no_token));
  CHECK(gateway.calls.empty());
  CHECK(payments->for_order("o-1").empty());

  payments->authorize(request("o-1"));
  CHECK_FAILURE(FailureKind::conflict, "payment_mismatch",
                payments->authorize(request("o-1", {9001, "KRW"})));
  CHECK(gateway.calls.size() == 1);
}

TEST_CASE_FIXTURE(PaymentFixture, "an order without a payment has none to show") {
  CHECK(payments->for_order("o-404").empty());
}
