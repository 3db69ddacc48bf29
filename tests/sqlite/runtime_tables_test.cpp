#include <doctest/doctest.h>

#include "adapters/sqlite/sqlite_dead_letters.hpp"
#include "adapters/sqlite/sqlite_lease_store.hpp"
#include "sqlite/sqlite_fixture.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

const Timestamp t0{std::chrono::milliseconds(1'800'000'000'000)};

// Two processes' views of one file: each its own connections.
struct SharedFile : testing::SqliteFixture {
  std::unique_ptr<sqlite::Database> other = open();
  sqlite::SqliteLeaseStore mine{*database};
  sqlite::SqliteLeaseStore theirs{*other};
};

}  // namespace

TEST_CASE_FIXTURE(SharedFile, "sqlite lease: a free lease is taken, a held one is not") {
  CHECK_FALSE(mine.current());
  CHECK(mine.acquire("a", t0, t0 + 15s, false));
  CHECK_FALSE(theirs.acquire("b", t0 + 1s, t0 + 16s, false));
  auto holder = theirs.current();
  REQUIRE(holder);
  CHECK(holder->id == "a");
  CHECK(holder->expires_at == t0 + 15s);
  CHECK(mine.acquire("a", t0 + 2s, t0 + 17s, false));  // its own again
}

TEST_CASE_FIXTURE(SharedFile, "sqlite lease: renewed only by its holder") {
  REQUIRE(mine.acquire("a", t0, t0 + 15s, false));
  CHECK(mine.renew("a", t0 + 20s));
  CHECK_FALSE(theirs.renew("b", t0 + 20s));
  CHECK(theirs.current()->expires_at == t0 + 20s);
  CHECK_FALSE(theirs.acquire("b", t0 + 19s, t0 + 30s, false));
  CHECK(theirs.acquire("b", t0 + 20s, t0 + 35s, false));  // expired at t0 + 20s
  CHECK_FALSE(mine.renew("a", t0 + 40s));
}

TEST_CASE_FIXTURE(SharedFile, "sqlite lease: released by its holder only, then free to take") {
  REQUIRE(mine.acquire("a", t0, t0 + 15s, false));
  theirs.release("b");
  CHECK(mine.current()->id == "a");
  mine.release("a");
  CHECK(mine.current()->id.empty());
  CHECK(theirs.acquire("b", t0 + 1s, t0 + 16s, false));
}

TEST_CASE_FIXTURE(SharedFile, "sqlite lease: taken from anyone when asked, and kept on reopening") {
  REQUIRE(mine.acquire("a", t0, t0 + 15s, false));
  CHECK(theirs.acquire("b", t0 + 1s, t0 + 16s, true));
  reopen();
  sqlite::SqliteLeaseStore reopened{*database};
  CHECK(reopened.current()->id == "b");
  CHECK_FALSE(reopened.renew("a", t0 + 30s));
}

TEST_CASE_FIXTURE(SharedFile, "sqlite dead letters: kept with their envelope, error and time, in order") {
  sqlite::SqliteDeadLetters letters(*database);
  EventEnvelope paid{"e1", "shop.order.paid.v1", "/shopbox/order", "order-1", t0,
                     R"({"order_id":"order-1"})"};
  letters.park({0, "delivery", paid, "no address", t0 + 1s});
  auto second = paid;
  second.id = "e2";
  letters.park({0, "dashboard", second, "disk full", t0 + 2s});
  reopen();
  auto kept = sqlite::SqliteDeadLetters(*database).list(10);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].consumer == "delivery");
  CHECK(kept[0].event == paid);
  CHECK(kept[0].error == "no address");
  CHECK(kept[0].parked_at == t0 + 1s);
  CHECK(kept[1].event.id == "e2");
  CHECK(sqlite::SqliteDeadLetters(*database).list(1).size() == 1);

  // Named by sequence for a redelivery, and forgotten after one.
  sqlite::SqliteDeadLetters reopened(*database);
  CHECK(kept[0].sequence != kept[1].sequence);
  REQUIRE(reopened.find(kept[1].sequence));
  CHECK(reopened.find(kept[1].sequence)->event == second);
  reopened.discard(kept[0].sequence);
  CHECK_FALSE(reopened.find(kept[0].sequence));
  REQUIRE(reopened.list(10).size() == 1);
  CHECK(reopened.list(10)[0].event.id == "e2");
}
