#include <doctest/doctest.h>

#include "application/stock/events.hpp"
#include "outbox_reading.hpp"
#include "stock_fixture.hpp"

using namespace shop;
using namespace shop::testing;

namespace {

std::size_t low_events(StockFixture& f) {
  return pending_events(f.store, stock::StockLow::type).size();
}

}  // namespace

TEST_CASE_FIXTURE(StockFixture, "StockLow is emitted once when available crosses the threshold") {
  // Threshold 5: low means available <= 5.
  shelve("p-1", 10);
  CHECK(low_events(*this) == 0);

  stock->reserve("o-1", lines({{"p-1", 4}}));  // available 6
  CHECK(low_events(*this) == 0);
  stock->reserve("o-2", lines({{"p-1", 1}}));  // available 5: crossed
  CHECK(low_events(*this) == 1);
  stock->reserve("o-3", lines({{"p-1", 2}}));  // available 3: still low
  CHECK(low_events(*this) == 1);

  auto events = pending_events(store, stock::StockLow::type);
  REQUIRE(events.size() == 1);
  CHECK(events[0].subject == "p-1");
  auto data = stock::decode_stock_low(events[0].data);
  CHECK(data.low_stock_threshold == 5);
  CHECK(data.level == stock::LevelChange{"p-1", 0, 10, 5, 5, 3});
}

TEST_CASE_FIXTURE(StockFixture, "StockLow fires again only after the level recovered") {
  shelve("p-1", 10);
  stock->reserve("o-1", lines({{"p-1", 6}}));
  REQUIRE(low_events(*this) == 1);
  stock->release("o-1", "cancelled");  // available 10: recovered, no event
  CHECK(low_events(*this) == 1);
  stock->reserve("o-2", lines({{"p-1", 7}}));
  CHECK(low_events(*this) == 2);
}

TEST_CASE_FIXTURE(StockFixture, "a sale leaves available unchanged and raises nothing") {
  shelve("p-1", 20);
  stock->reserve("o-1", lines({{"p-1", 3}}));
  stock->confirm("o-1");
  CHECK(stock->level("p-1").available == 17);
  CHECK(low_events(*this) == 0);
}

TEST_CASE_FIXTURE(StockFixture, "a stock take can cross the threshold") {
  shelve("p-1", 10);
  stock->take("p-1", {10, 5, std::nullopt});
  CHECK(low_events(*this) == 1);
}

TEST_CASE_FIXTURE(StockFixture, "raising the threshold in a stock take can make the level low") {
  shelve("p-1", 10);
  stock->take("p-1", {10, 10, 10});
  auto events = pending_events(store, stock::StockLow::type);
  REQUIRE(events.size() == 1);
  CHECK(stock::decode_stock_low(events[0].data).low_stock_threshold == 10);
}

TEST_CASE_FIXTURE(StockFixture, "restocking an empty product is not a crossing") {
  // An empty level is already low (0 <= 5); restocking from it raises nothing.
  shelve("p-1", 2);
  CHECK(low_events(*this) == 0);
}
