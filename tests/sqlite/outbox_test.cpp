#include <doctest/doctest.h>

#include "sqlite/store_fixtures.hpp"

using namespace shop;

namespace {

EventEnvelope event(const std::string& id) {
  return EventEnvelope{id, "shop.stock.restocked.v1", "/shopbox/stock", "p1",
                       Timestamp(std::chrono::milliseconds(1234)), R"({"n":")" + id + "\"}"};
}

void append(testing::SqliteStores& stores, const std::string& id) {
  stores.stock.write([&](stock::StockTransaction& tx) { tx.publish(event(id)); });
}

}  // namespace

TEST_CASE("sqlite outbox: events wait in commit order until published, across a restart") {
  testing::SqliteStores stores;
  append(stores, "e1");
  append(stores, "e2");
  append(stores, "e3");
  auto& outbox = stores.stock_outbox();
  auto pending = outbox.unpublished(2);
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].event == event("e1"));
  CHECK(pending[1].event == event("e2"));
  CHECK(pending[0].sequence < pending[1].sequence);

  outbox.mark_published(pending[0].sequence);
  stores.fixture.reopen();
  sqlite::SqliteStockStore reopened(*stores.fixture.database);
  auto after_restart = reopened.outbox().unpublished(10);
  REQUIRE(after_restart.size() == 2);
  CHECK(after_restart[0].event.id == "e2");
  CHECK(after_restart[1].event.id == "e3");
  reopened.outbox().mark_published(after_restart[1].sequence);
  CHECK(reopened.outbox().unpublished(10).empty());
}

TEST_CASE("sqlite outbox: each module's events stay in its own table") {
  testing::SqliteStores stores;
  append(stores, "e1");
  CHECK(stores.catalog_outbox().unpublished(10).empty());
  CHECK(stores.stock_outbox().unpublished(10).size() == 1);
}

TEST_CASE("sqlite outbox: a parked event is kept with its error and no longer pending") {
  testing::SqliteStores stores;
  append(stores, "e1");
  append(stores, "e2");
  auto& outbox = stores.stock_outbox();
  auto head = outbox.unpublished(1).at(0);
  Timestamp now(std::chrono::milliseconds(99));
  outbox.park(head, "handler exploded", now);
  outbox.park(head, "handler exploded", now);  // parking twice keeps one row
  auto pending = outbox.unpublished(10);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].event.id == "e2");
  auto parked = outbox.parked(10);
  REQUIRE(parked.size() == 1);
  CHECK(parked[0].record.event == event("e1"));
  CHECK(parked[0].error == "handler exploded");
  CHECK(parked[0].parked_at == now);
}
