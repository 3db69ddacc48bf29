#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "adapters/memory/test_doubles.hpp"
#include "adapters/postgres/postgres_dead_letters.hpp"
#include "adapters/postgres/postgres_lease_store.hpp"
#include "adapters/sqlite/sqlite_dead_letters.hpp"
#include "adapters/sqlite/sqlite_lease_store.hpp"
#include "application/shared/background_lease.hpp"
#include "sqlite/postgres_fixture.hpp"
#include "sqlite/sqlite_fixture.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

const Timestamp t0{std::chrono::milliseconds(1'800'000'000'000)};

// Two processes' views of one file: each its own connections, one clock
// (the machine's), which the test moves.
struct SharedFile : testing::SqliteFixture {
  using Letters = sqlite::SqliteDeadLetters;
  memory::ManualClock clock;
  std::unique_ptr<sqlite::Database> other = open();
  sqlite::SqliteLeaseStore mine{*database, clock};
  sqlite::SqliteLeaseStore theirs{*other, clock};

  void elapse(std::chrono::milliseconds time) { clock.advance(time); }
};

// Two replicas on one PostgreSQL database, whose server's clock the lease
// goes by: time passes for real.
struct SharedPostgres : testing::PostgresFixture {
  using Letters = postgres::PostgresDeadLetters;
  std::unique_ptr<postgres::Database> other = replica();
  postgres::PostgresLeaseStore mine{*database};
  postgres::PostgresLeaseStore theirs{*other};

  void elapse(std::chrono::milliseconds time) { std::this_thread::sleep_for(time); }
};

EventEnvelope paid_event(const std::string& id) {
  return {id, "shop.order.paid.v1", "/shopbox/order", "order-1", t0, R"({"order_id":"order-1"})"};
}

}  // namespace

TEST_CASE_TEMPLATE("lease: a free lease is taken, a held one is not", Shared, SharedFile,
                   SharedPostgres) {
  Shared shared;
  auto& mine = shared.mine;
  auto& theirs = shared.theirs;
  CHECK_FALSE(mine.live_holder());
  CHECK(mine.acquire("a", 15s, false));
  CHECK_FALSE(theirs.acquire("b", 15s, false));
  CHECK(theirs.live_holder() == "a");
  CHECK(mine.acquire("a", 15s, false));  // its own again
}

TEST_CASE_TEMPLATE("lease: renewed only by its holder, taken by another once expired", Shared,
                   SharedFile, SharedPostgres) {
  Shared shared;
  auto& mine = shared.mine;
  auto& theirs = shared.theirs;
  REQUIRE(mine.acquire("a", 200ms, false));
  CHECK(mine.renew("a", 15s));
  CHECK_FALSE(theirs.renew("b", 15s));
  shared.elapse(300ms);
  CHECK(theirs.live_holder() == "a");  // the renewal outlasts the first ttl
  CHECK_FALSE(theirs.acquire("b", 15s, false));
  CHECK(mine.renew("a", 200ms));
  shared.elapse(300ms);
  CHECK_FALSE(theirs.live_holder());
  CHECK(theirs.acquire("b", 15s, false));
  CHECK(mine.live_holder() == "b");
  CHECK_FALSE(mine.renew("a", 15s));
}

TEST_CASE_TEMPLATE("lease: released by its holder only, then free to take", Shared, SharedFile,
                   SharedPostgres) {
  Shared shared;
  auto& mine = shared.mine;
  auto& theirs = shared.theirs;
  REQUIRE(mine.acquire("a", 15s, false));
  theirs.release("b");
  CHECK(mine.live_holder() == "a");
  mine.release("a");
  CHECK_FALSE(mine.live_holder());
  CHECK(theirs.acquire("b", 15s, false));
}

TEST_CASE_TEMPLATE("lease: taken from anyone when asked", Shared, SharedFile, SharedPostgres) {
  Shared shared;
  REQUIRE(shared.mine.acquire("a", 15s, false));
  CHECK(shared.theirs.acquire("b", 15s, true));
  CHECK(shared.mine.live_holder() == "b");
  CHECK_FALSE(shared.mine.renew("a", 15s));
}

TEST_CASE_FIXTURE(SharedFile, "sqlite lease: kept on reopening") {
  REQUIRE(theirs.acquire("b", 16s, false));
  reopen();
  sqlite::SqliteLeaseStore reopened{*database, clock};
  CHECK(reopened.live_holder() == "b");
  clock.advance(16s);
  CHECK_FALSE(reopened.live_holder());
}

