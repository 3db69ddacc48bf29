#include <doctest/doctest.h>

#include <chrono>

#include "application/stock/events.hpp"
#include "delegating_stock_store.hpp"
#include "domain/failure_check.hpp"
#include "outbox_reading.hpp"
#include "stock_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using namespace std::chrono_literals;

namespace {

struct ShortTtl : StockFixture {
  ShortTtl() : StockFixture(stock::StockSettings{5, std::chrono::seconds(60)}) {
    shelve("p-1", 10);
  }
};

}  // namespace

TEST_CASE_FIXTURE(ShortTtl, "confirm just before the deadline sells") {
  stock->reserve("o-1", lines({{"p-1", 4}}));
  clock.advance(60s - 1ms);
  stock->confirm("o-1");
  auto view = stock->level("p-1");
  CHECK(view.on_hand == 6);
  CHECK(view.reserved == 0);
}

TEST_CASE_FIXTURE(ShortTtl, "confirm after the deadline fails and releases the units") {
  stock->reserve("o-1", lines({{"p-1", 4}}));
  clock.advance(60s);
  CHECK_FAILURE(FailureKind::conflict, "reservation_expired", stock->confirm("o-1"));

  auto view = stock->level("p-1");
  CHECK(view.on_hand == 10);
  CHECK(view.reserved == 0);
  auto released = pending_events(store, stock::StockReleased::type);
  REQUIRE(released.size() == 1);
  CHECK(stock::decode_stock_released(released[0].data).reason == "expired");
  CHECK(pending_events(store, stock::StockSold::type).empty());

  // Asking again gives the same answer without releasing twice.
  CHECK_FAILURE(FailureKind::conflict, "reservation_expired", stock->confirm("o-1"));
  CHECK(pending_events(store, stock::StockReleased::type).size() == 1);
  CHECK(stock->level("p-1").reserved == 0);
}

TEST_CASE_FIXTURE(ShortTtl, "release_expired sweeps only held reservations past their deadline") {
  stock->reserve("o-early", lines({{"p-1", 1}}));
  stock->reserve("o-paid", lines({{"p-1", 2}}));
  stock->confirm("o-paid");
  clock.advance(30s);
  stock->reserve("o-late", lines({{"p-1", 3}}));

  CHECK(stock->release_expired() == 0);
  clock.advance(30s);
  CHECK(stock->release_expired() == 1);
  CHECK(stock->level("p-1").reserved == 3);
  CHECK(stock->release_expired() == 0);

  clock.advance(30s);
  CHECK(stock->release_expired() == 1);
  auto view = stock->level("p-1");
  CHECK(view.reserved == 0);
  CHECK(view.on_hand == 8);

  auto released = pending_events(store, stock::StockReleased::type);
  REQUIRE(released.size() == 2);
  CHECK(released[0].subject == "o-early");
  CHECK(released[1].subject == "o-late");
  CHECK(stock::decode_stock_released(released[1].data).reason == "expired");
  CHECK_FAILURE(FailureKind::conflict, "reservation_expired", stock->confirm("o-late"));
}

TEST_CASE_FIXTURE(ShortTtl, "an expired reservation's units can be reserved by another order") {
  stock->reserve("o-1", lines({{"p-1", 10}}));
  CHECK_FALSE(stock->reserve("o-2", lines({{"p-1", 1}})).reserved);
  clock.advance(61s);
  stock->release_expired();
  CHECK(stock->reserve("o-2", lines({{"p-1", 10}})).reserved);
}

namespace {

// Lists reservations that were settled after the sweep looked: the race
// between release_expired and a confirm, staged without threads.
class StaleSweepStore final : public DelegatingStockStore {
 public:
  std::vector<std::string> stale;
  std::vector<std::string> expired_reservations(Timestamp now, std::size_t limit) override {
    auto found = inner.expired_reservations(now, limit);
    found.insert(found.end(), stale.begin(), stale.end());
    return found;
  }
};

struct RacingSweep {
  StaleSweepStore store;
  FakeProducts products;
  memory::ManualClock clock;
  memory::SequentialIds ids;
  std::unique_ptr<stock::StockApi> stock =
      stock::make_stock_service({store, products, clock, ids, {5, std::chrono::seconds(60)}});
};

}  // namespace

TEST_CASE_FIXTURE(RacingSweep, "release_expired re-checks each reservation before releasing it") {
  products.active.insert("p-1");
  stock->restock("p-1", 10);
  stock->reserve("o-paid", {{"p-1", 4}});
  stock->confirm("o-paid");
  stock->reserve("o-held", {{"p-1", 2}});
  store.stale = {"o-paid", "o-held", "o-gone"};

  CHECK(stock->release_expired() == 0);
  auto view = stock->level("p-1");
  CHECK(view.on_hand == 6);
  CHECK(view.reserved == 2);
}
