// The connection's pipeline: deferred statements go with the next exec(),
// and their failures must still fail the whole transaction.
#include <doctest/doctest.h>

#include <stdexcept>

#include "sqlite/postgres_fixture.hpp"

using namespace shop;
using postgres::Connection;
using postgres::param;
using postgres::SqlError;

namespace {

// One connection in the pool: every write below reuses the one before it.
struct OneConnection {
  testing::PostgresFixture fixture;
  std::unique_ptr<postgres::Database> database;

  OneConnection() {
    auto settings = fixture.settings;
    settings.pool_size = 1;
    database = std::make_unique<postgres::Database>(settings);
    database->write([](Connection& c) { c.run("CREATE TABLE notes (id INT PRIMARY KEY)"); });
  }

  std::int64_t notes() {
    std::int64_t count = -1;
    database->read(
        [&](Connection& c) { count = c.exec("SELECT count(*) FROM notes").integer(0, 0); });
    return count;
  }
};

constexpr const char* insert_note = "INSERT INTO notes (id) VALUES ($1)";

}  // namespace

TEST_CASE("postgres pipeline: deferred writes go, in order, with the next statement") {
  OneConnection db;
  std::int64_t seen = 0;
  db.database->write([&](Connection& c) {
    c.defer(insert_note, {param(1)});
    c.defer(insert_note, {param(2)});
    seen = c.exec("SELECT count(*) FROM notes").integer(0, 0);
  });
  CHECK(seen == 2);
  CHECK(db.notes() == 2);
}

TEST_CASE("postgres pipeline: a deferred write that fails fails its whole transaction") {
  OneConnection db;
  bool reached_commit_work = false;
  try {
    db.database->write([&](Connection& c) {
      c.defer(insert_note, {param(1)});
      c.defer(insert_note, {param(1)});
      reached_commit_work = true;
    });
    FAIL("the duplicate was not reported");
  } catch (const SqlError& error) {
    CHECK(error.unique_violation());
  }
  CHECK(reached_commit_work);  // it failed at COMMIT, where it went to the server
  CHECK(db.notes() == 0);
  db.database->write([](Connection& c) { c.defer(insert_note, {param(3)}); });
  CHECK(db.notes() == 1);
}

TEST_CASE("postgres pipeline: work that throws drops what it deferred, unsent") {
  OneConnection db;
  db.database->write([](Connection& c) { c.run("CREATE SEQUENCE drawn"); });
  // nextval() is not undone by a rollback: only a statement never sent
  // leaves the sequence where it was.
  auto refused = [](Connection& c) {
    c.defer("SELECT nextval('drawn')");
    throw std::runtime_error("the domain refused");
  };
  CHECK_THROWS_AS(db.database->write(refused), std::runtime_error);
  std::int64_t next = 0;
  db.database->write(
      [&](Connection& c) { next = c.exec("SELECT nextval('drawn')").integer(0, 0); });
  CHECK(next == 1);
}

TEST_CASE("postgres pipeline: a failed transaction gives its connection back, fit for use") {
  OneConnection db;
  auto backend = [&] {
    std::int64_t pid = 0;
    db.database->read(
        [&](Connection& c) { pid = c.exec("SELECT pg_backend_pid()").integer(0, 0); });
    return pid;
  };
  auto before = backend();
  auto failing = [](Connection& c) {
    c.defer(insert_note, {param(1)});
    c.exec("SELECT 1/0");
  };
  CHECK_THROWS_AS(db.database->write(failing), SqlError);
  CHECK(backend() == before);
  CHECK(db.notes() == 0);
}

TEST_CASE("postgres pipeline: a statement that failed to prepare is prepared again") {
  OneConnection db;
  constexpr const char* read_later = "SELECT count(*) FROM later";
  try {
    db.database->read([&](Connection& c) { c.exec(read_later); });
    FAIL("a missing table was read");
  } catch (const SqlError& error) {
    CHECK(error.sqlstate() == "42P01");
  }
  db.database->write([](Connection& c) { c.run("CREATE TABLE later (id INT)"); });
  std::int64_t rows = -1;
  db.database->read([&](Connection& c) { rows = c.exec(read_later).integer(0, 0); });
  CHECK(rows == 0);
}
