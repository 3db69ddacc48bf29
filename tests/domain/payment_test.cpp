#include "domain/payment/payment.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "failure_check.hpp"

using namespace shop;
using namespace shop::payment;
using namespace std::chrono_literals;

namespace {

const Timestamp t0{std::chrono::milliseconds(1'800'000'000'000)};
const Money amount{9000, "KRW"};
const RefundPolicy policy{3, 1000ms};

Payment pending() { return Payment::start("pay-1", "o-1", "c-1", amount, "card", "tok_ok", t0); }

Payment approved() {
  auto payment = pending();
  payment.approve("ch-1", t0 + 1s);
  return payment;
}

Payment refund_pending() {
  auto payment = approved();
  payment.request_refund("changed my mind", t0 + 5s, t0 + 2s);
  return payment;
}

}  // namespace

TEST_CASE("a payment starts PENDING with what was asked") {
  auto payment = pending();
  const auto& d = payment.data();
  CHECK(d.id == "pay-1");
  CHECK(d.order_id == "o-1");
  CHECK(d.customer_id == "c-1");
  CHECK(d.amount == amount);
  CHECK(d.method == "card");
  CHECK(d.token == "tok_ok");
  CHECK(d.status == PaymentStatus::pending);
  CHECK_FALSE(d.charge_unknown);
  CHECK_FALSE(d.abandoned);
  CHECK(d.refund_attempts == 0);
  CHECK(d.created_at == t0);
  CHECK(d.updated_at == t0);
}

TEST_CASE("start refuses a bad order, amount, method or token") {
  CHECK_INVALID_FIELD("order_id", Payment::start("pay-1", "", "c-1", amount, "card", "t", t0));
  CHECK_INVALID_FIELD("customer_id", Payment::start("pay-1", "o-1", "", amount, "card", "t", t0));
  CHECK_INVALID_FIELD("amount.amount",
                      Payment::start("pay-1", "o-1", "c-1", {0, "KRW"}, "card", "t", t0));
  CHECK_INVALID_FIELD("amount.amount",
                      Payment::start("pay-1", "o-1", "c-1", {-5, "KRW"}, "card", "t", t0));
  CHECK_INVALID_FIELD("amount.currency",
                      Payment::start("pay-1", "o-1", "c-1", {5, "krw"}, "card", "t", t0));
  CHECK_INVALID_FIELD("payment.method", Payment::start("pay-1", "o-1", "c-1", amount, "", "t", t0));
  CHECK_INVALID_FIELD("payment.token",
                      Payment::start("pay-1", "o-1", "c-1", amount, "card", "", t0));
  CHECK_INVALID_FIELD("payment.token", Payment::start("pay-1", "o-1", "c-1", amount, "card",
                                                      std::string(201, 'x'), t0));
}

TEST_CASE("status names round-trip and unknown names are refused") {
  for (auto status :
       {PaymentStatus::pending, PaymentStatus::approved, PaymentStatus::declined,
        PaymentStatus::refund_pending, PaymentStatus::cancelled, PaymentStatus::refund_failed}) {
    CHECK(payment_status_from_string(to_string(status)) == status);
  }
  CHECK(std::string(to_string(PaymentStatus::refund_pending)) == "REFUND_PENDING");
  CHECK(std::string(to_string(PaymentStatus::cancelled)) == "CANCELLED");
  CHECK_FALSE(payment_status_from_string("pending"));
}

TEST_CASE("approve records the charge once; a repeated answer changes nothing") {
  auto payment = pending();
  payment.mark_unknown("timeout", t0 + 1s);
  CHECK(payment.approve("ch-1", t0 + 2s));
  CHECK(payment.status() == PaymentStatus::approved);
  CHECK(payment.data().charge_reference == "ch-1");
  CHECK_FALSE(payment.data().charge_unknown);
  CHECK(payment.data().failure_reason.empty());
  CHECK(payment.data().updated_at == t0 + 2s);

  CHECK_FALSE(payment.approve("ch-1", t0 + 3s));
  CHECK(payment.data().updated_at == t0 + 2s);
  // Refunded later, the approval is still known.
  auto refunded = refund_pending();
  CHECK_FALSE(refunded.approve("ch-1", t0 + 3s));
  CHECK(refunded.status() == PaymentStatus::refund_pending);
}

TEST_CASE("decline is final and contradicts an approval") {
  auto payment = pending();
  CHECK(payment.decline("card declined", t0 + 1s));
  CHECK(payment.status() == PaymentStatus::declined);
  CHECK(payment.data().failure_reason == "card declined");
  CHECK_FALSE(payment.decline("card declined", t0 + 2s));
  CHECK_FAILURE(FailureKind::conflict, "payment_state", payment.approve("ch-1", t0 + 2s));

  auto charged = approved();
  CHECK_FAILURE(FailureKind::conflict, "payment_state", charged.decline("late", t0 + 2s));
}

