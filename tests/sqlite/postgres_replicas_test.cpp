// Two replicas on one PostgreSQL database: each its own pool (its own
// Database), as two processes would have.
#include <doctest/doctest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "adapters/memory/test_doubles.hpp"
#include "application/stock/api.hpp"
#include "domain/shared/failure.hpp"
#include "sqlite/store_fixtures.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

// Every product exists: these tests are about stock, not the catalog.
class AnyProduct final : public catalog::ProductLookup {
 public:
  std::optional<catalog::ProductView> find_active(const std::string& id) override {
    catalog::ProductView view;
    view.id = id;
    return view;
  }
};

struct Replica {
  std::unique_ptr<postgres::Database> database;
  postgres::PostgresStockStore store{*database};
  AnyProduct products;
  memory::ManualClock clock;
  memory::SequentialIds ids;
  std::unique_ptr<stock::StockApi> stock =
      stock::make_stock_service({store, products, clock, ids, {}});

  // Event ids are unique in the outbox: each replica its own prefix.
  Replica(std::unique_ptr<postgres::Database> db, const std::string& id_prefix)
      : database(std::move(db)), ids(id_prefix) {}
};

}  // namespace

TEST_CASE("postgres: 100 customers on two replicas for 30 units, none oversold") {
  testing::PostgresFixture fixture;
  Replica first(fixture.replica(), "a-");
  Replica second(fixture.replica(), "b-");
  first.stock->restock("cup", 30);

  std::atomic<int> reserved{0};
  std::vector<std::jthread> customers;
  for (int i = 0; i < 100; ++i) {
    customers.emplace_back([&, i] {
      Replica& replica = i % 2 ? first : second;
      auto order = "order-" + std::to_string(i);
      if (replica.stock->reserve(order, {{"cup", 1}}).reserved) ++reserved;
    });
  }
  customers.clear();

  CHECK(reserved == 30);
  auto level = second.stock->level("cup");
  CHECK(level.reserved == 30);
  CHECK(level.available == 0);
  std::int64_t ledger_reserved = 0;
  for (const auto& row : first.stock->ledger("cup", 0, 1000)) {
    ledger_reserved += row.entry.reserved_delta;
  }
  CHECK(ledger_reserved == 30);
}

// Levels, reservations, orders, idempotency keys and payments are read FOR
// UPDATE at READ COMMITTED; a row read as absent has no lock, and these
// races are where an insert could overwrite a concurrent creator's row.
TEST_CASE("postgres: replicas creating one product's first level at once lose no restock") {
  testing::PostgresFixture fixture;
  Replica first(fixture.replica(), "a-");
  Replica second(fixture.replica(), "b-");
  constexpr int restocks = 40;
  std::vector<std::jthread> staff;
  for (int i = 0; i < restocks; ++i) {
    staff.emplace_back([&, i] { (i % 2 ? first : second).stock->restock("mug", 1); });
  }
  staff.clear();

  CHECK(first.stock->level("mug").on_hand == restocks);
  CHECK(first.stock->ledger("mug", 0, 1000).size() == std::size_t(restocks));
}

TEST_CASE("postgres: replicas reserving one order at once hold its units once") {
  testing::PostgresFixture fixture;
  Replica first(fixture.replica(), "a-");
  Replica second(fixture.replica(), "b-");
  first.stock->restock("cup", 10);
  std::atomic<int> reserved{0};
  std::vector<std::jthread> sagas;
  for (int i = 0; i < 12; ++i) {
    sagas.emplace_back([&, i] {
      if ((i % 2 ? first : second).stock->reserve("order-1", {{"cup", 2}}).reserved) ++reserved;
    });
  }
  sagas.clear();

  CHECK(reserved == 12);  // a repeated step answers as the first did
  CHECK(first.stock->level("cup").reserved == 2);
}

TEST_CASE("postgres order: replicas claiming one idempotency key at once, one claims it") {
  testing::PostgresFixture fixture;
  auto first = fixture.replica();
  auto second = fixture.replica();
  postgres::PostgresOrderStore on_first(*first), on_second(*second);
  postgres::PostgresOrderStore* stores[] = {&on_first, &on_second};
  // Several keys, each raced by requests let go at once: one key's race
  // can end before the next request has its connection.
  for (int round = 0; round < 10; ++round) {
    auto key = "key-" + std::to_string(round);
    std::atomic<int> claimed{0};
    std::latch start(12);
    std::vector<std::jthread> requests;
    for (int i = 0; i < 12; ++i) {
      requests.emplace_back([&, i] {
        start.arrive_and_wait();
        bool mine = false;
        stores[i % 2]->write([&](order::OrderTransaction& tx) {
          mine = !tx.idempotency("c-1", key);
          if (mine) {
            tx.save(order::IdempotencyRecord{"c-1", key, "digest", false, 0, "", Timestamp(1ms),
                                             "o-" + std::to_string(i)});
          }
        });
        if (mine) ++claimed;
      });
    }
    requests.clear();
    CHECK(claimed == 1);
  }
}

