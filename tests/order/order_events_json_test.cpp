#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "application/order/events.hpp"

using namespace shop::order;

// Found by fuzz_event_envelope: a missing total, address or unit price
// escaped as std::out_of_range, which consumers of bad data do not expect.
TEST_CASE("order decoders refuse missing nested fields with std::runtime_error") {
  const std::string base = R"("order_id":"o-1","customer_id":"u-1")";
  const std::string total = R"("total":{"amount":1,"currency":"KRW"})";
  const std::string address =
      R"("delivery_address":{"name":"K","line1":"1","line2":"","city":"S","postal_code":"0","phone":"0"})";
  CHECK_THROWS_AS(decode_order_paid("{" + base + "," + address + "}"), std::runtime_error);
  CHECK_THROWS_AS(decode_order_paid("{" + base + "," + total + "}"), std::runtime_error);
  CHECK_THROWS_AS(decode_order_cancelled("{" + base + R"(,"reason":"r","was_paid":true})"),
                  std::runtime_error);
  CHECK_THROWS_AS(
      decode_order_placed("{" + base + "," + total + "," + address +
                          R"(,"lines":[{"product_id":"p","sku":"s","name":"n","quantity":1}]})"),
      std::runtime_error);
  CHECK(decode_order_paid("{" + base + "," + total + "," + address + "}").total.amount == 1);
}
