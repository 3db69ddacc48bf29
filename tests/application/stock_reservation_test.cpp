#include <doctest/doctest.h>

#include "application/stock/events.hpp"
#include "domain/failure_check.hpp"
#include "outbox_reading.hpp"
#include "stock_fixture.hpp"

using namespace shop;
using namespace shop::testing;

namespace {

void check_level(stock::StockApi& stock, const std::string& product_id, std::int64_t on_hand,
                 std::int64_t reserved) {
  CAPTURE(product_id);
  auto view = stock.level(product_id);
  CHECK(view.on_hand == on_hand);
  CHECK(view.reserved == reserved);
  CHECK(view.available == on_hand - reserved);
}

}  // namespace

TEST_CASE_FIXTURE(StockFixture, "reserve holds every line at once") {
  shelve("p-1", 10);
  shelve("p-2", 4);
  auto outcome = stock->reserve("o-1", lines({{"p-2", 4}, {"p-1", 3}}));
  CHECK(outcome.reserved);
  CHECK(outcome.shortages.empty());
  check_level(*stock, "p-1", 10, 3);
  check_level(*stock, "p-2", 4, 4);

  auto events = pending_events(store, stock::StockReserved::type);
  REQUIRE(events.size() == 1);
  CHECK(events[0].subject == "o-1");
  auto data = stock::decode_stock_reserved(events[0].data);
  CHECK(data.order_id == "o-1");
  // Lines come in product-id order whatever order the client sent.
  CHECK(data.lines == std::vector<stock::LevelChange>{{"p-1", 3, 10, 3, 7, 3}, {"p-2", 4, 4, 4, 0, 4}});
}

TEST_CASE_FIXTURE(StockFixture, "reserve is all or none, naming every short line") {
  shelve("p-1", 10);
  shelve("p-2", 2);
  shelve("p-3", 5);
  auto before = pending_events(store).size();

  // p-4 is unknown to stock: short with nothing available.
  auto outcome = stock->reserve("o-1", lines({{"p-1", 5}, {"p-2", 3}, {"p-3", 5}, {"p-4", 1}}));
  CHECK_FALSE(outcome.reserved);
  REQUIRE(outcome.shortages.size() == 2);
  CHECK(outcome.shortages[0].product_id == "p-2");
  CHECK(outcome.shortages[0].requested == 3);
  CHECK(outcome.shortages[0].available == 2);
  CHECK(outcome.shortages[1].product_id == "p-4");
  CHECK(outcome.shortages[1].requested == 1);
  CHECK(outcome.shortages[1].available == 0);

  check_level(*stock, "p-1", 10, 0);
  check_level(*stock, "p-2", 2, 0);
  check_level(*stock, "p-3", 5, 0);
  CHECK(pending_events(store).size() == before);
  CHECK_FALSE(store.level("p-4").has_value());
  // No reservation was kept either.
  CHECK_FAILURE(FailureKind::not_found, "reservation_not_found", stock->confirm("o-1"));
}

TEST_CASE_FIXTURE(StockFixture, "shortages count merged lines of the same product") {
  shelve("p-1", 5);
  auto outcome = stock->reserve("o-1", lines({{"p-1", 3}, {"p-1", 3}}));
  CHECK_FALSE(outcome.reserved);
  REQUIRE(outcome.shortages.size() == 1);
  CHECK(outcome.shortages[0].requested == 6);
  CHECK(outcome.shortages[0].available == 5);
}

TEST_CASE_FIXTURE(StockFixture, "reserve refuses malformed lines") {
  shelve("p-1", 5);
  CHECK_INVALID_FIELD("items", stock->reserve("o-1", {}));
  CHECK_INVALID_FIELD("items[0].quantity", stock->reserve("o-1", lines({{"p-1", 0}})));
  CHECK_INVALID_FIELD("items[1].quantity", stock->reserve("o-1", lines({{"p-1", 1}, {"p-1", -1}})));
  CHECK_INVALID_FIELD("order_id", stock->reserve("", lines({{"p-1", 1}})));
  check_level(*stock, "p-1", 5, 0);
}

TEST_CASE_FIXTURE(StockFixture, "reserve is idempotent by order id") {
  shelve("p-1", 10);
  REQUIRE(stock->reserve("o-1", lines({{"p-1", 4}})).reserved);
  auto again = stock->reserve("o-1", lines({{"p-1", 4}}));
  CHECK(again.reserved);
  CHECK(again.shortages.empty());
  check_level(*stock, "p-1", 10, 4);
  CHECK(pending_events(store, stock::StockReserved::type).size() == 1);
}

TEST_CASE_FIXTURE(StockFixture, "repeating a reservation with other lines is refused") {
  shelve("p-1", 10);
  REQUIRE(stock->reserve("o-1", lines({{"p-1", 4}})).reserved);
  CHECK_FAILURE(FailureKind::conflict, "reservation_mismatch",
                stock->reserve("o-1", lines({{"p-1", 5}})));
  check_level(*stock, "p-1", 10, 4);
}

