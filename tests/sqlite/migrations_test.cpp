#include <doctest/doctest.h>

#include "sqlite/sqlite_fixture.hpp"

using namespace shop;
using shop::testing::SqliteFixture;

TEST_CASE("migrations apply once and then find nothing to do") {
  shop::testing::TempDir dir;
  sqlite::Database database(shop::testing::settings_for(dir.file("fresh.db")));
  auto first = sqlite::migrate(database, shop::testing::all_schemas());
  CHECK(first.applied == 9);
  auto second = sqlite::migrate(database, shop::testing::all_schemas());
  CHECK(second.applied == 0);
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
