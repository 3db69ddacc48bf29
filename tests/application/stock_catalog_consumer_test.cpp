#include <doctest/doctest.h>

#include <chrono>
#include <utility>
#include <vector>

#include "adapters/memory/test_doubles.hpp"
#include "application/catalog/events.hpp"
#include "application/stock/api.hpp"
#include "delegating_stock_store.hpp"
#include "domain/failure_check.hpp"
#include "stock_fixture.hpp"

using namespace shop;
using namespace shop::testing;

namespace {

// Records what the inbox answered, to tell "skipped by the inbox" from
// "skipped for another reason".
class InboxSpyStore final : public DelegatingStockStore {
 public:
  std::vector<std::pair<std::string, bool>> deliveries;  // event id, first?

  void write(const std::function<void(stock::StockTransaction&)>& work) override {
    inner.write([&](stock::StockTransaction& tx) {
      Spy spy(tx, *this);
      work(spy);
    });
  }

 private:
  class Spy final : public stock::StockTransaction {
   public:
    Spy(stock::StockTransaction& tx, InboxSpyStore& owner) : tx_(tx), owner_(owner) {}
    std::optional<stock::StockLevel> level(const std::string& id) override { return tx_.level(id); }
    void save(const stock::StockLevel& level) override { tx_.save(level); }
    std::int64_t record(const stock::LedgerEntry& entry, Timestamp at) override {
      return tx_.record(entry, at);
    }
    std::optional<stock::Reservation> reservation(const std::string& id) override {
      return tx_.reservation(id);
    }
    void save(const stock::Reservation& reservation) override { tx_.save(reservation); }
    bool first_delivery(const std::string& consumer, const std::string& event_id) override {
      CHECK(consumer == "stock");
      bool first = tx_.first_delivery(consumer, event_id);
      owner_.deliveries.emplace_back(event_id, first);
      return first;
    }
    void publish(const EventEnvelope& event) override { tx_.publish(event); }

   private:
    stock::StockTransaction& tx_;
    InboxSpyStore& owner_;
  };
};

EventEnvelope product_created(const std::string& product_id, const std::string& event_id) {
  catalog::ProductCreated event{{product_id, "SKU-" + product_id, "Tea", "", Money{1000, "KRW"},
                                 "tea", 1}};
  return make_envelope(event, event_id, memory::ManualClock().now());
}

struct Consumer {
  InboxSpyStore store;
  FakeProducts products;  // empty until a test shelves the product: levels come from events
  memory::ManualClock clock;
  memory::SequentialIds ids;
  std::unique_ptr<stock::StockApi> stock =
      stock::make_stock_service({store, products, clock, ids, {7, std::chrono::seconds(900)}});
};

}  // namespace

TEST_CASE_FIXTURE(Consumer, "ProductCreated gives the product an empty level") {
  CHECK_FALSE(store.level("p-1"));
  stock->on_catalog_event(product_created("p-1", "e-1"));
  auto level = store.level("p-1");
  REQUIRE(level);
  CHECK(level->on_hand() == 0);
  CHECK(level->reserved() == 0);
  CHECK(level->low_stock_threshold() == 7);
  // Commands still ask the catalog: a level alone does not make a product.
  CHECK_FAILURE(FailureKind::not_found, "product_not_found", stock->restock("p-1", 3));
  products.active.insert("p-1");
  CHECK(stock->restock("p-1", 3).on_hand == 3);
}

TEST_CASE_FIXTURE(Consumer, "the same ProductCreated delivered twice is handled once") {
  products.active.insert("p-1");
  auto envelope = product_created("p-1", "e-1");
  stock->on_catalog_event(envelope);
  stock->restock("p-1", 4);
  stock->on_catalog_event(envelope);

  CHECK(stock->level("p-1").on_hand == 4);
  REQUIRE(store.deliveries.size() == 2);
  CHECK(store.deliveries[0] == std::pair<std::string, bool>{"e-1", true});
  CHECK(store.deliveries[1] == std::pair<std::string, bool>{"e-1", false});
}

TEST_CASE_FIXTURE(Consumer, "a second ProductCreated for a stocked product keeps its level") {
  products.active.insert("p-1");
  stock->on_catalog_event(product_created("p-1", "e-1"));
  stock->restock("p-1", 4);
  stock->on_catalog_event(product_created("p-1", "e-2"));
  CHECK(stock->level("p-1").on_hand == 4);
  REQUIRE(store.deliveries.size() == 2);
  CHECK(store.deliveries[1].second);
}

TEST_CASE_FIXTURE(Consumer, "other catalog events are ignored") {
  catalog::ProductUpdated updated{{"p-1", "SKU", "Tea", "", Money{1000, "KRW"}, "tea", 2}};
  stock->on_catalog_event(make_envelope(updated, "e-1", clock.now()));
  catalog::ProductDeleted deleted{"p-1", 3};
  stock->on_catalog_event(make_envelope(deleted, "e-2", clock.now()));
  CHECK_FALSE(store.level("p-1").has_value());
  CHECK(store.deliveries.empty());
}
