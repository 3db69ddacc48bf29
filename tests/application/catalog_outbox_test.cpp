#include <doctest/doctest.h>

#include <chrono>
#include <set>

#include "application/catalog/events.hpp"
#include "catalog_fixture.hpp"
#include "domain/failure_check.hpp"
#include "outbox_reading.hpp"

using namespace shop;
using namespace shop::testing;
using namespace std::chrono_literals;

TEST_CASE_FIXTURE(CatalogFixture, "create appends ProductCreated with the full snapshot") {
  auto created = catalog->create(input("TEA-001", "녹차", "tea"));
  auto events = pending_events(store);
  REQUIRE(events.size() == 1);
  const auto& event = events[0];
  CHECK(event.type == "shop.catalog.product_created.v1");
  CHECK(event.source == "/shopbox/catalog");
  CHECK(event.subject == created.id);
  CHECK(event.time == created.updated_at);
  CHECK_FALSE(event.id.empty());
  CHECK(event.id != created.id);

  auto data = catalog::decode_product_created(event.data);
  CHECK(data.product == catalog::ProductSnapshot{created.id, "TEA-001", "녹차", "Loose leaf",
                                                 Money{12'000, "KRW"}, "tea", 1});
}

TEST_CASE_FIXTURE(CatalogFixture, "update appends ProductUpdated with the new version") {
  auto created = catalog->create(input("TEA-001"));
  clock.advance(5s);
  catalog->update(created.id, input("TEA-001", "Renamed"), 1);
  auto events = pending_events(store);
  REQUIRE(events.size() == 2);
  CHECK(events[1].type == "shop.catalog.product_updated.v1");
  CHECK(events[1].subject == created.id);
  CHECK(events[1].time == created.created_at + 5s);
  auto data = catalog::decode_product_updated(events[1].data);
  CHECK(data.product.product_id == created.id);
  CHECK(data.product.name == "Renamed");
  CHECK(data.product.version == 2);
}

TEST_CASE_FIXTURE(CatalogFixture, "remove appends ProductDeleted with the deleting version") {
  auto created = catalog->create(input("TEA-001"));
  catalog->update(created.id, input("TEA-001", "Renamed"), 1);
  catalog->remove(created.id, 2);
  auto events = pending_events(store);
  REQUIRE(events.size() == 3);
  CHECK(events[2].type == "shop.catalog.product_deleted.v1");
  CHECK(events[2].subject == created.id);
  auto data = catalog::decode_product_deleted(events[2].data);
  CHECK(data.product_id == created.id);
  CHECK(data.version == 3);
}

TEST_CASE_FIXTURE(CatalogFixture, "a refused command appends no event") {
  auto created = catalog->create(input("TEA-001"));
  CHECK_FAILURE(FailureKind::stale_version, "stale_version",
                catalog->update(created.id, input("TEA-001", "x"), 7));
  CHECK_FAILURE(FailureKind::conflict, "sku_taken", catalog->create(input("TEA-001")));
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", catalog->remove("nope", 0));
  CHECK(pending_events(store).size() == 1);
}

TEST_CASE_FIXTURE(CatalogFixture, "outbox records are in commit order with distinct event ids") {
  auto a = catalog->create(input("A"));
  auto b = catalog->create(input("B"));
  catalog->update(a.id, input("A", "A2"), 0);
  catalog->remove(b.id, 0);
  auto records = store.unpublished(100);
  REQUIRE(records.size() == 4);
  CHECK(types_of(pending_events(store)) ==
        std::vector<std::string>{"shop.catalog.product_created.v1",
                                 "shop.catalog.product_created.v1",
                                 "shop.catalog.product_updated.v1",
                                 "shop.catalog.product_deleted.v1"});
  CHECK(records[0].event.subject == a.id);
  CHECK(records[1].event.subject == b.id);
  CHECK(records[2].event.subject == a.id);
  CHECK(records[3].event.subject == b.id);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i > 0) CHECK(records[i].sequence > records[i - 1].sequence);
    ids.insert(records[i].event.id);
  }
  CHECK(ids.size() == 4);
}

TEST_CASE_FIXTURE(CatalogFixture, "mark_published hides events up to the sequence") {
  catalog->create(input("A"));
  catalog->create(input("B"));
  auto records = store.unpublished(100);
  REQUIRE(records.size() == 2);
  store.mark_published(records[0].sequence);
  auto rest = store.unpublished(100);
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].sequence == records[1].sequence);
  CHECK(store.unpublished(1).size() == 1);
}
