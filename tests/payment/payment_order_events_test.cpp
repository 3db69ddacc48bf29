#include <doctest/doctest.h>

#include "application/outbox_reading.hpp"
#include "application/payment/events.hpp"
#include "payment_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using payment::AuthorizationResult;
using payment::GatewayOutcome;
using payment::PaymentStatus;

TEST_CASE_FIXTURE(PaymentFixture,
                  "a cancelled paid order's refund is queued once, however often the event comes") {
  payments->authorize(request("o-1"));
  auto cancelled = order_cancelled("o-1", "ev-1");
  payments->on_order_event(cancelled);
  payments->on_order_event(cancelled);
  // Queued for the refunder: the relay does not wait on the provider.
  CHECK(refunds_queued == 1);
  CHECK(gateway.operations() == std::vector<std::string>{"charge"});
  CHECK(status_of("o-1") == PaymentStatus::refund_pending);
  // Handled through the inbox, in the transaction that queued the refund.
  store.write(
      [](payment::PaymentTransaction& tx) { CHECK_FALSE(tx.first_delivery("payment", "ev-1")); });

  CHECK(payments->retry_refunds() == 1);
  REQUIRE(gateway.operations() == std::vector<std::string>{"charge", "refund"});
  CHECK(gateway.calls[1].key == "o-1:refund");
  CHECK(status_of("o-1") == PaymentStatus::cancelled);
  CHECK(store.by_order("o-1")->data().refund_reason == "changed my mind");
  CHECK(pending_events(outbox(), payment::PaymentCancelled::type).size() == 1);
  CHECK(payments->retry_refunds() == 0);
}

TEST_CASE_FIXTURE(PaymentFixture, "a redelivered cancel does not count as another refund attempt") {
  payments->authorize(request("o-1"));
  gateway.refund_default = reply(GatewayOutcome::failed, "", "provider down");
  auto cancelled = order_cancelled("o-1", "ev-1");
  payments->on_order_event(cancelled);
  payments->on_order_event(cancelled);
  CHECK(payments->retry_refunds() == 0);
  CHECK(gateway.calls.size() == 2);
  CHECK(store.by_order("o-1")->data().refund_attempts == 1);
  CHECK(status_of("o-1") == PaymentStatus::refund_pending);
}

TEST_CASE_FIXTURE(PaymentFixture, "a cancel without a reason is refunded as order_cancelled") {
  payments->authorize(request("o-1"));
  payments->on_order_event(order_cancelled("o-1", "ev-1", ""));
  CHECK(store.by_order("o-1")->data().refund_reason == "order_cancelled");
}

TEST_CASE_FIXTURE(PaymentFixture, "other order events and unknown orders change nothing") {
  payments->authorize(request("o-1"));
  order::OrderPaid paid;
  paid.order_id = "o-1";
  paid.customer_id = "c-1";
  paid.total = nine_thousand;
  payments->on_order_event(make_envelope(paid, "ev-1", Timestamp{}));
  payments->on_order_event(order_cancelled("o-404", "ev-2"));
  CHECK(gateway.calls.size() == 1);
  CHECK(status_of("o-1") == PaymentStatus::approved);
  // The ignored event was not marked handled: a later cancel with that id
  // (impossible in practice) would still be seen.
  store.write([](payment::PaymentTransaction& tx) { CHECK(tx.first_delivery("payment", "ev-1")); });
}

TEST_CASE_FIXTURE(PaymentFixture,
                  "an approval that lands after the order was cancelled is refunded at once") {
  // The customer cancels while the charge of a deferred payment is in flight.
  gateway.during_call = [&] { payments->on_order_event(order_cancelled("o-1", "ev-1")); };
  auto answer = payments->authorize(request("o-1"));

  CHECK(answer.result == AuthorizationResult::approved);
  CHECK(gateway.operations() == std::vector<std::string>{"charge", "refund"});
  CHECK(status_of("o-1") == PaymentStatus::cancelled);
  CHECK(types_of(pending_events(outbox())) ==
        std::vector<std::string>{payment::PaymentApproved::type, payment::PaymentCancelled::type});
}

TEST_CASE_FIXTURE(PaymentFixture, "reconciliation refunds a charge found for a rejected order") {
  // The provider charges, but the answer is lost: the saga rejects the order.
  gateway.charges = {reply(GatewayOutcome::unknown, "", "read timeout")};
  CHECK(payments->authorize(request("o-1")).result == AuthorizationResult::unavailable);
  payments->on_order_event(order_cancelled("o-1", "ev-1", "payment_unavailable"));
  CHECK(status_of("o-1") == PaymentStatus::pending);
  CHECK(gateway.calls.size() == 1);

  // Reconciliation asks again with the same key: it was charged after all.
  CHECK(payments->retry_refunds() == 1);
  REQUIRE(gateway.operations() == std::vector<std::string>{"charge", "charge", "refund"});
  CHECK(gateway.calls[1].key == "o-1:charge");
  CHECK(gateway.calls[1].argument == "tok_ok");
  CHECK(gateway.calls[2].key == "o-1:refund");
  CHECK(status_of("o-1") == PaymentStatus::cancelled);
  CHECK(store.by_order("o-1")->data().refund_reason == "payment_unavailable");
  CHECK(types_of(pending_events(outbox())) ==
        std::vector<std::string>{payment::PaymentApproved::type, payment::PaymentCancelled::type});

  CHECK(payments->retry_refunds() == 0);
  CHECK(gateway.calls.size() == 3);
}

TEST_CASE_FIXTURE(PaymentFixture,
                  "reconciliation records a decline, and keeps asking while there is no answer") {
  gateway.charges = {reply(GatewayOutcome::unknown), reply(GatewayOutcome::unknown),
                     reply(GatewayOutcome::failed, "", "circuit open"),
                     reply(GatewayOutcome::declined, "", "card declined")};
  payments->authorize(request("o-1"));
  CHECK(payments->retry_refunds() == 0);
  CHECK(payments->retry_refunds() == 0);
  CHECK(status_of("o-1") == PaymentStatus::pending);
  CHECK(payments->retry_refunds() == 1);
  CHECK(status_of("o-1") == PaymentStatus::declined);
  CHECK(gateway.calls.size() == 4);
  CHECK(payments->retry_refunds() == 0);
  CHECK(gateway.calls.size() == 4);

  // The saga's own retry now gets the answer without a call.
  CHECK(payments->authorize(request("o-1")).result == AuthorizationResult::declined);
  CHECK(gateway.calls.size() == 4);
}

TEST_CASE_FIXTURE(PaymentFixture,
                  "reconciliation approves an unanswered charge of an order still waiting") {
  gateway.charges = {reply(GatewayOutcome::unknown)};
  payments->authorize(request("o-1"));
  CHECK(payments->retry_refunds() == 1);
  CHECK(status_of("o-1") == PaymentStatus::approved);
  CHECK(gateway.operations() == std::vector<std::string>{"charge", "charge"});
}

TEST_CASE_FIXTURE(PaymentFixture, "a charge that was provably not made is not reconciled") {
  gateway.charges = {reply(GatewayOutcome::failed, "", "provider down")};
  payments->authorize(request("o-1"));
  payments->on_order_event(order_cancelled("o-1", "ev-1", "payment_unavailable"));
  CHECK(payments->retry_refunds() == 0);
  CHECK(gateway.calls.size() == 1);
}
