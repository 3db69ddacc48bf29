#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "application/stock/events.hpp"

using namespace shop::stock;

namespace {

const LevelChange level{"p-1", 5, 20, 5, 15, 42};
const char* const level_json =
    R"json("product_id":"p-1","quantity":5,"on_hand":20,"reserved":5,"available":15,"sequence":42)json";

template <class Movement>
Movement movement() {
  Movement event;
  event.order_id = "o-1";
  event.lines = {{"p-1", 2, 10, 2, 8, 7}, {"p-2", 1, 4, 1, 3, 8}};
  return event;
}

const std::string lines_json =
    R"json("order_id":"o-1","lines":[{"product_id":"p-1","quantity":2,"on_hand":10,"reserved":2,"available":8,"sequence":7},{"product_id":"p-2","quantity":1,"on_hand":4,"reserved":1,"available":3,"sequence":8}])json";

}  // namespace

TEST_CASE("StockRestocked has a fixed JSON shape and round-trips") {
  StockRestocked event{level};
  CHECK(std::string(StockRestocked::type) == "shop.stock.restocked.v1");
  CHECK(event.subject() == "p-1");
  CHECK(encode(event) == std::string("{") + level_json + "}");
  CHECK(decode_stock_restocked(encode(event)).level == level);
}

TEST_CASE("StockAdjusted has a fixed JSON shape and round-trips") {
  StockAdjusted event{{"p-1", -3, 20, 5, 15, 9}, 23};
  CHECK(std::string(StockAdjusted::type) == "shop.stock.adjusted.v1");
  CHECK(encode(event) ==
        R"json({"product_id":"p-1","quantity":-3,"on_hand":20,"reserved":5,"available":15,"sequence":9,"previous_on_hand":23})json");
  auto decoded = decode_stock_adjusted(encode(event));
  CHECK(decoded.level == event.level);
  CHECK(decoded.previous_on_hand == 23);
}

TEST_CASE("StockLow has a fixed JSON shape and round-trips") {
  StockLow event{level, 15};
  CHECK(std::string(StockLow::type) == "shop.stock.low.v1");
  CHECK(encode(event) == std::string("{") + level_json + R"json(,"low_stock_threshold":15})json");
  auto decoded = decode_stock_low(encode(event));
  CHECK(decoded.level == level);
  CHECK(decoded.low_stock_threshold == 15);
}

TEST_CASE("StockReserved has a fixed JSON shape and round-trips") {
  auto event = movement<StockReserved>();
  CHECK(std::string(StockReserved::type) == "shop.stock.reserved.v1");
  CHECK(event.subject() == "o-1");
  CHECK(encode(event) == "{" + lines_json + "}");
  auto decoded = decode_stock_reserved(encode(event));
  CHECK(decoded.order_id == "o-1");
  CHECK(decoded.lines == event.lines);
}

TEST_CASE("StockReleased has a fixed JSON shape and round-trips") {
  auto event = movement<StockReleased>();
  event.reason = "expired";
  CHECK(std::string(StockReleased::type) == "shop.stock.released.v1");
  CHECK(encode(event) == "{" + lines_json + R"json(,"reason":"expired"})json");
  auto decoded = decode_stock_released(encode(event));
  CHECK(decoded.order_id == "o-1");
  CHECK(decoded.lines == event.lines);
  CHECK(decoded.reason == "expired");
}

TEST_CASE("StockSold has a fixed JSON shape and round-trips") {
  auto event = movement<StockSold>();
  CHECK(std::string(StockSold::type) == "shop.stock.sold.v1");
  CHECK(encode(event) == "{" + lines_json + "}");
  auto decoded = decode_stock_sold(encode(event));
  CHECK(decoded.order_id == "o-1");
  CHECK(decoded.lines == event.lines);
}

TEST_CASE("StockReturned has a fixed JSON shape and round-trips") {
  auto event = movement<StockReturned>();
  CHECK(std::string(StockReturned::type) == "shop.stock.returned.v1");
  CHECK(encode(event) == "{" + lines_json + "}");
  auto decoded = decode_stock_returned(encode(event));
  CHECK(decoded.order_id == "o-1");
  CHECK(decoded.lines == event.lines);
}

TEST_CASE("an order movement with no lines encodes an empty array") {
  StockSold event;
  event.order_id = "o-9";
  CHECK(encode(event) == R"json({"order_id":"o-9","lines":[]})json");
  CHECK(decode_stock_sold(encode(event)).lines.empty());
}

TEST_CASE("stock decoders refuse data that breaks the schema") {
  CHECK_THROWS_AS(decode_stock_restocked("{}"), std::runtime_error);
  CHECK_THROWS_AS(decode_stock_low(R"({"product_id":"p-1","quantity":1,"on_hand":1,"reserved":0,"available":1})"),
                  std::runtime_error);
  CHECK_THROWS_AS(decode_stock_reserved(R"({"order_id":"o-1","lines":{}})"), std::runtime_error);
  CHECK_THROWS_AS(decode_stock_sold(R"({"order_id":"o-1","lines":[7]})"), std::runtime_error);
  // A release without its reason.
  CHECK_THROWS_AS(decode_stock_released("{" + lines_json + "}"), std::runtime_error);
}

TEST_CASE("stock events written before the sequence field decode with sequence 0") {
  auto restocked = decode_stock_restocked(
      R"({"product_id":"p-1","quantity":5,"on_hand":20,"reserved":5,"available":15})");
  CHECK(restocked.level == LevelChange{"p-1", 5, 20, 5, 15, 0});
  auto sold = decode_stock_sold(
      R"({"order_id":"o-1","lines":[{"product_id":"p-1","quantity":2,"on_hand":10,"reserved":2,"available":8}]})");
  REQUIRE(sold.lines.size() == 1);
  CHECK(sold.lines[0].sequence == 0);
  // Present but not an integer: refused like any other field.
  CHECK_THROWS_AS(decode_stock_restocked(
                      R"({"product_id":"p-1","quantity":5,"on_hand":20,"reserved":5,"available":15,"sequence":"x"})"),
                  std::runtime_error);
}
