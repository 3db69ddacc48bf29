#include <doctest/doctest.h>

#include <algorithm>

#include "application/stock/events.hpp"
#include "domain/failure_check.hpp"
#include "outbox_reading.hpp"
#include "stock_fixture.hpp"

using namespace shop;
using namespace shop::testing;

TEST_CASE_FIXTURE(StockFixture, "the level of an unknown product is not_found, asked of the catalog") {
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", stock->level("ghost"));
  CHECK(std::count(products.asked.begin(), products.asked.end(), "ghost") == 1);
}

TEST_CASE_FIXTURE(StockFixture, "a catalog product with no stock yet reads as empty") {
  products.active.insert("p-1");
  auto view = stock->level("p-1");
  CHECK(view.product_id == "p-1");
  CHECK(view.on_hand == 0);
  CHECK(view.reserved == 0);
  CHECK(view.available == 0);
  CHECK(view.low_stock_threshold == 5);
}

TEST_CASE_FIXTURE(StockFixture, "restocking a product the catalog does not know is not_found") {
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", stock->restock("ghost", 10));
  CHECK(std::count(products.asked.begin(), products.asked.end(), "ghost") == 1);
  CHECK_FALSE(store.level("ghost").has_value());
  CHECK(store.ledger("ghost", 0, 100).empty());
  CHECK(pending_events(store).empty());
}

TEST_CASE_FIXTURE(StockFixture, "restock refuses a bad quantity or product id") {
  products.active.insert("p-1");
  CHECK_INVALID_FIELD("quantity", stock->restock("p-1", 0));
  CHECK_INVALID_FIELD("quantity", stock->restock("p-1", -4));
  CHECK_INVALID_FIELD("product_id", stock->restock("", 4));
  CHECK(pending_events(store).empty());
}

TEST_CASE_FIXTURE(StockFixture, "restock adds units and announces the resulting level") {
  products.active.insert("p-1");
  auto view = stock->restock("p-1", 12);
  CHECK(view.on_hand == 12);
  CHECK(view.available == 12);
  view = stock->restock("p-1", 3);
  CHECK(view.on_hand == 15);
  CHECK(stock->level("p-1").on_hand == 15);

  auto events = pending_events(store, stock::StockRestocked::type);
  REQUIRE(events.size() == 2);
  CHECK(events[1].subject == "p-1");
  CHECK(events[1].source == "/shopbox/stock");
  CHECK(events[1].time == clock.now());
  auto data = stock::decode_stock_restocked(events[1].data);
  CHECK(data.level == stock::LevelChange{"p-1", 3, 15, 0, 15, 2});
}

TEST_CASE_FIXTURE(StockFixture, "a stock take sets on_hand and announces the adjustment") {
  shelve("p-1", 10);
  auto view = stock->take("p-1", {10, 8, std::nullopt});
  CHECK(view.on_hand == 8);
  CHECK(view.low_stock_threshold == 5);

  auto events = pending_events(store, stock::StockAdjusted::type);
  REQUIRE(events.size() == 1);
  auto data = stock::decode_stock_adjusted(events[0].data);
  CHECK(data.previous_on_hand == 10);
  CHECK(data.level == stock::LevelChange{"p-1", -2, 8, 0, 8, 2});
}

TEST_CASE_FIXTURE(StockFixture, "a stock take may set the low-stock threshold") {
  shelve("p-1", 10);
  auto view = stock->take("p-1", {10, 10, 2});
  CHECK(view.low_stock_threshold == 2);
  CHECK(stock->level("p-1").low_stock_threshold == 2);
  CHECK_INVALID_FIELD("low_stock_threshold", stock->take("p-1", {10, 10, -1}));
  CHECK(stock->level("p-1").low_stock_threshold == 2);
}

TEST_CASE_FIXTURE(StockFixture, "a stock take against a moved level changes nothing") {
  shelve("p-1", 10);
  CHECK_FAILURE(FailureKind::conflict, "stock_level_moved", stock->take("p-1", {9, 4, 1}));
  auto view = stock->level("p-1");
  CHECK(view.on_hand == 10);
  CHECK(view.low_stock_threshold == 5);
  CHECK(pending_events(store, stock::StockAdjusted::type).empty());
  CHECK(store.ledger("p-1", 0, 100).size() == 1);
}

TEST_CASE_FIXTURE(StockFixture, "a stock take cannot go below the reserved units") {
  shelve("p-1", 10);
  REQUIRE(stock->reserve("o-1", lines({{"p-1", 6}})).reserved);
  CHECK_FAILURE(FailureKind::conflict, "below_reserved", stock->take("p-1", {10, 5, std::nullopt}));
  CHECK(stock->level("p-1").on_hand == 10);
  CHECK(stock->take("p-1", {10, 6, std::nullopt}).available == 0);
}

TEST_CASE_FIXTURE(StockFixture, "a stock take on an unknown product is not_found") {
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", stock->take("ghost", {0, 5, {}}));
  CHECK_FALSE(store.level("ghost").has_value());
}
