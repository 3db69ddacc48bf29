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

TEST_CASE_FIXTURE(Pool, "postgres: a write whose connection the server ended runs on a new one") {
  create_table();
  postgres::Database database(settings);
  int runs = 0;
  database.write([&](Connection& connection) {
    ++runs;
    connection.exec("INSERT INTO kept VALUES (2, 0)");
    if (runs == 1) REQUIRE(terminate_sessions() == 1);
    connection.exec("INSERT INTO kept VALUES (3, 0)");
  });

  CHECK(runs == 2);
  CHECK(rows(database) == 3);  // the first run's insert was not committed
}

TEST_CASE_FIXTURE(Pool, "postgres: pooled connections all ended by the server are replaced") {
  create_table();
  settings.pool_size = 2;
  postgres::Database database(settings);
  {
    std::latch both(2);  // two reads at once: two connections in the pool
    std::jthread other([&] { database.read([&](Connection&) { both.arrive_and_wait(); }); });
    database.read([&](Connection&) { both.arrive_and_wait(); });
  }
  REQUIRE(terminate_sessions() == 2);

  database.write([](Connection& connection) { connection.exec("INSERT INTO kept VALUES (2, 0)"); });
  REQUIRE(terminate_sessions() == 1);
  CHECK(rows(database) == 2);
}

TEST_CASE_FIXTURE(Pool, "postgres: a connection that breaks again is unavailable, not an error") {
  create_table();
  postgres::Database database(settings);
  int writes = 0, reads = 0;
  require_unavailable(failure_of([&] {
    database.write([&](Connection& connection) {
      ++writes;
      terminate_sessions();
      connection.exec("INSERT INTO kept VALUES (2, 0)");
    });
  }));
  require_unavailable(failure_of([&] {
    database.read([&](Connection& connection) {
      ++reads;
      terminate_sessions();
      connection.exec("SELECT 1");
    });
  }));

  CHECK(writes == 2);
  CHECK(reads == 2);
  CHECK(rows(database) == 1);
}

TEST_CASE_FIXTURE(Pool, "postgres: a connection broken during COMMIT is not run again") {
  create_table();
  // A deferred trigger runs at COMMIT: there its session ends itself.
  fixture.database->write([](Connection& connection) {
    connection.run(R"sql(
      CREATE FUNCTION end_session() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_terminate_backend(pg_backend_pid());
        PERFORM pg_sleep(5);
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER end_session_at_commit AFTER UPDATE ON kept
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION end_session();
    )sql");
  });
  postgres::Database database(settings);
  int runs = 0;
  auto failure = failure_of([&] {
    database.write([&](Connection& connection) {
      ++runs;
      connection.exec("UPDATE kept SET n = n + 1");
    });
  });

  require_unavailable(failure);
  CHECK(std::string(failure->what()).find("unknown") != std::string::npos);
  CHECK(runs == 1);
}

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

// The frozen writer holds its row lock until the other writer is done: only
// the server ending its idle transaction lets the other one through.
TEST_CASE_FIXTURE(Pool, "postgres: a writer frozen mid-transaction does not hold the others up") {
  create_table();
  auto frozen_settings = settings;
  frozen_settings.idle_in_transaction_timeout = 300ms;
  postgres::Database frozen(frozen_settings);
  postgres::Database other(settings);
  std::atomic<bool> locked{false}, other_done{false};
  auto set = [](std::atomic<bool>& flag) {
    flag = true;
    flag.notify_all();
  };
  int frozen_runs = 0;
  std::exception_ptr frozen_error;
  std::jthread writer([&] {
    try {
      frozen.write([&](Connection& connection) {
        ++frozen_runs;
        connection.exec("UPDATE kept SET n = n + 1 WHERE id = 1");
        if (frozen_runs == 1) {
          set(locked);
          other_done.wait(false);
        }
        connection.exec("SELECT 1");
      });
    } catch (...) {
      frozen_error = std::current_exception();
    }
    set(locked);
  });
  locked.wait(false);
  std::optional<Failure> failure;
  try {
    failure = failure_of([&] {
      other.write([](Connection& connection) {
        connection.exec("UPDATE kept SET n = n + 10 WHERE id = 1");
      });
    });
  } catch (...) {
    set(other_done);
    throw;
  }
  set(other_done);
  writer.join();

  CHECK_FALSE(failure);
  REQUIRE_FALSE(frozen_error);
  CHECK(frozen_runs == 2);  // its session ended: the work ran again on a new connection
  std::int64_t n = 0;
  other.read([&](Connection& connection) {
    n = connection.exec("SELECT n FROM kept WHERE id = 1").integer(0, 0);
  });
  CHECK(n == 11);
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

TEST_CASE_FIXTURE(Pool, "postgres: migrations wait for another replica's, past the request timeouts") {
  settings.lock_timeout = 100ms;
  settings.statement_timeout = 100ms;
  postgres::Database starting(settings);
  std::latch held(1);
  std::jthread migrating_replica([&] {
    Connection other(fixture.settings);
    other.run("BEGIN");
    other.exec("SELECT pg_advisory_xact_lock(7316001)");  // the migrations' lock
    held.count_down();
    std::this_thread::sleep_for(400ms);
    other.run("COMMIT");
  });
  held.wait();
  CHECK(postgres::migrate(starting, testing::all_postgres_schemas()).applied == 0);
}
