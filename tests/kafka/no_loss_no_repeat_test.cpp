// The promise of the Kafka mode, end to end through the brokers: catalog's
// outbox relayed by the real relay, consumed by the real stock and
// dashboard modules with their inboxes, while the broker goes down, a
// consumer fails after its transaction committed (so the event comes
// again) and the consuming process restarts. Every event arrives; those
// delivered twice are applied once.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/kafka/kafka_event_bus.hpp"
#include "adapters/memory/catalog/memory_catalog_store.hpp"
#include "adapters/memory/dashboard/memory_dashboard_store.hpp"
#include "adapters/memory/dead_letters.hpp"
#include "adapters/memory/stock/memory_stock_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/catalog/events.hpp"
#include "application/dashboard/api.hpp"
#include "application/shared/outbox_relay.hpp"
#include "application/stock/api.hpp"
#include "kafka/mock_cluster.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

struct Shop {
  testing::MockCluster mock;
  memory::ManualClock clock;
  memory::SequentialIds ids;
  memory::SilentLog log;
  memory::MemoryDeadLetters dead_letters;
  kafka::KafkaSettings settings;
  kafka::ConsumerSettings consumers{{"catalog"}, 5, 6s, 10ms, 50ms};

  memory::MemoryCatalogStore catalog_store;
  std::unique_ptr<catalog::CatalogApi> catalog =
      catalog::make_catalog_service({catalog_store, clock, ids});
  memory::MemoryStockStore stock_store;
  std::unique_ptr<stock::StockApi> stock =
      stock::make_stock_service({stock_store, *catalog, clock, ids, {}});
  memory::MemoryDashboardStore dashboard_store;
  std::unique_ptr<dashboard::DashboardApi> dashboard =
      dashboard::make_dashboard_service({dashboard_store, clock, "KRW", 5, 0min});

  std::mutex mutex;
  std::size_t deliveries = 0;  // to the dashboard, repeats included
  std::set<std::string> distinct;
  std::vector<std::string> products;
  // Batches the dashboard applies and then fails on, as a process dying
  // between its commit and Kafka's would: the bus hands them over again.
  std::atomic<int> fail_after_applying{0};

  Shop() {
    mock.create_topic("shop.catalog.events", 2);
    settings.brokers = mock.bootstraps();
    settings.topic_prefix = "shop";
    settings.delivery_timeout = 2s;
  }

  std::unique_ptr<kafka::KafkaEventBus> bus() {
    return std::make_unique<kafka::KafkaEventBus>(settings, consumers, dead_letters, clock, log);
  }

  // The consuming process: stock and dashboard, each its consumer group.
  std::unique_ptr<kafka::KafkaEventBus> consuming_process() {
    auto process = bus();
    process->subscribe(catalog::ProductCreated::type, "stock",
                       [this](const EventEnvelope& e) { stock->on_catalog_event(e); });
    process->subscribe_all("dashboard", [this](const std::vector<EventEnvelope>& events) {
      dashboard->on_events(events);
      {
        std::lock_guard lock(mutex);
        deliveries += events.size();
        for (const auto& e : events) distinct.insert(e.id);
      }
      if (fail_after_applying-- > 0) throw std::runtime_error("gone before the offset commit");
    });
    process->start_consumers();
    return process;
  }

  void create_products(int count) {
    for (int i = 0; i < count; ++i) {
      auto sku = "SKU-" + std::to_string(products.size());
      products.push_back(catalog->create({sku, "Tea", "", {100, "KRW"}, "tea"}).id);
    }
  }

  bool dashboard_saw(std::size_t count, std::chrono::seconds limit = 40s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mutex);
        if (distinct.size() >= count) return true;
      }
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
};

}  // namespace

TEST_CASE_FIXTURE(Shop, "no event lost, none applied twice: broker down, failed commits, a restart") {
  auto publisher = bus();
  OutboxRelay relay({&catalog_store}, *publisher, log, clock, {5});
  auto consumer = consuming_process();

  create_products(10);
  CHECK(relay.relay_pending() == 10);

  // The broker goes down: the relay keeps the events in the outbox.
  rd_kafka_mock_broker_set_down(mock.cluster(), 1);
  create_products(10);
  CHECK_THROWS_AS(relay.relay_pending(), BusUnavailable);
  CHECK(catalog_store.backlog().unpublished == 10);
  rd_kafka_mock_broker_set_up(mock.cluster(), 1);
  // As the relay's loop does: the next pass, until the producer reconnected.
  std::size_t relayed = 0;
  for (int pass = 0; pass < 15 && relayed == 0; ++pass) {
    try {
      relayed = relay.relay_pending();
    } catch (const BusUnavailable&) {
    }
  }
  CHECK(relayed == 10);
  REQUIRE(dashboard_saw(20));

  // Applied, then failed before the commit: the same events come again.
  fail_after_applying = 3;
  create_products(10);
  CHECK(relay.relay_pending() == 10);
  REQUIRE(dashboard_saw(30));
  auto repeated = [this] {
    std::lock_guard lock(mutex);
    return deliveries > distinct.size();
  };
  for (int i = 0; i < 200 && !repeated(); ++i) std::this_thread::sleep_for(50ms);
  CHECK_MESSAGE(repeated(), "no event came twice: the failures were not exercised");

  // A new consuming process goes on from what the last one committed.
  consumer.reset();
  consumer = consuming_process();
  create_products(10);
  CHECK(relay.relay_pending() == 10);
  REQUIRE(dashboard_saw(40));
  consumer.reset();

  // Applied once each: the dashboard kept 40 events, stock has every product.
  CHECK(dashboard->replay([](std::int64_t, std::int64_t) {}) == 40);
  for (const auto& product : products) CHECK(stock->level(product).on_hand == 0);
  CHECK(dead_letters.list(10).empty());
}
