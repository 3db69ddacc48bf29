#include <doctest/doctest.h>

#include "domain/shared/failure.hpp"
#include "sqlite/sqlite_fixture.hpp"

using namespace shop;
using shop::testing::SqliteFixture;

TEST_CASE("migrations apply once and then find nothing to do") {
  shop::testing::TempDir dir;
  sqlite::Database database(shop::testing::settings_for(dir.file("fresh.db")));
  auto schemas = shop::testing::all_schemas();
  auto first = sqlite::migrate(database, schemas);
  std::size_t known = 0;
  for (const auto& schema : schemas) known += schema.migrations.size();
  CHECK(first.applied == int(known));
  // Each: its tables, event tables, parked events; but the dashboard, which
  // publishes nothing, has only its tables (its events table is its inbox).
  CHECK(known >= 3 * (schemas.size() - 1) + 1);
  auto second = sqlite::migrate(database, schemas);
  CHECK(second.applied == 0);
}

TEST_CASE("products stored before the catalog's prefix indexes are still found by search") {
  shop::testing::TempDir dir;
  sqlite::Database database(shop::testing::settings_for(dir.file("upgraded.db")));
  auto catalog = sqlite::catalog_schema();
  auto before = catalog;  // as it was up to v3, before v4 rebuilt the search index
  std::erase_if(before.migrations, [](const sqlite::Migration& m) { return m.version > 3; });
  sqlite::migrate(database, std::vector{before});
  sqlite::SqliteCatalogStore store(database);
  store.write([](catalog::CatalogTransaction& tx) {
    tx.insert(catalog::Product::create(
        "p1", catalog::ProductDetails{"TEA-001", "Green tea", "", Money{4500, "KRW"}, "tea"},
        Timestamp{}));
  });

  sqlite::migrate(database, std::vector{catalog});
  auto found = store.list(catalog::ProductFilter{"", "gre", "", 10});
  REQUIRE(found.size() == 1);
  CHECK(found[0].id() == "p1");
}

TEST_CASE("a database with a newer schema than the binary knows is refused") {
  SqliteFixture fixture;
  fixture.database->write([](sqlite::Connection& connection) {
    auto statement = connection.prepare(
        "INSERT INTO shopbox_migrations (module, version) VALUES ('catalog', 99)");
    statement->exec();
  });
  CHECK_THROWS_WITH_AS(sqlite::migrate(*fixture.database, shop::testing::all_schemas()),
                       doctest::Contains("schema version 99 of module catalog"),
                       std::runtime_error);
}

TEST_CASE("the database runs in WAL mode with the configured synchronous level") {
  SqliteFixture fixture;
  auto& connection = fixture.database->reader();
  CHECK(connection.handle().execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(connection.handle().execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL

  auto settings = shop::testing::settings_for(fixture.path);
  settings.synchronous = sqlite::Synchronous::normal;
  sqlite::Database normal(settings);
  CHECK(normal.reader().handle().execAndGet("PRAGMA synchronous").getInt() == 1);
}

TEST_CASE("a write that throws leaves nothing behind, and nesting writes is refused") {
  SqliteFixture fixture;
  auto count = [&] {
    return fixture.database->reader().handle().execAndGet("SELECT count(*) FROM shopbox_migrations").getInt();
  };
  int before = count();
  CHECK_THROWS_AS(fixture.database->write([](sqlite::Connection& connection) {
                    connection.prepare("INSERT INTO shopbox_migrations (module, version) VALUES ('x', 1)")
                        ->exec();
                    throw std::runtime_error("boom");
                  }),
                  std::runtime_error);
  CHECK(count() == before);
  CHECK_THROWS_AS(fixture.database->write([&](sqlite::Connection&) {
                    fixture.database->write([](sqlite::Connection&) {});
                  }),
                  std::logic_error);
}

TEST_CASE("a writer blocked by another process gets 503, not SQLITE_BUSY, within the timeout") {
  SqliteFixture fixture;
  // Another process's connection holds the write lock.
  SQLite::Database other(fixture.path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  auto settings = shop::testing::settings_for(fixture.path);
  settings.busy_timeout = std::chrono::milliseconds(200);
  sqlite::Database blocked(settings);
  auto started = std::chrono::steady_clock::now();
  try {
    blocked.write([](sqlite::Connection&) {});
    FAIL("the write went through a held lock");
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::unavailable);
    CHECK(failure.retry_after_seconds() > 0);
  }
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  other.exec("ROLLBACK");
  CHECK_NOTHROW(blocked.write([](sqlite::Connection&) {}));
}
