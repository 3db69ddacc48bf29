#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/inprocess/in_process_event_bus.hpp"
#include "adapters/memory/identity/memory_identity_store.hpp"
#include "application/catalog/events.hpp"
#include "application/identity/events.hpp"
#include "application/shared/outbox_relay.hpp"
#include "application/stock/api.hpp"
#include "catalog_fixture.hpp"
#include "domain/shared/failure.hpp"
#include "outbox_reading.hpp"
#include "stock_fixture.hpp"

using namespace shop;
using namespace shop::testing;

namespace {

const char* const created = catalog::ProductCreated::type;
const char* const updated = catalog::ProductUpdated::type;
const char* const deleted = catalog::ProductDeleted::type;

struct Relay : CatalogFixture {
  inprocess::InProcessEventBus bus;
  memory::SilentLog log;
  OutboxRelay relay{{&store}, bus, log, clock, {3}};
  std::mutex receiving;  // the bus delivers several subjects at once
  std::vector<std::string> received;  // "type subject"

  void record_all() {
    for (const char* type : {created, updated, deleted}) {
      bus.subscribe(type, "recorder", [this](const EventEnvelope& e) {
        std::lock_guard lock(receiving);
        received.push_back(e.type + " " + e.subject);
      });
    }
  }

  std::vector<std::string> received_about(const std::string& subject) {
    std::vector<std::string> about;
    for (const auto& entry : received) {
      if (entry.ends_with(" " + subject)) about.push_back(entry);
    }
    return about;
  }
};

}  // namespace

TEST_CASE_FIXTURE(Relay, "each subject's events reach subscribers in commit order, then are published") {
  record_all();
  auto a = catalog->create(input("A"));
  auto b = catalog->create(input("B"));
  catalog->update(a.id, input("A", "A2"), 0);
  catalog->remove(b.id, 0);
  CHECK_FALSE(relay.drained());

  CHECK(relay.relay_pending() == 4);
  CHECK(received.size() == 4);
  CHECK(received_about(a.id) ==
        std::vector<std::string>{std::string(created) + " " + a.id, std::string(updated) + " " + a.id});
  CHECK(received_about(b.id) ==
        std::vector<std::string>{std::string(created) + " " + b.id, std::string(deleted) + " " + b.id});
  CHECK(relay.drained());
  CHECK(store.unpublished(10).empty());
  CHECK(relay.relay_pending() == 0);
  CHECK(received.size() == 4);
}

TEST_CASE_FIXTURE(Relay, "a failing handler keeps its event, and those after it, for the next pass") {
  // Fails the batch, then the event's own delivery: down for one pass.
  int failures_left = 2;
  std::vector<std::string> flaky_saw;
  bus.subscribe(updated, "flaky", [&](const EventEnvelope& e) {
    flaky_saw.push_back(e.id);
    if (failures_left-- > 0) throw std::runtime_error("consumer down");
  });
  record_all();
  auto a = catalog->create(input("A"));
  catalog->update(a.id, input("A", "A2"), 0);
  auto b = catalog->create(input("B"));

  CHECK(relay.relay_pending() == 1);
  CHECK_FALSE(relay.drained());
  auto pending = pending_events(store);
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].type == updated);

  CHECK(relay.relay_pending() == 2);
  CHECK(relay.drained());
  CHECK(flaky_saw.size() == 3);
  // Delivery is at least once: the recorder saw events again, first ones
  // always in commit order for their subject, which is what its inbox keeps.
  auto first_seen = [&](const std::string& subject) {
    std::vector<std::string> first;
    for (const auto& seen : received_about(subject)) {
      if (std::find(first.begin(), first.end(), seen) == first.end()) first.push_back(seen);
    }
    return first;
  };
  CHECK(first_seen(a.id) ==
        std::vector<std::string>{std::string(created) + " " + a.id, std::string(updated) + " " + a.id});
  CHECK(first_seen(b.id) == std::vector<std::string>{std::string(created) + " " + b.id});
}

TEST_CASE_FIXTURE(Relay, "a batch is one delivery; a failure in it delivers its events one by one") {
  int failures_left = 1;
  bus.subscribe(updated, "flaky", [&](const EventEnvelope&) {
    if (failures_left-- > 0) throw std::runtime_error("consumer down");
  });
  std::vector<std::size_t> batches;
  bus.subscribe_all("batches", [&](const std::vector<EventEnvelope>& events) {
    batches.push_back(events.size());
  });
  auto a = catalog->create(input("A"));
  catalog->update(a.id, input("A", "A2"), 0);
  catalog->create(input("B"));

  CHECK(relay.relay_pending() == 3);
  CHECK(batches == std::vector<std::size_t>{3, 1, 1, 1});
  CHECK(relay.drained());
}