TEST_CASE("unknown and failed answers keep the payment pending") {
  auto payment = pending();
  CHECK(payment.mark_unknown("read timeout", t0 + 1s));
  CHECK(payment.status() == PaymentStatus::pending);
  CHECK(payment.data().charge_unknown);
  CHECK(payment.data().failure_reason == "read timeout");
  // A refusal now says nothing about the earlier unanswered call.
  CHECK(payment.mark_pending("circuit open", t0 + 2s));
  CHECK(payment.data().charge_unknown);
  CHECK(payment.data().failure_reason == "circuit open");

  auto fresh = pending();
  CHECK(fresh.mark_pending("provider down", t0 + 1s));
  CHECK_FALSE(fresh.data().charge_unknown);

  // Once a final answer is known, a late non-answer is ignored.
  auto charged = approved();
  CHECK_FALSE(charged.mark_unknown("timeout", t0 + 5s));
  CHECK_FALSE(charged.mark_pending("timeout", t0 + 5s));
  CHECK(charged.status() == PaymentStatus::approved);
  CHECK_FALSE(charged.data().charge_unknown);
}

TEST_CASE("a pending payment can be given up, and only a pending one") {
  auto payment = pending();
  CHECK(payment.cancel_pending("payment_unavailable", t0 + 1s));
  CHECK(payment.abandoned());
  CHECK(payment.status() == PaymentStatus::pending);
  CHECK(payment.data().refund_reason == "payment_unavailable");
  CHECK_FALSE(payment.cancel_pending("again", t0 + 2s));
  CHECK(payment.data().refund_reason == "payment_unavailable");
  // The approval still arrives: it is recorded, for the refund to follow.
  CHECK(payment.approve("ch-1", t0 + 3s));

  auto charged = approved();
  CHECK_FAILURE(FailureKind::conflict, "payment_state", charged.cancel_pending("x", t0 + 2s));
}

TEST_CASE("a refund is requested of an approved payment only, once") {
  auto payment = approved();
  CHECK(payment.request_refund("changed my mind", t0 + 7s, t0 + 2s));
  CHECK(payment.status() == PaymentStatus::refund_pending);
  CHECK(payment.data().refund_reason == "changed my mind");
  CHECK(payment.data().next_refund_at == t0 + 7s);
  CHECK_FALSE(payment.refund_due(t0 + 7s - 1ms));
  CHECK(payment.refund_due(t0 + 7s));
  CHECK_FALSE(payment.request_refund("again", t0 + 9s, t0 + 3s));
  CHECK(payment.data().next_refund_at == t0 + 7s);

  auto never_charged = pending();
  CHECK_FAILURE(FailureKind::conflict, "payment_state", never_charged.request_refund("x", t0, t0));
  auto declined = pending();
  declined.decline("no", t0);
  CHECK_FAILURE(FailureKind::conflict, "payment_state", declined.request_refund("x", t0, t0));
}

TEST_CASE("a refunded payment is CANCELLED, once") {
  auto payment = refund_pending();
  CHECK(payment.refunded("re-1", t0 + 3s));
  CHECK(payment.status() == PaymentStatus::cancelled);
  CHECK(payment.data().refund_reference == "re-1");
  CHECK_FALSE(payment.refund_due(t0 + 1h));
  CHECK_FALSE(payment.refunded("re-1", t0 + 4s));
  CHECK_FALSE(payment.request_refund("again", t0, t0));

  auto charged = approved();
  CHECK_FAILURE(FailureKind::conflict, "payment_state", charged.refunded("re-1", t0));
}

TEST_CASE("failed refund attempts back off, doubling, then give up at the bound") {
  auto payment = refund_pending();
  payment.refund_failed_attempt("provider down", policy, t0 + 10s);
  CHECK(payment.status() == PaymentStatus::refund_pending);
  CHECK(payment.data().refund_attempts == 1);
  CHECK(payment.data().failure_reason == "provider down");
  CHECK(payment.data().next_refund_at == t0 + 11s);

  payment.refund_failed_attempt("provider down", policy, t0 + 11s);
  CHECK(payment.data().next_refund_at == t0 + 13s);
  CHECK(payment.refund_due(t0 + 13s));

  payment.refund_failed_attempt("still down", policy, t0 + 13s);
  CHECK(payment.status() == PaymentStatus::refund_failed);
  CHECK(payment.data().refund_attempts == 3);
  CHECK_FALSE(payment.refund_due(t0 + 1h));
  CHECK_FAILURE(FailureKind::conflict, "payment_state",
                payment.refund_failed_attempt("again", policy, t0 + 20s));
  // Staff retried by hand and it went through.
  CHECK(payment.refunded("re-9", t0 + 1h));
  CHECK(payment.status() == PaymentStatus::cancelled);
}

TEST_CASE("backoff stays bounded however many attempts are allowed") {
  auto payment = refund_pending();
  RefundPolicy patient{1000, 1000ms};
  for (int i = 0; i < 100; ++i) payment.refund_failed_attempt("down", patient, t0);
  CHECK(payment.status() == PaymentStatus::refund_pending);
  CHECK(payment.data().next_refund_at > t0);
  CHECK(payment.data().next_refund_at <= t0 + 1000ms * 65536);
}

TEST_CASE("restore gives back exactly what was stored") {
  auto payment = refund_pending();
  payment.refund_failed_attempt("down", policy, t0 + 10s);
  auto copy = Payment::restore(payment.data());
  CHECK(copy.data().refund_attempts == 1);
  CHECK(copy.data().next_refund_at == payment.data().next_refund_at);
  CHECK(copy.status() == PaymentStatus::refund_pending);
  CHECK(copy.data().charge_reference == "ch-1");
}
