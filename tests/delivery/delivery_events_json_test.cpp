#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "application/delivery/events.hpp"

using namespace shop::delivery;

namespace {

template <class Event>
Event with_base() {
  Event event;
  event.delivery_id = "d-1";
  event.order_id = "o-1";
  event.customer_id = "c-1";
  return event;
}

const std::string base_json = R"json("delivery_id":"d-1","order_id":"o-1","customer_id":"c-1")json";

template <class Event>
void check_base(const Event& event) {
  CHECK(event.delivery_id == "d-1");
  CHECK(event.order_id == "o-1");
  CHECK(event.customer_id == "c-1");
}

}  // namespace

TEST_CASE("DeliveryRequested has a fixed JSON shape and round-trips") {
  auto event = with_base<DeliveryRequested>();
  CHECK(std::string(DeliveryRequested::type) == "shop.delivery.requested.v1");
  CHECK(std::string(DeliveryRequested::source) == "/shopbox/delivery");
  CHECK(event.subject() == "d-1");
  CHECK(encode(event) == "{" + base_json + "}");
  check_base(decode_delivery_requested(encode(event)));
}

TEST_CASE("DeliveryStatusChanged has a fixed JSON shape and round-trips") {
  auto event = with_base<DeliveryStatusChanged>();
  event.from = "PREPARING";
  event.to = "DISPATCHED";
  CHECK(std::string(DeliveryStatusChanged::type) == "shop.delivery.status_changed.v1");
  CHECK(encode(event) == "{" + base_json + R"json(,"from":"PREPARING","to":"DISPATCHED"})json");
  auto decoded = decode_delivery_status_changed(encode(event));
  check_base(decoded);
  CHECK(decoded.from == "PREPARING");
  CHECK(decoded.to == "DISPATCHED");
}

TEST_CASE("DeliveryDelivered has a fixed JSON shape and round-trips") {
  auto event = with_base<DeliveryDelivered>();
  CHECK(std::string(DeliveryDelivered::type) == "shop.delivery.delivered.v1");
  CHECK(encode(event) == "{" + base_json + "}");
  check_base(decode_delivery_delivered(encode(event)));
}

TEST_CASE("DeliveryCancelled has a fixed JSON shape and round-trips") {
  auto event = with_base<DeliveryCancelled>();
  event.reason = "changed my mind";
  CHECK(std::string(DeliveryCancelled::type) == "shop.delivery.cancelled.v1");
  CHECK(encode(event) == "{" + base_json + R"json(,"reason":"changed my mind"})json");
  auto decoded = decode_delivery_cancelled(encode(event));
  check_base(decoded);
  CHECK(decoded.reason == "changed my mind");
}

TEST_CASE("delivery decoders refuse data that breaks the schema") {
  CHECK_THROWS_AS(decode_delivery_requested("{}"), std::runtime_error);
  CHECK_THROWS_AS(decode_delivery_requested("[]"), std::runtime_error);
  CHECK_THROWS_AS(decode_delivery_delivered(R"({"delivery_id":"d-1","order_id":"o-1"})"),
                  std::runtime_error);
  CHECK_THROWS_AS(decode_delivery_status_changed("{" + base_json + R"(,"from":"REQUESTED"})"),
                  std::runtime_error);
  CHECK_THROWS_AS(decode_delivery_cancelled("{" + base_json + "}"), std::runtime_error);
}