TEST_CASE_FIXTURE(StockFixture, "confirm sells the held units") {
  shelve("p-1", 10);
  shelve("p-2", 5);
  stock->reserve("o-1", lines({{"p-1", 4}, {"p-2", 1}}));
  stock->confirm("o-1");
  check_level(*stock, "p-1", 6, 0);
  check_level(*stock, "p-2", 4, 0);

  auto events = pending_events(store, stock::StockSold::type);
  REQUIRE(events.size() == 1);
  CHECK(events[0].subject == "o-1");
  auto data = stock::decode_stock_sold(events[0].data);
  CHECK(data.lines == std::vector<stock::LevelChange>{{"p-1", 4, 6, 0, 6, 5}, {"p-2", 1, 4, 0, 4, 6}});
}

TEST_CASE_FIXTURE(StockFixture, "confirm twice sells once") {
  shelve("p-1", 10);
  stock->reserve("o-1", lines({{"p-1", 4}}));
  stock->confirm("o-1");
  CHECK_NOTHROW(stock->confirm("o-1"));
  check_level(*stock, "p-1", 6, 0);
  CHECK(pending_events(store, stock::StockSold::type).size() == 1);
}

TEST_CASE_FIXTURE(StockFixture, "confirm without a reservation is not_found") {
  CHECK_FAILURE(FailureKind::not_found, "reservation_not_found", stock->confirm("o-404"));
}

TEST_CASE_FIXTURE(StockFixture, "release gives held units back, once") {
  shelve("p-1", 10);
  stock->reserve("o-1", lines({{"p-1", 4}}));
  stock->release("o-1", "cancelled");
  check_level(*stock, "p-1", 10, 0);
  CHECK_NOTHROW(stock->release("o-1", "cancelled"));
  check_level(*stock, "p-1", 10, 0);

  auto events = pending_events(store, stock::StockReleased::type);
  REQUIRE(events.size() == 1);
  auto data = stock::decode_stock_released(events[0].data);
  CHECK(data.order_id == "o-1");
  CHECK(data.reason == "cancelled");
  CHECK(data.lines == std::vector<stock::LevelChange>{{"p-1", 4, 10, 0, 10, 3}});
}

TEST_CASE_FIXTURE(StockFixture, "release without a reservation does nothing") {
  CHECK_NOTHROW(stock->release("o-404", "cancelled"));
  CHECK(pending_events(store).empty());
}

TEST_CASE_FIXTURE(StockFixture, "release after confirm is a conflict and changes nothing") {
  shelve("p-1", 10);
  stock->reserve("o-1", lines({{"p-1", 4}}));
  stock->confirm("o-1");
  CHECK_FAILURE(FailureKind::conflict, "reservation_state", stock->release("o-1", "cancelled"));
  check_level(*stock, "p-1", 6, 0);
  CHECK(pending_events(store, stock::StockReleased::type).empty());
}

TEST_CASE_FIXTURE(StockFixture, "confirm after release is reservation_expired") {
  shelve("p-1", 10);
  stock->reserve("o-1", lines({{"p-1", 4}}));
  stock->release("o-1", "payment_declined");
  CHECK_FAILURE(FailureKind::conflict, "reservation_expired", stock->confirm("o-1"));
  check_level(*stock, "p-1", 10, 0);
  CHECK(pending_events(store, stock::StockSold::type).empty());
}

TEST_CASE_FIXTURE(StockFixture, "return_units puts sold units back on hand, once") {
  shelve("p-1", 10);
  stock->reserve("o-1", lines({{"p-1", 4}}));
  stock->confirm("o-1");
  stock->return_units("o-1");
  check_level(*stock, "p-1", 10, 0);
  CHECK_NOTHROW(stock->return_units("o-1"));
  check_level(*stock, "p-1", 10, 0);

  auto events = pending_events(store, stock::StockReturned::type);
  REQUIRE(events.size() == 1);
  auto data = stock::decode_stock_returned(events[0].data);
  CHECK(data.lines == std::vector<stock::LevelChange>{{"p-1", 4, 10, 0, 10, 4}});
}

TEST_CASE_FIXTURE(StockFixture, "return_units needs a confirmed reservation") {
  shelve("p-1", 10);
  CHECK_FAILURE(FailureKind::not_found, "reservation_not_found", stock->return_units("o-404"));
  stock->reserve("o-1", lines({{"p-1", 4}}));
  CHECK_FAILURE(FailureKind::conflict, "reservation_state", stock->return_units("o-1"));
  check_level(*stock, "p-1", 10, 4);
  stock->release("o-1", "cancelled");
  CHECK_FAILURE(FailureKind::conflict, "reservation_state", stock->return_units("o-1"));
  check_level(*stock, "p-1", 10, 0);
}

TEST_CASE_FIXTURE(StockFixture, "reservations of different orders share the stock") {
  shelve("p-1", 5);
  CHECK(stock->reserve("o-1", lines({{"p-1", 3}})).reserved);
  auto second = stock->reserve("o-2", lines({{"p-1", 3}}));
  CHECK_FALSE(second.reserved);
  REQUIRE(second.shortages.size() == 1);
  CHECK(second.shortages[0].available == 2);
  stock->release("o-1", "cancelled");
  CHECK(stock->reserve("o-3", lines({{"p-1", 5}})).reserved);
  check_level(*stock, "p-1", 5, 5);
}