TEST_CASE_FIXTURE(Relay, "a backlog larger than one batch is relayed in one pass") {
  record_all();
  for (int i = 0; i < 300; ++i) catalog->create(input("SKU-" + std::to_string(i)));
  CHECK(relay.relay_pending() == 300);
  CHECK(received.size() == 300);
  CHECK(relay.drained());
}

TEST_CASE_FIXTURE(Relay, "events without subscribers are published all the same") {
  catalog->create(input("A"));
  CHECK(relay.relay_pending() == 1);
  CHECK(relay.drained());
}

TEST_CASE("one failing outbox does not hold back the others") {
  CatalogFixture catalog_side;
  memory::MemoryIdentityStore identity_store;
  identity_store.write([](identity::IdentityTransaction& tx) {
    tx.publish(make_envelope(identity::UserRegistered{"u-1", "kim@example.com", "Kim", "customer"},
                             "e-user", memory::ManualClock().now()));
  });
  inprocess::InProcessEventBus bus;
  memory::SilentLog log;
  OutboxRelay relay({&catalog_side.store, &identity_store}, bus, log, catalog_side.clock);
  bus.subscribe(created, "broken", [](const EventEnvelope&) { throw std::runtime_error("no"); });
  std::vector<std::string> users;
  bus.subscribe(identity::UserRegistered::type, "users",
                [&](const EventEnvelope& e) { users.push_back(e.subject); });
  catalog_side.catalog->create(CatalogFixture::input("A"));

  CHECK(relay.relay_pending() == 1);
  CHECK(users == std::vector<std::string>{"u-1"});
  CHECK(identity_store.unpublished(10).empty());
  CHECK(catalog_side.store.unpublished(10).size() == 1);
  CHECK_FALSE(relay.drained());
}

TEST_CASE("catalog events relayed to stock create levels exactly once") {
  CatalogFixture catalog_side;
  StockFixture stock_side;
  inprocess::InProcessEventBus bus;
  memory::SilentLog log;
  OutboxRelay relay({&catalog_side.store}, bus, log, catalog_side.clock);
  bus.subscribe(created, "stock",
                [&](const EventEnvelope& e) { stock_side.stock->on_catalog_event(e); });
  int failures_left = 2;
  // A second consumer fails (the batch, then the event alone), so the event
  // is delivered to stock three times.
  bus.subscribe(created, "dashboard", [&](const EventEnvelope&) {
    if (failures_left-- > 0) throw std::runtime_error("dashboard down");
  });

  auto product = catalog_side.catalog->create(CatalogFixture::input("A"));
  CHECK(relay.relay_pending() == 0);
  REQUIRE(stock_side.store.level(product.id).has_value());
  stock_side.products.active.insert(product.id);
  stock_side.stock->restock(product.id, 6);

  CHECK(relay.relay_pending() == 1);
  CHECK(relay.drained());
  CHECK(stock_side.stock->level(product.id).on_hand == 6);
  CHECK(stock_side.stock->ledger(product.id, 0, 10).size() == 1);
}

// SPEC 1 (Events and the bus): a failing handler is retried "and, after a
// bound, parked for staff to see", so a poison event cannot block the rest.
TEST_CASE_FIXTURE(Relay, "a handler that never succeeds is parked and stops blocking its outbox") {
  record_all();
  bus.subscribe(updated, "poisoned", [](const EventEnvelope&) {
    throw std::runtime_error("cannot handle this event");
  });
  auto a = catalog->create(input("A"));
  catalog->update(a.id, input("A", "A2"), 0);
  auto b = catalog->create(input("B"));

  CHECK(relay.relay_pending() == 1);
  CHECK(relay.relay_pending() == 0);
  CHECK(store.parked(10).empty());
  // The third failure reaches the bound of 3: parked, and the rest flows.
  CHECK(relay.relay_pending() == 2);
  CHECK(received.back() == std::string(created) + " " + b.id);
  CHECK(relay.drained());
  auto parked = store.parked(10);
  REQUIRE(parked.size() == 1);
  CHECK(parked[0].record.event.type == updated);
  CHECK(parked[0].record.event.subject == a.id);
  CHECK(parked[0].error.find("cannot handle this event") != std::string::npos);
  CHECK(parked[0].parked_at == clock.now());
}

namespace {

// An outbox that always has a full batch more: a module under steady load.
struct EndlessOutbox final : Outbox {
  std::int64_t next = 1;
  std::size_t rounds_left;
  explicit EndlessOutbox(std::size_t rounds) : rounds_left(rounds) {}

