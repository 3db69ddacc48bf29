#include <doctest/doctest.h>

#include "sqlite/store_fixtures.hpp"

using namespace shop;
using stock::LedgerEntry;
using stock::Movement;
using stock::Reservation;
using stock::StockLevel;

namespace {
Timestamp at(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }
}  // namespace

TEST_CASE_TEMPLATE("stock store: levels and the ledger round-trip", Stores, testing::MemoryStores,
                   testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK_FALSE(stores.stock.level("p1"));
  std::int64_t first = 0;
  std::int64_t second = 0;
  stores.stock.write([&](stock::StockTransaction& tx) {
    auto level = StockLevel::empty("p1", 3);
    first = tx.record(level.restock(10), at(1));
    second = tx.record(level.reserve(4, "o1"), at(2));
    tx.save(level);
  });
  CHECK(first > 0);
  CHECK(second > first);
  auto level = stores.stock.level("p1");
  REQUIRE(level);
  CHECK(level->on_hand() == 10);
  CHECK(level->reserved() == 4);
  CHECK(level->low_stock_threshold() == 3);

  auto rows = stores.stock.ledger("p1", 0, 10);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].entry.movement == Movement::restock);
  CHECK_FALSE(rows[0].entry.order_id);
  CHECK(rows[1].entry.movement == Movement::reserve);
  CHECK(rows[1].entry.reserved_delta == 4);
  CHECK(rows[1].entry.order_id == std::optional<std::string>("o1"));
  CHECK(rows[1].at == at(2));
  // record returns the sequence of the row it wrote.
  CHECK(rows[0].sequence == first);
  CHECK(rows[1].sequence == second);
  CHECK(stores.stock.ledger("p1", rows[0].sequence, 10).size() == 1);
  CHECK(stores.stock.ledger("p2", 0, 10).empty());
}

TEST_CASE_TEMPLATE("stock store: reservations keep their lines and status", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  auto held = Reservation::hold("o1", {{"p2", 1}, {"p1", 2}}, at(1000), at(0));
  stores.stock.write([&](stock::StockTransaction& tx) { tx.save(held); });
  stores.stock.write([&](stock::StockTransaction& tx) {
    auto found = tx.reservation("o1");
    REQUIRE(found);
    CHECK(found->status() == stock::ReservationStatus::held);
    REQUIRE(found->lines().size() == 2);
    CHECK(found->lines()[0] == stock::ReservedLine{"p1", 2});
    CHECK(found->lines()[1] == stock::ReservedLine{"p2", 1});
    CHECK(found->expires_at() == at(1000));
    CHECK_FALSE(tx.reservation("o2"));
  });
  CHECK(stores.stock.expired_reservations(at(999), 10).empty());
  CHECK(stores.stock.expired_reservations(at(1000), 10) == std::vector<std::string>{"o1"});

  stores.stock.write([&](stock::StockTransaction& tx) {
    auto found = tx.reservation("o1");
    found->confirm(at(10));
    tx.save(*found);
  });
  stores.stock.write([&](stock::StockTransaction& tx) {
    CHECK(tx.reservation("o1")->status() == stock::ReservationStatus::confirmed);
  });
  CHECK(stores.stock.expired_reservations(at(5000), 10).empty());
}

TEST_CASE_TEMPLATE("stock store: the inbox accepts an event id once per consumer", Stores,
                   testing::MemoryStores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  stores.stock.write([](stock::StockTransaction& tx) {
    CHECK(tx.first_delivery("stock", "e1"));
    CHECK_FALSE(tx.first_delivery("stock", "e1"));
    CHECK(tx.first_delivery("dashboard", "e1"));
  });
  stores.stock.write([](stock::StockTransaction& tx) { CHECK_FALSE(tx.first_delivery("stock", "e1")); });
  // A rolled-back handler did not handle the event: it may try again.
  CHECK_THROWS(stores.stock.write([](stock::StockTransaction& tx) {
    tx.first_delivery("stock", "e2");
    throw std::runtime_error("handler failed");
  }));
  stores.stock.write([](stock::StockTransaction& tx) { CHECK(tx.first_delivery("stock", "e2")); });
}

TEST_CASE_TEMPLATE("stock store: the table refuses an oversold level even if the domain slipped",
                   Stores, testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  CHECK_THROWS(stores.stock.write([](stock::StockTransaction& tx) {
    tx.save(StockLevel::restore("p1", 1, 2, 0));
  }));
  CHECK_THROWS(stores.stock.write([](stock::StockTransaction& tx) {
    tx.save(StockLevel::restore("p1", -1, 0, 0));
  }));
  CHECK_FALSE(stores.stock.level("p1"));
}

TEST_CASE_TEMPLATE("stock store: one ledger row per order, product and movement", Stores,
                   testing::SqliteStores, testing::PostgresStores) {
  Stores stores;
  auto reserve = [](stock::StockTransaction& tx) {
    tx.record(LedgerEntry{"p1", Movement::reserve, 0, 1, "o1"}, at(1));
  };
  stores.stock.write(reserve);
  CHECK_THROWS(stores.stock.write(reserve));
  CHECK(stores.stock.ledger("p1", 0, 10).size() == 1);
}
