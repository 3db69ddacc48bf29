#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/kafka/kafka_event_bus.hpp"
#include "adapters/memory/dead_letters.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "domain/shared/failure.hpp"
#include "kafka/mock_cluster.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

EventEnvelope event(const std::string& id, const std::string& type, const std::string& subject) {
  return EventEnvelope{id, type, "/shopbox/test", subject,
                       Timestamp(std::chrono::milliseconds(1'800'000'000'000)),
                       R"({"n":")" + id + "\"}"};
}

const char* const placed = "shop.order.placed.v1";
const char* const cancelled = "shop.order.cancelled.v1";
const char* const restocked = "shop.stock.restocked.v1";

// What a handler saw, safe to read from the test thread.
struct Seen {
  std::mutex mutex;
  std::vector<std::string> ids;
  void add(const std::string& id) {
    std::lock_guard lock(mutex);
    ids.push_back(id);
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return ids;
  }
  bool wait_for(std::size_t count, std::chrono::milliseconds limit = 30s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (snapshot().size() >= count) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
};

struct Cluster {
  testing::MockCluster mock;
  memory::ManualClock clock;
  memory::SilentLog log;
  memory::MemoryDeadLetters dead_letters;
  kafka::KafkaSettings settings;
  // A consumer that is gone without leaving is noticed after 6 s.
  kafka::ConsumerSettings consumers{{"order", "stock"}, 3, 6s, 10ms, 50ms};
  Cluster() {
    mock.create_topic("shop.order.events", 2);
    mock.create_topic("shop.stock.events", 2);
    settings.brokers = mock.bootstraps();
    settings.topic_prefix = "shop";
    settings.delivery_timeout = 20s;
  }
  std::unique_ptr<kafka::KafkaEventBus> bus() {
    return std::make_unique<kafka::KafkaEventBus>(settings, consumers, dead_letters, clock, log);
  }
};

}  // namespace

TEST_CASE_FIXTURE(Cluster, "each consumer gets the events it subscribed to, from another process") {
  auto publisher = bus();
  auto process = bus();
  Seen stock, dashboard;
  process->subscribe(cancelled, "stock", [&](const EventEnvelope& e) { stock.add(e.id); });
  process->subscribe_all("dashboard", [&](const std::vector<EventEnvelope>& events) {
    for (const auto& e : events) dashboard.add(e.id);
  });
  process->start_consumers();
  publisher->publish_batch({event("e1", placed, "order-1"), event("e2", cancelled, "order-1"),
                            event("e3", restocked, "product-1")});
  REQUIRE(dashboard.wait_for(3));
  REQUIRE(stock.wait_for(1));
  std::this_thread::sleep_for(200ms);
  CHECK(stock.snapshot() == std::vector<std::string>{"e2"});
  auto all = dashboard.snapshot();
  CHECK(all.size() == 3);
  // One aggregate's events in their order.
  CHECK(std::find(all.begin(), all.end(), "e1") < std::find(all.begin(), all.end(), "e2"));
}

TEST_CASE_FIXTURE(Cluster, "what a consumer handled is committed: a restarted consumer goes on after it") {
  auto publisher = bus();
  Seen first_run;
  {
    auto process = bus();
    process->subscribe(placed, "order", [&](const EventEnvelope& e) { first_run.add(e.id); });
    process->start_consumers();
    publisher->publish_batch({event("e1", placed, "order-1"), event("e2", placed, "order-2")});
    REQUIRE(first_run.wait_for(2));
  }
  Seen second_run;
  auto restarted = bus();
  restarted->subscribe(placed, "order", [&](const EventEnvelope& e) { second_run.add(e.id); });
  restarted->start_consumers();
  publisher->publish_batch({event("e3", placed, "order-3")});
  REQUIRE(second_run.wait_for(1));
  std::this_thread::sleep_for(300ms);
  CHECK(second_run.snapshot() == std::vector<std::string>{"e3"});
}

TEST_CASE_FIXTURE(Cluster, "a handler whose database is unavailable waits, however long, unparked") {
  auto publisher = bus();
  auto process = bus();
  std::atomic<int> outage{4 * consumers.max_attempts};
  Seen handled;
  process->subscribe(placed, "order", [&](const EventEnvelope& e) {
    if (outage-- > 0) {
      throw Failure::retry_later(FailureKind::unavailable, "database_unavailable", "down", 1);
    }
    handled.add(e.id);
  });
  process->start_consumers();
  publisher->publish_batch({event("during-outage", placed, "order-1")});
  REQUIRE(handled.wait_for(1));
  CHECK(handled.snapshot() == std::vector<std::string>{"during-outage"});
  CHECK(dead_letters.list(10).empty());
}

TEST_CASE_FIXTURE(Cluster, "a failing handler is retried; one that keeps failing becomes a dead letter") {
  auto publisher = bus();
  auto process = bus();
  std::atomic<int> flaky_failures{2};
  Seen handled;
  std::set<std::string> inbox;  // as every consumer keeps: a redelivery is a no-op
  std::atomic<bool> poison_fixed{false};
  process->subscribe(placed, "order", [&](const EventEnvelope& e) {
    if (e.id == "poison" && !poison_fixed) throw std::runtime_error("cannot handle this one");
    if (e.id == "flaky" && flaky_failures-- > 0) throw std::runtime_error("try again");
    if (inbox.insert(e.id).second) handled.add(e.id);
  });
  process->start_consumers();
  publisher->publish_batch({event("flaky", placed, "order-1"), event("poison", placed, "order-1"),
                            event("after", placed, "order-1")});
  REQUIRE(handled.wait_for(2));
  CHECK(handled.snapshot() == std::vector<std::string>{"flaky", "after"});
  auto letters = dead_letters.list(10);
  REQUIRE(letters.size() == 1);
  CHECK(letters[0].consumer == "order");
  CHECK(letters[0].event.id == "poison");
  CHECK(letters[0].error == "cannot handle this one");

  // Staff redeliver it: still failing, it throws; once fixed, it is handled.
  CHECK_THROWS_AS(process->redeliver(letters[0]), std::runtime_error);
  poison_fixed = true;
  CHECK(process->redeliver(letters[0]));
  CHECK(handled.snapshot() == std::vector<std::string>{"flaky", "after", "poison"});
  auto elsewhere = letters[0];
  elsewhere.consumer = "delivery";
  CHECK_FALSE(process->redeliver(elsewhere));
}
