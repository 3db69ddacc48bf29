#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "application/payment/events.hpp"

using namespace shop::payment;

namespace {

template <class Event>
Event sample() {
  Event event;
  event.payment_id = "pay-1";
  event.order_id = "o-1";
  event.amount = {9000, "KRW"};
  return event;
}

const std::string base_json =
    R"json("payment_id":"pay-1","order_id":"o-1","amount":{"amount":9000,"currency":"KRW"})json";

}  // namespace

TEST_CASE("PaymentApproved has a fixed JSON shape and round-trips") {
  auto event = sample<PaymentApproved>();
  CHECK(std::string(PaymentApproved::type) == "shop.payment.approved.v1");
  CHECK(std::string(PaymentApproved::source) == "/shopbox/payment");
  CHECK(event.subject() == "pay-1");
  CHECK(encode(event) == "{" + base_json + "}");
  auto decoded = decode_payment_approved(encode(event));
  CHECK(decoded.payment_id == "pay-1");
  CHECK(decoded.order_id == "o-1");
  CHECK(decoded.amount == event.amount);
}

TEST_CASE("PaymentDeclined has a fixed JSON shape and round-trips") {
  auto event = sample<PaymentDeclined>();
  event.reason = "card declined";
  CHECK(std::string(PaymentDeclined::type) == "shop.payment.declined.v1");
  CHECK(encode(event) == "{" + base_json + R"json(,"reason":"card declined"})json");
  auto decoded = decode_payment_declined(encode(event));
  CHECK(decoded.order_id == "o-1");
  CHECK(decoded.amount == event.amount);
  CHECK(decoded.reason == "card declined");
}

TEST_CASE("PaymentCancelled has a fixed JSON shape and round-trips") {
  auto event = sample<PaymentCancelled>();
  CHECK(std::string(PaymentCancelled::type) == "shop.payment.cancelled.v1");
  CHECK(encode(event) == "{" + base_json + "}");
  auto decoded = decode_payment_cancelled(encode(event));
  CHECK(decoded.payment_id == "pay-1");
  CHECK(decoded.amount == event.amount);
}

TEST_CASE("payment decoders refuse data that breaks the schema") {
  CHECK_THROWS_AS(decode_payment_approved("{}"), std::runtime_error);
  CHECK_THROWS_AS(
      decode_payment_cancelled(R"({"payment_id":"pay-1","order_id":"o-1","amount":9000})"),
      std::runtime_error);
  // A decline without its reason.
  CHECK_THROWS_AS(decode_payment_declined("{" + base_json + "}"), std::runtime_error);
  // Found by fuzz_event_envelope: a missing amount escaped as std::out_of_range.
  CHECK_THROWS_AS(decode_payment_approved(R"({"payment_id":"pay-1","order_id":"o-1"})"),
                  std::runtime_error);
}
