#include <doctest/doctest.h>

#include "adapters/postgres/postgres_dead_letters.hpp"
#include "adapters/postgres/postgres_lease_store.hpp"
#include "adapters/sqlite/sqlite_dead_letters.hpp"
#include "adapters/sqlite/sqlite_lease_store.hpp"
#include "sqlite/postgres_fixture.hpp"
#include "sqlite/sqlite_fixture.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

const Timestamp t0{std::chrono::milliseconds(1'800'000'000'000)};

// Two processes' views of one file: each its own connections.
struct SharedFile : testing::SqliteFixture {
  using Letters = sqlite::SqliteDeadLetters;
  std::unique_ptr<sqlite::Database> other = open();
  sqlite::SqliteLeaseStore mine{*database};
  sqlite::SqliteLeaseStore theirs{*other};
};

// Two replicas on one PostgreSQL database.
struct SharedPostgres : testing::PostgresFixture {
  using Letters = postgres::PostgresDeadLetters;
  std::unique_ptr<postgres::Database> other = replica();
  postgres::PostgresLeaseStore mine{*database};
  postgres::PostgresLeaseStore theirs{*other};
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
  CHECK_FALSE(mine.current());
  CHECK(mine.acquire("a", t0, t0 + 15s, false));
  CHECK_FALSE(theirs.acquire("b", t0 + 1s, t0 + 16s, false));
  auto holder = theirs.current();
  REQUIRE(holder);
  CHECK(holder->id == "a");
  CHECK(holder->expires_at == t0 + 15s);
  CHECK(mine.acquire("a", t0 + 2s, t0 + 17s, false));  // its own again
}

TEST_CASE_TEMPLATE("lease: renewed only by its holder", Shared, SharedFile, SharedPostgres) {
  Shared shared;
  auto& mine = shared.mine;
  auto& theirs = shared.theirs;
  REQUIRE(mine.acquire("a", t0, t0 + 15s, false));
  CHECK(mine.renew("a", t0 + 20s));
  CHECK_FALSE(theirs.renew("b", t0 + 20s));
  CHECK(theirs.current()->expires_at == t0 + 20s);
  CHECK_FALSE(theirs.acquire("b", t0 + 19s, t0 + 30s, false));
  CHECK(theirs.acquire("b", t0 + 20s, t0 + 35s, false));  // expired at t0 + 20s
  CHECK_FALSE(mine.renew("a", t0 + 40s));
}

TEST_CASE_TEMPLATE("lease: released by its holder only, then free to take", Shared, SharedFile,
                   SharedPostgres) {
  Shared shared;
  auto& mine = shared.mine;
  auto& theirs = shared.theirs;
  REQUIRE(mine.acquire("a", t0, t0 + 15s, false));
  theirs.release("b");
  CHECK(mine.current()->id == "a");
  mine.release("a");
  CHECK(mine.current()->id.empty());
  CHECK(theirs.acquire("b", t0 + 1s, t0 + 16s, false));
}

TEST_CASE_TEMPLATE("lease: taken from anyone when asked", Shared, SharedFile, SharedPostgres) {
  Shared shared;
  REQUIRE(shared.mine.acquire("a", t0, t0 + 15s, false));
  CHECK(shared.theirs.acquire("b", t0 + 1s, t0 + 16s, true));
  CHECK(shared.mine.current()->id == "b");
  CHECK_FALSE(shared.mine.renew("a", t0 + 30s));
}

TEST_CASE_FIXTURE(SharedFile, "sqlite lease: kept on reopening") {
  REQUIRE(theirs.acquire("b", t0, t0 + 16s, false));
  reopen();
  sqlite::SqliteLeaseStore reopened{*database};
  CHECK(reopened.current()->id == "b");
  CHECK(reopened.current()->expires_at == t0 + 16s);
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
