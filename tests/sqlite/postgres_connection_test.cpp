// PostgreSQL connections, their pool and transactions, when things go wrong.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "domain/shared/failure.hpp"
#include "sqlite/postgres_fixture.hpp"

using namespace shop;
using namespace std::chrono_literals;
using postgres::Connection;
using postgres::param;

namespace {

// A pool of its own on the fixture's schema, its sessions named after the
// schema so that a test ends only its own: other tests share the cluster.
struct Pool {
  testing::PostgresFixture fixture;
  postgres::DatabaseSettings settings = named(fixture);

  static postgres::DatabaseSettings named(const testing::PostgresFixture& fixture) {
    auto settings = fixture.settings;
    settings.conninfo += " application_name=" + fixture.schema;
    return settings;
  }

  // Ends the server sessions of this test's pools and waits until they are gone.
  std::int64_t terminate_sessions() const {
    Connection admin(fixture.settings);
    return admin
        .exec("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) "
              "FROM pg_stat_activity WHERE application_name = $1",
              {param(fixture.schema)})
        .integer(0, 0);
  }

  std::int64_t rows(postgres::Database& database) const {
    std::int64_t count = 0;
    database.read([&](Connection& connection) {
      count = connection.exec("SELECT count(*) FROM kept").integer(0, 0);
    });
    return count;
  }

  void create_table() const {
    fixture.database->write([](Connection& connection) {
      connection.run("CREATE TABLE kept (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
      connection.run("INSERT INTO kept VALUES (1, 0)");
    });
  }
};

std::optional<Failure> failure_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Failure& failure) {
    return failure;
  }
  return std::nullopt;
}

void require_unavailable(const std::optional<Failure>& failure) {
  REQUIRE(failure);
  CHECK(failure->kind() == FailureKind::unavailable);
  CHECK(failure->code() == "database_unavailable");
  CHECK(failure->retry_after_seconds() > 0);
}

}  // namespace

TEST_CASE_FIXTURE(Pool, "postgres: a write waiting on a row lock held elsewhere is unavailable") {
  create_table();
  settings.lock_timeout = 200ms;
  postgres::Database database(settings);
  Connection holder(fixture.settings);
  holder.run("BEGIN");
  holder.exec("SELECT n FROM kept WHERE id = 1 FOR UPDATE");
  auto increment = [&] {
    database.write([](Connection& connection) {
      connection.exec("UPDATE kept SET n = n + 1 WHERE id = 1");
    });
  };

  auto failure = failure_of(increment);
  require_unavailable(failure);
  // Not the statement timeout, which would come later.
  CHECK(std::string(failure->what()).find("55P03") != std::string::npos);
  holder.run("ROLLBACK");
  increment();
  std::int64_t n = 0;
  database.read([&](Connection& connection) {
    n = connection.exec("SELECT n FROM kept WHERE id = 1").integer(0, 0);
  });
  CHECK(n == 1);
}

TEST_CASE_FIXTURE(Pool, "postgres: a statement past its timeout is unavailable, not an error") {
  settings.statement_timeout = 200ms;
  postgres::Database database(settings);
  require_unavailable(failure_of([&] {
    database.read([](Connection& connection) { connection.exec("SELECT pg_sleep(10)"); });
  }));
}

TEST_CASE_FIXTURE(Pool, "postgres: the session limits are set on every connection") {
  settings.lock_timeout = 250ms;
  settings.idle_in_transaction_timeout = 1500ms;
  postgres::Database database(settings);
  std::string lock_timeout, idle_timeout;
  database.read([&](Connection& connection) {
    lock_timeout = connection.exec("SHOW lock_timeout").text(0, 0);
    idle_timeout = connection.exec("SHOW idle_in_transaction_session_timeout").text(0, 0);
  });
  CHECK(lock_timeout == "250ms");
  CHECK(idle_timeout == "1500ms");
}

TEST_CASE_FIXTURE(Pool, "postgres: a connection whose session setup fails is closed") {
  settings.statement_timeout = -1ms;  // refused by the server's SET
  CHECK_THROWS_AS(Connection{settings}, postgres::SqlError);
  Connection admin(fixture.settings);
  auto sessions = [&] {
    return admin
        .exec("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
              {param(fixture.schema)})
        .integer(0, 0);
  };
  // Its server session ends a moment after the client closes it.
  for (int wait = 0; wait < 200 && sessions() > 0; ++wait) std::this_thread::sleep_for(50ms);
  CHECK(sessions() == 0);
}

TEST_CASE_FIXTURE(Pool, "postgres: a read inside a write uses the write's connection") {
  create_table();
  settings.pool_size = 1;
  settings.acquire_timeout = 500ms;  // a second connection would never come
  postgres::Database database(settings);
  std::int64_t seen = -1;
  database.write([&](Connection& connection) {
    connection.exec("INSERT INTO kept VALUES (2, 0)");
    database.read([&](Connection& reading) {
      seen = reading.exec("SELECT count(*) FROM kept").integer(0, 0);
    });
  });

  CHECK(seen == 2);  // in the write's transaction, its insert included
  CHECK(rows(database) == 2);
}

TEST_CASE_FIXTURE(Pool, "postgres: a commit listener may write") {
  create_table();
  postgres::Database database(settings);
  bool listened = false;
  database.on_commit([&] {
    if (std::exchange(listened, true)) return;
    database.write(
        [](Connection& connection) { connection.exec("INSERT INTO kept VALUES (3, 0)"); });
  });

  database.write([](Connection& connection) { connection.exec("INSERT INTO kept VALUES (2, 0)"); });
  CHECK(listened);
  CHECK(rows(database) == 3);
  CHECK_THROWS_AS(database.write([&](Connection&) { database.write([](Connection&) {}); }),
                  std::logic_error);
}
