#include <doctest/doctest.h>

#include <chrono>

#include "catalog_fixture.hpp"
#include "domain/failure_check.hpp"
#include "outbox_reading.hpp"

using namespace shop;
using namespace shop::testing;
using namespace std::chrono_literals;

TEST_CASE_FIXTURE(CatalogFixture, "create returns the product at version 1, and get reads it") {
  auto created = catalog->create(input("TEA-001"));
  CHECK_FALSE(created.id.empty());
  CHECK(created.sku == "TEA-001");
  CHECK(created.name == "Green tea");
  CHECK(created.price == Money{12'000, "KRW"});
  CHECK(created.version == 1);
  CHECK(created.created_at == clock.now());
  CHECK(created.updated_at == clock.now());

  auto read = catalog->get(created.id);
  CHECK(read.id == created.id);
  CHECK(read.sku == "TEA-001");
  CHECK(read.category == "tea");
  CHECK(read.version == 1);
}

TEST_CASE_FIXTURE(CatalogFixture, "create refuses invalid input and stores nothing") {
  auto bad = input("TEA 001");
  CHECK_INVALID_FIELD("sku", catalog->create(bad));
  bad = input("TEA-001");
  bad.price.currency = "won";
  CHECK_INVALID_FIELD("price.currency", catalog->create(bad));
  CHECK(catalog->list({}).items.empty());
  CHECK(pending_events(store).empty());
}

TEST_CASE_FIXTURE(CatalogFixture, "an active sku cannot be taken twice") {
  auto first = catalog->create(input("TEA-001", "Green tea"));
  CHECK_FAILURE(FailureKind::conflict, "sku_taken", catalog->create(input("TEA-001", "Black tea")));
  auto page = catalog->list({});
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == first.id);
  CHECK(page.items[0].name == "Green tea");
  CHECK(pending_events(store).size() == 1);
}

TEST_CASE_FIXTURE(CatalogFixture, "update may not move a product onto another active sku") {
  catalog->create(input("TEA-001"));
  auto other = catalog->create(input("TEA-002"));
  CHECK_FAILURE(FailureKind::conflict, "sku_taken",
                catalog->update(other.id, input("TEA-001"), other.version));
  CHECK(catalog->get(other.id).sku == "TEA-002");
  CHECK(catalog->get(other.id).version == 1);
  // Keeping its own sku is no conflict.
  CHECK(catalog->update(other.id, input("TEA-002", "Renamed"), 1).name == "Renamed");
}

TEST_CASE_FIXTURE(CatalogFixture, "a soft-deleted product frees its sku") {
  auto old = catalog->create(input("TEA-001", "Old tea"));
  catalog->remove(old.id, old.version);
  auto fresh = catalog->create(input("TEA-001", "New tea"));
  CHECK(fresh.id != old.id);
  CHECK(catalog->get(fresh.id).sku == "TEA-001");
}

TEST_CASE_FIXTURE(CatalogFixture, "update replaces the fields and bumps the version") {
  auto created = catalog->create(input("TEA-001"));
  clock.advance(90s);
  auto changed = input("TEA-001", "Green tea, first flush", "premium tea");
  changed.price = Money{18'000, "KRW"};

  auto updated = catalog->update(created.id, changed, 1);
  CHECK(updated.version == 2);
  CHECK(updated.name == "Green tea, first flush");
  CHECK(updated.category == "premium tea");
  CHECK(updated.price.amount == 18'000);
  CHECK(updated.created_at == created.created_at);
  CHECK(updated.updated_at == created.updated_at + 90s);

  auto read = catalog->get(created.id);
  CHECK(read.version == 2);
  CHECK(read.name == "Green tea, first flush");
}

TEST_CASE_FIXTURE(CatalogFixture, "update with a stale version fails and keeps the product") {
  auto created = catalog->create(input("TEA-001"));
  catalog->update(created.id, input("TEA-001", "Second"), 1);
  CHECK_FAILURE(FailureKind::stale_version, "stale_version",
                catalog->update(created.id, input("TEA-001", "Lost update"), 1));
  CHECK_FAILURE(FailureKind::stale_version, "stale_version", catalog->remove(created.id, 1));
  auto read = catalog->get(created.id);
  CHECK(read.name == "Second");
  CHECK(read.version == 2);
  // Version 0: the client sent no If-Match.
  CHECK(catalog->update(created.id, input("TEA-001", "Third"), 0).version == 3);
}

TEST_CASE_FIXTURE(CatalogFixture, "unknown ids are not_found") {
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", catalog->get("nope"));
  CHECK_FAILURE(FailureKind::not_found, "product_not_found",
                catalog->update("nope", input("TEA-001"), 0));
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", catalog->remove("nope", 0));
  CHECK_FALSE(catalog->find_active("nope").has_value());
}

TEST_CASE_FIXTURE(CatalogFixture, "a removed product is gone from get, list, find_active and update") {
  auto kept = catalog->create(input("TEA-001"));
  auto removed = catalog->create(input("TEA-002"));
  catalog->remove(removed.id, 1);

  CHECK_FAILURE(FailureKind::not_found, "product_not_found", catalog->get(removed.id));
  CHECK_FALSE(catalog->find_active(removed.id).has_value());
  CHECK_FAILURE(FailureKind::not_found, "product_not_found",
                catalog->update(removed.id, input("TEA-002"), 2));
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", catalog->remove(removed.id, 2));
  auto page = catalog->list({});
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == kept.id);
  // The row stays, soft-deleted, for existing orders' history.
  auto stored = store.find(removed.id);
  REQUIRE(stored.has_value());
  CHECK_FALSE(stored->active());
  CHECK(stored->version() == 2);
}

TEST_CASE_FIXTURE(CatalogFixture, "find_active returns the current view of an active product") {
  auto created = catalog->create(input("TEA-001"));
  catalog->update(created.id, input("TEA-001", "Renamed"), 0);
  auto found = catalog->find_active(created.id);
  REQUIRE(found.has_value());
  CHECK(found->name == "Renamed");
  CHECK(found->version == 2);
}