TEST_CASE("postgres payment: replicas starting one order's payment at once store one") {
  testing::PostgresFixture fixture;
  auto first = fixture.replica();
  auto second = fixture.replica();
  postgres::PostgresPaymentStore on_first(*first), on_second(*second);
  postgres::PostgresPaymentStore* stores[] = {&on_first, &on_second};
  std::atomic<int> started{0};
  std::vector<std::jthread> sagas;
  for (int i = 0; i < 12; ++i) {
    sagas.emplace_back([&, i] {
      bool mine = false;
      stores[i % 2]->write([&](payment::PaymentTransaction& tx) {
        mine = !tx.by_order("o1");
        if (mine) {
          tx.save(payment::Payment::start("pay-" + std::to_string(i), "o1", "c-1", {9000, "KRW"},
                                          "card", "tok_ok", Timestamp(1ms)));
        }
      });
      if (mine) ++started;
    });
  }
  sagas.clear();

  CHECK(started == 1);
  CHECK(on_second.by_order("o1"));
}

TEST_CASE("postgres outbox: a relay reading while two replicas write misses no event") {
  testing::PostgresFixture fixture;
  auto first = fixture.replica();
  auto second = fixture.replica();
  postgres::PostgresStockStore on_first(*first), on_second(*second);
  postgres::PostgresStockStore* stores[] = {&on_first, &on_second};
  constexpr int writers = 4, events_each = 150;
  std::atomic<bool> writing{true};
  std::vector<std::jthread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < events_each; ++i) {
        stores[w % 2]->write([&](stock::StockTransaction& tx) {
          tx.publish(EventEnvelope{"w" + std::to_string(w) + "-" + std::to_string(i),
                                   "shop.stock.restocked.v1", "/shopbox/stock", "p1",
                                   Timestamp(1ms), "{}"});
        });
      }
    });
  }
  // The relay's way: read what is unpublished, mark up to the last one read.
  std::multiset<std::string> relayed;
  auto relay_once = [&] {
    auto batch = stores[0]->outbox().unpublished(50);
    for (const auto& record : batch) relayed.insert(record.event.id);
    if (!batch.empty()) stores[0]->outbox().mark_published(batch.back().sequence);
    return batch.size();
  };
  std::jthread relay([&] {
    while (writing) relay_once();
  });
  threads.clear();
  writing = false;
  relay.join();
  while (relay_once() > 0) continue;

  CHECK(relayed.size() == std::size_t(writers * events_each));
  CHECK(std::set<std::string>(relayed.begin(), relayed.end()).size() == relayed.size());
}

TEST_CASE("postgres dashboard: replicas storing events at once number each once, without gaps") {
  testing::PostgresFixture fixture;
  auto first = fixture.replica();
  auto second = fixture.replica();
  postgres::PostgresDashboardStore on_first(*first), on_second(*second);
  postgres::PostgresDashboardStore* stores[] = {&on_first, &on_second};
  constexpr int writers = 4, events_each = 40;
  std::atomic<int> stored{0};
  std::vector<std::jthread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < events_each; ++i) {
        // Writers w and w+2 share their events, as a redelivery to another
        // replica would: each must be stored once.
        std::string id = "w" + std::to_string(w % 2) + "-" + std::to_string(i);
        bool added = false;
        stores[w % 2]->write([&](dashboard::DashboardTransaction& tx) {
          added = tx.store_event(EventEnvelope{id, "shop.order.placed.v1", "/shopbox/order",
                                               "o-" + id, Timestamp(1ms), "{}"});
        });
        if (added) ++stored;
      }
    });
  }
  threads.clear();

  constexpr int distinct = 2 * events_each;
  CHECK(stored == distinct);
  auto events = on_first.stored_events(0, 1000);
  REQUIRE(events.size() == std::size_t(distinct));
  std::set<std::string> ids;
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].position == std::int64_t(i + 1));
    ids.insert(events[i].event.id);
  }
  CHECK(ids.size() == events.size());
  CHECK(first->stats().retries + second->stats().retries > 0);  // they did meet
}

TEST_CASE("postgres delivery: replicas requesting one order's delivery at once store one") {
  testing::PostgresFixture fixture;
  auto first = fixture.replica();
  auto second = fixture.replica();
  postgres::PostgresDeliveryStore on_first(*first), on_second(*second);
  postgres::PostgresDeliveryStore* stores[] = {&on_first, &on_second};
  const delivery::Address address{"Kim", "1 Sejong-daero", "", "Seoul", "04524", "010"};
  constexpr int attempts = 8;
  std::atomic<int> saved{0}, refused{0};
  std::vector<std::jthread> threads;
  for (int i = 0; i < attempts; ++i) {
    threads.emplace_back([&, i] {
      auto requested = delivery::Delivery::request("d" + std::to_string(i), "o1", "c1", address,
                                                   Timestamp(1ms));
      try {
        stores[i % 2]->write([&](delivery::DeliveryTransaction& tx) { tx.save(requested); });
        ++saved;
      } catch (const Failure& failure) {
        if (failure.code() == "delivery_exists") ++refused;
      }
    });
  }
  threads.clear();

  CHECK(saved == 1);
  CHECK(refused == attempts - 1);
  CHECK(on_second.by_order("o1"));
}
