#include <doctest/doctest.h>

#include "application/outbox_reading.hpp"
#include "application/payment/events.hpp"
#include "payment_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using namespace std::chrono_literals;
using payment::AuthorizationResult;
using payment::GatewayOutcome;
using payment::PaymentStatus;

namespace {

payment::PaymentSettings backoff_of_one_second(int max_attempts = 8) {
  payment::PaymentSettings settings;
  settings.refund_max_attempts = max_attempts;
  settings.refund_backoff = 1s;
  return settings;
}

}  // namespace

TEST_CASE_FIXTURE(PaymentFixture,
                  "a refund uses the refund key and the charge, and cancels the payment") {
  auto charged = payments->authorize(request("o-1"));
  payments->refund("o-1", "changed my mind");

  REQUIRE(gateway.calls.size() == 2);
  CHECK(gateway.calls[1].operation == "refund");
  CHECK(gateway.calls[1].key == "o-1:refund");
  CHECK(gateway.calls[1].amount == nine_thousand);
  CHECK(gateway.calls[1].argument == "ch-1");
  CHECK(status_of("o-1") == PaymentStatus::cancelled);
  CHECK(store.by_order("o-1")->data().refund_reference == "re-1");
  CHECK(store.by_order("o-1")->data().refund_reason == "changed my mind");

  auto cancelled = pending_events(outbox(), payment::PaymentCancelled::type);
  REQUIRE(cancelled.size() == 1);
  CHECK(cancelled[0].subject == charged.payment_id);
  CHECK(payment::decode_payment_cancelled(cancelled[0].data).order_id == "o-1");

  // Refunded already: nothing more to do, and the charge stays answered.
  payments->refund("o-1", "again");
  CHECK(gateway.calls.size() == 2);
  CHECK(payments->authorize(request("o-1")).result == AuthorizationResult::approved);
  CHECK(gateway.calls.size() == 2);
  CHECK(pending_events(outbox()).size() == 2);
}

TEST_CASE_FIXTURE(PaymentFixture, "refunding what was never charged calls no gateway") {
  payments->refund("o-404", "no such payment");
  gateway.charges = {reply(GatewayOutcome::declined, "", "card declined")};
  payments->authorize(request("o-1"));
  payments->refund("o-1", "declined anyway");
  CHECK(status_of("o-1") == PaymentStatus::declined);
  CHECK(gateway.operations() == std::vector<std::string>{"charge"});
}

TEST_CASE("a failed refund is retried with doubling backoff until it goes through") {
  PaymentFixture f(backoff_of_one_second());
  f.payments->authorize(f.request("o-1"));
  f.gateway.refunds = {reply(GatewayOutcome::failed, "", "provider down"),
                       reply(GatewayOutcome::unknown), reply(GatewayOutcome::declined)};
  f.payments->refund("o-1", "changed my mind");
  CHECK(f.status_of("o-1") == PaymentStatus::refund_pending);
  CHECK(f.payments->for_order("o-1")[0].failure_reason == "provider down");
  auto refund_calls = [&] { return f.gateway.calls.size() - 1; };
  CHECK(refund_calls() == 1);

  // Not due before the backoff; then 1s, 2s and 4s apart.
  CHECK(f.payments->retry_refunds() == 0);
  CHECK(refund_calls() == 1);
  f.clock.advance(1s);
  CHECK(f.payments->retry_refunds() == 0);
  CHECK(refund_calls() == 2);
  f.clock.advance(1999ms);
  f.payments->retry_refunds();
  CHECK(refund_calls() == 2);
  f.clock.advance(1ms);
  f.payments->retry_refunds();
  CHECK(refund_calls() == 3);
  f.clock.advance(4s);
  CHECK(f.payments->retry_refunds() == 1);
  CHECK(refund_calls() == 4);
  CHECK(f.status_of("o-1") == PaymentStatus::cancelled);
  for (std::size_t i = 1; i < f.gateway.calls.size(); ++i) {
    CHECK(f.gateway.calls[i].key == "o-1:refund");
  }
  CHECK(pending_events(f.outbox(), payment::PaymentCancelled::type).size() == 1);

  f.clock.advance(1h);
  CHECK(f.payments->retry_refunds() == 0);
  CHECK(refund_calls() == 4);
}

TEST_CASE("a refund that keeps failing is REFUND_FAILED after the bound, for staff") {
  PaymentFixture f(backoff_of_one_second(3));
  f.payments->authorize(f.request("o-1"));
  f.gateway.refund_default = reply(GatewayOutcome::failed, "", "provider down");
  f.payments->refund("o-1", "changed my mind");
  f.clock.advance(1s);
  CHECK(f.payments->retry_refunds() == 0);
  CHECK(f.status_of("o-1") == PaymentStatus::refund_pending);
  f.clock.advance(2s);
  CHECK(f.payments->retry_refunds() == 1);
  CHECK(f.status_of("o-1") == PaymentStatus::refund_failed);
  CHECK(f.store.by_order("o-1")->data().refund_attempts == 3);

  // Given up: no more calls, and a new refund request changes nothing.
  f.clock.advance(24h);
  f.payments->retry_refunds();
  f.payments->refund("o-1", "try again");
  CHECK(f.gateway.calls.size() == 4);
  CHECK(f.status_of("o-1") == PaymentStatus::refund_failed);
  CHECK(pending_events(f.outbox(), payment::PaymentCancelled::type).empty());
}

TEST_CASE_FIXTURE(PaymentFixture,
                  "a crash after REFUND_PENDING was written is finished by the retry pass") {
  payments->authorize(request("o-1"));
  // REFUND_PENDING commits, the provider refunds, and the process dies
  // before the answer is recorded.
  store.crash_on_write = 2;
  CHECK_THROWS(payments->refund("o-1", "changed my mind"));
  CHECK(gateway.calls.size() == 2);
  CHECK(status_of("o-1") == PaymentStatus::refund_pending);

  // Not taken over while the first call may still be in flight.
  CHECK(payments->retry_refunds() == 0);
  CHECK(gateway.calls.size() == 2);
  clock.advance(std::chrono::seconds(payment::PaymentSettings{}.refund_backoff));
  CHECK(payments->retry_refunds() == 1);
  CHECK(status_of("o-1") == PaymentStatus::cancelled);
  CHECK(gateway.calls.back().key == "o-1:refund");
}

TEST_CASE_FIXTURE(PaymentFixture,
                  "refunding a payment still without an answer gives the charge up") {
  gateway.charges = {reply(GatewayOutcome::failed, "", "provider down")};
  payments->authorize(request("o-1"));
  payments->refund("o-1", "payment_unavailable");
  CHECK(status_of("o-1") == PaymentStatus::pending);
  CHECK(store.by_order("o-1")->abandoned());

  // A late retry of the saga must not charge a given-up order.
  auto answer = payments->authorize(request("o-1"));
  CHECK(answer.result == AuthorizationResult::declined);
  CHECK(answer.reason == "payment_cancelled");
  CHECK(gateway.calls.size() == 1);
}