  std::vector<OutboxRecord> unpublished(std::size_t limit) override {
    std::vector<OutboxRecord> batch;
    if (rounds_left == 0) return batch;
    --rounds_left;
    for (std::size_t i = 0; i < limit; ++i) {
      batch.push_back({next, EventEnvelope{"busy-" + std::to_string(next), "shop.busy.v1", "busy",
                                           "s", Timestamp{}, "{}"}});
      ++next;
    }
    return batch;
  }
  void mark_published(std::int64_t) override {}
  void park(const OutboxRecord&, const std::string&, Timestamp) override {}
  std::vector<ParkedEvent> parked(std::size_t) override { return {}; }
  OutboxBacklog backlog() override { return {}; }
};

}  // namespace

TEST_CASE_FIXTURE(Relay, "a busy outbox does not hold back the events of the outboxes after it") {
  EndlessOutbox busy(5);
  std::vector<std::string> order;
  bus.subscribe("shop.busy.v1", "recorder", [&](const EventEnvelope&) { order.push_back("busy"); });
  bus.subscribe(created, "recorder", [&](const EventEnvelope&) { order.push_back("created"); });
  catalog->create(input("A"));
  OutboxRelay fair{{&busy, &store}, bus, log, clock, {3}};

  fair.relay_pending();
  REQUIRE(std::find(order.begin(), order.end(), "created") != order.end());
  // The catalog's event went out after the busy outbox's first batch, not its last.
  auto position = std::find(order.begin(), order.end(), "created") - order.begin();
  CHECK(position == 256);
  CHECK(order.size() == 5 * 256 + 1);
}

// A broker in front of the in-process bus, down while `outage_passes` > 0.
class BrokerBus final : public EventBus {
 public:
  explicit BrokerBus(EventBus& behind) : behind_(behind) {}
  void publish(const EventEnvelope& event) override {
    if (down) throw BusUnavailable("all brokers are down");
    behind_.publish(event);
  }
  void publish_batch(const std::vector<EventEnvelope>& events) override {
    if (down) throw BusUnavailable("all brokers are down");
    behind_.publish_batch(events);
  }
  void subscribe(std::string type, std::string consumer, Handler handler) override {
    behind_.subscribe(std::move(type), std::move(consumer), std::move(handler));
  }
  void subscribe_all(std::string consumer, BatchHandler handler) override {
    behind_.subscribe_all(std::move(consumer), std::move(handler));
  }
  bool down = true;

 private:
  EventBus& behind_;
};

TEST_CASE_FIXTURE(Relay, "an unavailable bus never parks an event: it goes once the bus is back") {
  BrokerBus broker(bus);
  OutboxRelay through_broker{{&store}, broker, log, clock, {3}};
  record_all();
  auto a = catalog->create(input("A"));
  for (int pass = 0; pass < 5; ++pass) {  // more than the three attempts that park an event
    CHECK_THROWS_AS(through_broker.relay_pending(), BusUnavailable);
  }
  CHECK(store.parked(10).empty());
  broker.down = false;
  CHECK(through_broker.relay_pending() == 1);
  CHECK(received == std::vector<std::string>{std::string(created) + " " + a.id});
  CHECK(store.parked(10).empty());
}

TEST_CASE_FIXTURE(Relay, "a consumer whose database is unavailable never parks an event; others go on") {
  EndlessOutbox other(1);
  std::size_t others = 0;
  bus.subscribe("shop.busy.v1", "other", [&](const EventEnvelope&) { ++others; });
  OutboxRelay both{{&store, &other}, bus, log, clock, {3}};
  int unavailable_passes = 10;  // far more than the three attempts that park an event
  std::vector<std::string> handled;
  bus.subscribe(created, "consumer", [&](const EventEnvelope& e) {
    if (unavailable_passes > 0) {
      throw Failure::retry_later(FailureKind::unavailable, "database_unavailable",
                                 "the database is down", 1);
    }
    handled.push_back(e.subject);
  });
  auto a = catalog->create(input("A"));
  CHECK(both.relay_pending() == 256);  // the other outbox's whole batch
  CHECK(others == 256);
  for (--unavailable_passes; unavailable_passes > 0; --unavailable_passes) {
    CHECK(both.relay_pending() == 0);
  }
  CHECK(store.parked(10).empty());

  CHECK(both.relay_pending() == 1);
  CHECK(handled == std::vector<std::string>{a.id});
  CHECK(both.drained());
  CHECK(store.parked(10).empty());
}
