#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>

#include "adapters/memory/webhook/memory_webhook_store.hpp"
#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "adapters/sqlite/webhook/sqlite_webhook_store.hpp"
#include "sqlite/postgres_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace shop;
using webhook::DeliveryStatus;
using webhook::WebhookDelivery;

namespace {

Timestamp at(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }

WebhookDelivery queued(const std::string& id, const std::string& event_id,
                       const std::string& url = "https://hooks.example.com/a",
                       std::int64_t due = 1000) {
  return WebhookDelivery{id,
                         url,
                         EventEnvelope{event_id, "shop.order.paid.v1", "/shopbox/order", "order-1",
                                       at(900), R"({"order_id":"order-1"})"},
                         DeliveryStatus::pending,
                         0,
                         at(due),
                         "",
                         at(950),
                         at(950)};
}

// A migrated database file in a temporary directory.
struct SqliteStores {
  testing::TempDir dir;
  std::unique_ptr<sqlite::Database> database;
  std::unique_ptr<sqlite::SqliteWebhookStore> store;

  SqliteStores() { open(); }
  void open() {
    store.reset();
    sqlite::DatabaseSettings settings;
    settings.path = dir.file("shopbox.db");
    database = std::make_unique<sqlite::Database>(settings);
    std::vector<sqlite::ModuleSchema> schemas{sqlite::webhook_schema()};
    sqlite::migrate(*database, schemas);
    store = std::make_unique<sqlite::SqliteWebhookStore>(*database);
  }
  webhook::WebhookStore& get() { return *store; }
};

// A fresh schema on the private PostgreSQL cluster.
struct PostgresStores {
  testing::PostgresFixture fixture;
  postgres::PostgresWebhookStore store{*fixture.database};
  webhook::WebhookStore& get() { return store; }
};

struct MemoryStores {
  memory::MemoryWebhookStore store;
  webhook::WebhookStore& get() { return store; }
};

bool enqueue(webhook::WebhookStore& store, const WebhookDelivery& d) {
  bool added = false;
  store.write([&](webhook::WebhookTransaction& tx) { added = tx.enqueue(d); });
  return added;
}

std::vector<std::string> ids_of(const std::vector<WebhookDelivery>& deliveries) {
  std::vector<std::string> ids;
  for (const auto& d : deliveries) ids.push_back(d.id);
  return ids;
}

}  // namespace

TEST_CASE_TEMPLATE("a webhook store keeps one delivery per event and subscriber", Stores,
                   MemoryStores, SqliteStores, PostgresStores) {
  Stores stores;
  auto& store = stores.get();
  CHECK(enqueue(store, queued("d1", "e-1")));
  CHECK_FALSE(enqueue(store, queued("d2", "e-1")));  // the same event, another id
  CHECK(enqueue(store, queued("d3", "e-1", "https://hooks.example.com/b")));
  CHECK(enqueue(store, queued("d4", "e-2")));
  CHECK(store.find("d1") == queued("d1", "e-1"));
  CHECK_FALSE(store.find("d2").has_value());
  CHECK(ids_of(store.due(at(1000), 10)).size() == 3);
}

TEST_CASE_TEMPLATE("a webhook store lists what is due, most overdue first", Stores, MemoryStores,
                   SqliteStores, PostgresStores) {
  Stores stores;
  auto& store = stores.get();
  enqueue(store, queued("d1", "e-1", "https://a.example.com", 3000));
  enqueue(store, queued("d2", "e-2", "https://a.example.com", 1000));
  enqueue(store, queued("d3", "e-3", "https://a.example.com", 2000));
  enqueue(store, queued("d4", "e-4", "https://a.example.com", 9000));
  auto done = queued("d5", "e-5", "https://a.example.com", 500);
  done.status = DeliveryStatus::delivered;
  enqueue(store, done);
  auto dead = queued("d6", "e-6", "https://a.example.com", 500);
  dead.status = DeliveryStatus::dead;
  enqueue(store, dead);

  CHECK(ids_of(store.due(at(3000), 10)) == std::vector<std::string>{"d2", "d3", "d1"});
  CHECK(ids_of(store.due(at(3000), 2)) == std::vector<std::string>{"d2", "d3"});
  CHECK(store.due(at(999), 10).empty());
}

TEST_CASE_TEMPLATE("a webhook store saves changes and pages dead letters newest first", Stores,
                   MemoryStores, SqliteStores, PostgresStores) {
  Stores stores;
  auto& store = stores.get();
  for (const char* id : {"d1", "d2", "d3", "d4"}) enqueue(store, queued(id, std::string("e-") + id));
  store.write([](webhook::WebhookTransaction& tx) {
    for (const char* id : {"d1", "d2", "d4"}) {
      auto found = tx.find(id);
      REQUIRE(found.has_value());
      found->status = DeliveryStatus::dead;
      found->attempts = 8;
      found->last_error = "HTTP 503";
      found->next_attempt_at = at(5000);
      found->updated_at = at(6000);
      tx.save(*found);
    }
  });
  auto saved = store.find("d4");
  REQUIRE(saved.has_value());
  CHECK(saved->status == DeliveryStatus::dead);
  CHECK(saved->attempts == 8);
  CHECK(saved->last_error == "HTTP 503");
  CHECK(saved->next_attempt_at == at(5000));
  CHECK(saved->updated_at == at(6000));
  CHECK(saved->created_at == at(950));

  CHECK(ids_of(store.dead("", 2)) == std::vector<std::string>{"d4", "d2"});
  CHECK(ids_of(store.dead("d2", 2)) == std::vector<std::string>{"d1"});
  CHECK(ids_of(store.due(at(1000), 10)) == std::vector<std::string>{"d3"});
}

TEST_CASE_TEMPLATE("a webhook store write that throws leaves nothing behind", Stores, MemoryStores,
                   SqliteStores, PostgresStores) {
  Stores stores;
  auto& store = stores.get();
  CHECK_THROWS_AS(store.write([](webhook::WebhookTransaction& tx) {
    tx.enqueue(queued("d1", "e-1"));
    throw std::runtime_error("changed my mind");
  }),
                  std::runtime_error);
  CHECK_FALSE(store.find("d1").has_value());
  CHECK(enqueue(store, queued("d1", "e-1")));  // its unique key was not taken either
}

TEST_CASE("the SQLite webhook store keeps its deliveries across a restart") {
  SqliteStores stores;
  enqueue(stores.get(), queued("d1", "e-1"));
  stores.open();
  CHECK(stores.get().find("d1") == queued("d1", "e-1"));
  CHECK_FALSE(enqueue(stores.get(), queued("d2", "e-1")));
}