TEST_CASE_FIXTURE(SharedPostgres, "postgres lease: expiry is the server's clock plus the ttl") {
  REQUIRE(mine.acquire("a", 60s, false));
  postgres::Connection admin(settings);
  auto server_now = std::string("(extract(epoch FROM clock_timestamp()) * 1000)::bigint");
  auto left = admin.exec("SELECT expires_at - " + server_now + " FROM runtime_lease").integer(0, 0);
  CHECK(left > 50'000);
  CHECK(left <= 60'000);

  // A replica whose own clock runs a year ahead: the clock it keeps its
  // deadline on never meets the row, so the live lease stays the holder's.
  memory::ManualMonotonicClock year_ahead;
  year_ahead.advance(std::chrono::hours(24 * 365));
  memory::SilentLog log;
  BackgroundLease replica(theirs, year_ahead, log, "b", {15s, 200ms}, false);
  CHECK_FALSE(replica.step());
  CHECK(replica.accounted_for());

  // Expired by the server's clock: free, whatever any replica's says.
  admin.run("UPDATE runtime_lease SET expires_at = " + server_now + " - 1");
  CHECK_FALSE(theirs.live_holder());
  CHECK(replica.step());
  CHECK(replica.held());
  CHECK_FALSE(mine.renew("a", 60s));
}

TEST_CASE_FIXTURE(SharedPostgres, "postgres lease: a write held up by a row lock fails in ttl/3") {
  auto lease_settings = postgres::lease_database_settings(settings, 3s);
  CHECK(lease_settings.pool_size == 1);
  CHECK(lease_settings.acquire_timeout == 1s);
  CHECK(lease_settings.statement_timeout == 1s);
  postgres::Database lease_database(lease_settings);
  postgres::PostgresLeaseStore store(lease_database);
  REQUIRE(store.acquire("a", 3s, false));

  postgres::Connection blocker(settings);
  blocker.run("BEGIN");
  blocker.run("SELECT * FROM runtime_lease FOR UPDATE");
  auto began = std::chrono::steady_clock::now();
  CHECK_THROWS(store.renew("a", 3s));
  CHECK(std::chrono::steady_clock::now() - began < 2s);
  blocker.run("ROLLBACK");
  CHECK(store.renew("a", 3s));
}

TEST_CASE_TEMPLATE("dead letters: kept with their envelope, error and time, in order", Shared,
                   SharedFile, SharedPostgres) {
  Shared shared;
  typename Shared::Letters letters(*shared.database);
  auto paid = paid_event("e1");
  letters.park({0, "delivery", paid, "no address", t0 + 1s});
  auto second = paid_event("e2");
  letters.park({0, "dashboard", second, "disk full", t0 + 2s});
  auto kept = letters.list(10);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].consumer == "delivery");
  CHECK(kept[0].event == paid);
  CHECK(kept[0].error == "no address");
  CHECK(kept[0].parked_at == t0 + 1s);
  CHECK(kept[1].event.id == "e2");
  CHECK(letters.list(1).size() == 1);

  // Named by sequence for a redelivery, and forgotten after one.
  CHECK(kept[0].sequence != kept[1].sequence);
  REQUIRE(letters.find(kept[1].sequence));
  CHECK(letters.find(kept[1].sequence)->event == second);
  letters.discard(kept[0].sequence);
  CHECK_FALSE(letters.find(kept[0].sequence));
  REQUIRE(letters.list(10).size() == 1);
  CHECK(letters.list(10)[0].event.id == "e2");
}

TEST_CASE_FIXTURE(SharedFile, "sqlite dead letters: kept on reopening") {
  sqlite::SqliteDeadLetters(*database).park({0, "delivery", paid_event("e1"), "no address", t0});
  reopen();
  auto kept = sqlite::SqliteDeadLetters(*database).list(10);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].event == paid_event("e1"));
}

TEST_CASE_FIXTURE(SharedPostgres, "postgres dead letters: a sequence is never handed out twice") {
  postgres::PostgresDeadLetters letters(*database);
  letters.park({0, "delivery", paid_event("e1"), "no address", t0});
  auto first = letters.list(10).at(0).sequence;
  letters.discard(first);
  // The last one gone, SQLite's rowid would hand out its sequence again.
  letters.park({0, "delivery", paid_event("e2"), "no address", t0});
  auto next = letters.list(10).at(0).sequence;
  CHECK(next > first);
  CHECK_FALSE(letters.find(first));
}
